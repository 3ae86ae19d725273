using BenchmarkDotNet.Attributes;
using XmrEngine.Kernels;

namespace XmrEngine.Benchmarks;

/// <summary>
/// The managed SIMD driver's kernels at each vector width this CPU has (scalar, 256-bit, 512-bit), in one run:
/// the gather-dot of serving and MAN mining (hardware gathers), the solver's row dot (plain lane loads) and the
/// axpy of chunk scoring. Lengths of a typical XMR row (50, 200) and of a long one (1,003: not a vector multiple).
/// </summary>
[Config(typeof(BenchConfig))]
public unsafe class SimdWidthBenchmarks
{
    private float[] _values = null!;
    private int[] _indices = null!;
    private float[] _dense = null!;
    private float[] _y = null!;

    /// <summary>Widest vector, in bits (0 = scalar loops only).</summary>
    [ParamsSource(nameof(Widths))]
    public int Width { get; set; }

    /// <summary>Entries of the sparse operand (and the axpy length).</summary>
    [Params(50, 200, 1003)]
    public int Length { get; set; }

    /// <summary>The widths this CPU accelerates.</summary>
    public static IEnumerable<int> Widths() => SimdSelection.Available.Select(w => (int)w);

    /// <summary>Builds the seeded inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        _values = Enumerable.Range(0, Length).Select(_ => (float)rng.NextDouble()).ToArray();
        _dense = Enumerable.Range(0, 100_000).Select(_ => (float)rng.NextDouble()).ToArray();
        _indices = Enumerable.Range(0, Length).Select(_ => rng.Next(100_000)).Order().ToArray();
        _y = new float[Length];
    }

    /// <summary>Sparse (indices, values) against a dense 100k vector with hardware gathers.</summary>
    [Benchmark]
    public float GatherDot()
    {
        fixed (int* pi = _indices)
        fixed (float* pv = _values)
        fixed (float* pd = _dense)
            return SimdDriver.IndexedDot<GatherLoad>(pi, pv, Length, pd, Width);
    }

    /// <summary>The same dot with lanes filled by plain loads (the solver's row dot).</summary>
    [Benchmark]
    public float RowDot()
    {
        fixed (int* pi = _indices)
        fixed (float* pv = _values)
        fixed (float* pd = _dense)
            return SimdDriver.IndexedDot<ScalarLoad>(pi, pv, Length, pd, Width);
    }

    /// <summary>y += 0.5 x over dense arrays (chunk scoring).</summary>
    [Benchmark]
    public void Axpy()
    {
        fixed (float* px = _values)
        fixed (float* py = _y)
            SimdDriver.ScaledAdd(0.5f, px, py, Length, Width);
    }
}
