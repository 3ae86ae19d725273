using BenchmarkDotNet.Attributes;
using XmrEngine.Kernels;

namespace XmrEngine.Benchmarks;

/// <summary>The gather-dot (sparse against dense) at lengths that are and are not vector multiples.</summary>
[Config(typeof(BenchConfig))]
public class DotBenchmarks
{
    private float[] _a = null!;
    private int[] _idx = null!;
    private float[] _dense = null!;
    private SparseKernels _kernels = null!;

    /// <summary>Which backend computes the dot.</summary>
    [ParamsSource(typeof(BackendSource), nameof(BackendSource.Available))]
    public KernelBackend Backend { get; set; }

    /// <summary>Vector length.</summary>
    [Params(1000, 1003)]
    public int Length { get; set; }

    /// <summary>Builds the seeded inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        _a = Enumerable.Range(0, Length).Select(_ => (float)rng.NextDouble()).ToArray();
        _dense = Enumerable.Range(0, 100_000).Select(_ => (float)rng.NextDouble()).ToArray();
        _idx = Enumerable.Range(0, Length).Select(_ => rng.Next(100_000)).Order().ToArray();
        _kernels = KernelRegistry.Get(Backend);
    }

    /// <summary>Sparse (indices, values) against a dense 100k vector.</summary>
    [Benchmark]
    public float GatherDot() => _kernels.GatherDot(_idx, _a, _dense);
}
