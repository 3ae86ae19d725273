using BenchmarkDotNet.Attributes;
using XmrEngine.Common;

namespace XmrEngine.Benchmarks;

/// <summary>
/// The machine's memory bandwidth, for the SpGEMM roofline: a 256 MB read (sum) and a 256 MB copy of float arrays
/// far larger than any cache, split over 1 or 2 threads in fixed blocks. Bytes per second = bytes / mean time
/// (read: 256 MB; copy: 512 MB moved, plus the write-allocate read of the destination that the CPU adds).
/// </summary>
[Config(typeof(BenchConfig))]
public class MemoryBandwidthBenchmarks
{
    private const int Floats = 64 << 20; // 256 MB
    private float[] _source = null!;
    private float[] _target = null!;

    /// <summary>Worker threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Allocates and touches both arrays so page faults are not timed.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _source = new float[Floats];
        _target = new float[Floats];
        new Random(1).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_source.AsSpan()));
        _target.AsSpan().Fill(1f);
    }

    /// <summary>Reads every byte of the source once (vectorised sum).</summary>
    [Benchmark]
    public float Read()
    {
        var partial = new float[(Floats + (1 << 22) - 1) >> 22];
        ParallelBlocks.Run(Floats, 1 << 22, Threads, () => 0, (block, start, end, _) =>
            partial[block] = Sum(_source.AsSpan(start, end - start)));
        return partial.Sum();
    }

    private static float Sum(ReadOnlySpan<float> x)
    {
        var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(x);
        System.Numerics.Vector<float> a0 = default, a1 = default;
        int i = 0;
        for (; i + 1 < vectors.Length; i += 2)
        {
            a0 += vectors[i];
            a1 += vectors[i + 1];
        }
        if (i < vectors.Length) a0 += vectors[i];
        return System.Numerics.Vector.Sum(a0 + a1);
    }

    /// <summary>Copies the source into the target.</summary>
    [Benchmark]
    public void Copy() =>
        ParallelBlocks.Run(Floats, 1 << 22, Threads, () => 0, (_, start, end, _) =>
            _source.AsSpan(start, end - start).CopyTo(_target.AsSpan(start, end - start)));
}
