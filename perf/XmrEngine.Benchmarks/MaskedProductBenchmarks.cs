using BenchmarkDotNet.Attributes;
using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Benchmarks;

/// <summary>
/// The beam-search scoring kernel on an XMR shape: X (10,000 x 100,000, 50 nnz per row), W in CSC
/// (100,000 x 10,000, 1% dense), mask = 10 random parents x 16 children per row (160 scores per row).
/// </summary>
[Config(typeof(BenchConfig))]
public class MaskedProductBenchmarks
{
    private CsrMatrix _x = null!;
    private CscMatrix _w = null!;
    private CsrMatrix _mask = null!;
    private float[] _out = null!;
    private SparseKernels _kernels = null!;

    /// <summary>Which backend computes the product.</summary>
    [ParamsSource(typeof(BackendSource), nameof(BackendSource.Available))]
    public KernelBackend Backend { get; set; }

    /// <summary>Builds the seeded inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _x = XmrShapes.Inputs(10_000, 100_000, 50, seed: 1);
        _w = XmrShapes.Weights(100_000, 10_000, 0.01, seed: 2).ToCsc();
        _mask = XmrShapes.Mask(10_000, 10_000, parentsPerRow: 10, childrenPerParent: 16, seed: 3);
        _out = new float[_mask.Nnz];
        _kernels = KernelRegistry.Get(Backend);
    }

    /// <summary>(X W) at the mask's positions.</summary>
    [Benchmark]
    public float MaskedMultiply()
    {
        _kernels.MaskedMultiply(_x, _w, _mask, _out);
        return _out[^1];
    }
}
