using BenchmarkDotNet.Attributes;
using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Benchmarks;

/// <summary>
/// Sparse x sparse product on an XMR shape: X (10,000 x 100,000, 50 nnz per row) times
/// W (100,000 x 10,000, 1% dense), per backend, on all cores.
/// </summary>
[Config(typeof(BenchConfig))]
public class SpGemmBenchmarks
{
    private CsrMatrix _x = null!;
    private CsrMatrix _w = null!;
    private SparseKernels _kernels = null!;

    /// <summary>Which backend computes the product.</summary>
    [ParamsSource(typeof(BackendSource), nameof(BackendSource.Available))]
    public KernelBackend Backend { get; set; }

    /// <summary>Builds the seeded inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _x = XmrShapes.Inputs(10_000, 100_000, 50, seed: 1);
        _w = XmrShapes.Weights(100_000, 10_000, 0.01, seed: 2);
        _kernels = KernelRegistry.Get(Backend);
    }

    /// <summary>C = X W.</summary>
    [Benchmark]
    public long Multiply() => _kernels.Multiply(_x, _w).Nnz;
}
