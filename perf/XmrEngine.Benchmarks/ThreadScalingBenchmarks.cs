using BenchmarkDotNet.Attributes;
using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Benchmarks;

/// <summary>
/// MKL's ratio to managed (and native) at 1 and 2 threads, all in one run: SpGEMM X·W and the
/// masked product on the shapes of <see cref="SpGemmBenchmarks"/> and <see cref="MaskedProductBenchmarks"/>.
/// The thread count reaches MKL through <c>maxThreads</c> (MKL_Set_Num_Threads_Local for the call) and
/// the managed and native backends through their row-block workers. MKL has no masked product; its
/// masked row runs the managed kernel and is listed only to show that.
/// </summary>
[Config(typeof(EndToEndConfig))]
public class ThreadScalingBenchmarks
{
    private CsrMatrix _x = null!;
    private CsrMatrix _w = null!;
    private CscMatrix _wCsc = null!;
    private CsrMatrix _mask = null!;
    private float[] _out = null!;
    private SparseKernels _kernels = null!;

    /// <summary>Backends compared (the scalar reference is left out: 30+ s per SpGEMM).</summary>
    public static IEnumerable<KernelBackend> Backends() => BackendSource.Available().Where(b => b != KernelBackend.Reference);

    /// <summary>Which backend computes the product.</summary>
    [ParamsSource(nameof(Backends))]
    public KernelBackend Backend { get; set; }

    /// <summary>Worker threads (maxThreads of the call).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the seeded inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _x = XmrShapes.Inputs(10_000, 100_000, 50, seed: 1);
        _w = XmrShapes.Weights(100_000, 10_000, 0.01, seed: 2);
        _wCsc = _w.ToCsc();
        _mask = XmrShapes.Mask(10_000, 10_000, parentsPerRow: 10, childrenPerParent: 16, seed: 3);
        _out = new float[_mask.Nnz];
        _kernels = KernelRegistry.Get(Backend);
    }

    /// <summary>C = X W on <see cref="Threads"/> threads.</summary>
    [Benchmark]
    public long SpGemm() => _kernels.Multiply(_x, _w, Threads).Nnz;

    /// <summary>(X W) at the mask on <see cref="Threads"/> threads.</summary>
    [Benchmark]
    public float Masked()
    {
        _kernels.MaskedMultiply(_x, _wCsc, _mask, _out, Threads);
        return _out[^1];
    }
}
