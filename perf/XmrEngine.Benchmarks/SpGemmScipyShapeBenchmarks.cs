using BenchmarkDotNet.Attributes;
using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Benchmarks;

/// <summary>
/// The SpGEMM shape of <c>perf/spmm_vs_scipy.sh</c> : A 20,000 x 50,000 with 50 non-zeros per row
/// (1M) times B 50,000 x 20,000 with 20 per row (1M); C has about 19.5M entries, about 975 per row. Sorted
/// output on every backend, at 1 and 2 threads, so the per-thread figure compares with SciPy's one-thread
/// <c>A @ B</c>.
/// </summary>
[Config(typeof(BenchConfig))]
public class SpGemmScipyShapeBenchmarks
{
    private CsrMatrix _a = null!;
    private CsrMatrix _b = null!;
    private SparseKernels _kernels = null!;

    /// <summary>Which backend computes the product (the scalar reference is left out: ~20 s a call).</summary>
    [Params(KernelBackend.Managed, KernelBackend.Native, KernelBackend.Mkl)]
    public KernelBackend Backend { get; set; }

    /// <summary>Worker threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the seeded inputs; skips a backend that does not load here.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _a = XmrShapes.Inputs(20_000, 50_000, 50, seed: 1);
        _b = XmrShapes.Inputs(50_000, 20_000, 20, seed: 2);
        _kernels = KernelRegistry.IsAvailable(Backend, out string why)
            ? KernelRegistry.Get(Backend)
            : throw new InvalidOperationException($"{Backend} is not available: {why}");
    }

    /// <summary>C = A B, rows sorted by column.</summary>
    [Benchmark]
    public long Multiply() => _kernels.Multiply(_a, _b, Threads).Nnz;
}
