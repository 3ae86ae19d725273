using XmrEngine.Common;
using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>
/// Intel MKL backend: sparse x sparse products through <c>mkl_sparse_sp2m</c> and sparse x dense
/// products through <c>mkl_sparse_s_mm</c>, with MKL's own threads limited per call to
/// <c>maxThreads</c>. Everything MKL has no kernel for runs on <see cref="ManagedKernels"/>, and
/// <see cref="RunsOn"/> / <see cref="DelegationReason"/> say so (shown by <c>xmr info</c>):
/// <list type="bullet">
/// <item>the masked product: MKL's sparse BLAS cannot compute a product only at given positions
/// (its closest operation, <c>mkl_sparse_sddmm</c>, takes dense operands and arrived after the MKL
/// release Debian ships), and computing the full product to then sample it would do far more work;</item>
/// <item>the gather-dot and the chunk rows of the serving path: they are called per row or per column
/// from hot loops, where a call into MKL costs more than the SIMD loop it would replace. Measured on
/// this project's 2-core machine: <c>cblas_sdoti</c> was within 30% of the managed gather-dot either
/// way for 8 to 1,000 entries, not worth a native call;</item>
/// <item>the dual coordinate-descent solve and centroid accumulation: MKL has no such kernels.</item>
/// </list>
/// When MKL's 32-bit (LP64) counts cannot describe a call's operands, that call runs on the managed
/// backend instead and <see cref="LastFallbackReason"/> says why.
/// </summary>
public sealed class MklKernels : SparseKernels
{
    private static readonly Lazy<MklKernels> Lazy = new(() => new MklKernels());
    private static readonly SparseKernels Managed = ManagedKernels.Instance;
    private string? _lastFallbackReason;
    private long _fallbackCount;

    private MklKernels()
    {
    }

    /// <summary>The single instance.</summary>
    /// <exception cref="KernelUnavailableException">MKL cannot be loaded or failed its self-test.</exception>
    public static MklKernels Instance =>
        IsAvailable(out var reason) ? Lazy.Value : throw new KernelUnavailableException(KernelBackend.Mkl, reason);

    /// <summary>
    /// Whether libmkl_rt loads, accepts the LP64 interface and computes a small product correctly.
    /// The check runs once per process; it never throws.
    /// </summary>
    /// <param name="reason">Why MKL cannot be used; empty when it can.</param>
    public static bool IsAvailable(out string reason) => MklLibrary.TryInitialize(out reason);

    /// <inheritdoc />
    public override KernelBackend Backend => KernelBackend.Mkl;

    /// <inheritdoc />
    public override string Name => $"mkl ({MklLibrary.Description})";

    /// <summary>Why the most recent call that could not use MKL ran on the managed backend; null if none has.</summary>
    public string? LastFallbackReason => Volatile.Read(ref _lastFallbackReason);

    /// <summary>How many calls ran on the managed backend because MKL could not take their operands.</summary>
    public long FallbackCount => Interlocked.Read(ref _fallbackCount);

    /// <inheritdoc />
    protected override CsrMatrix MultiplyCore(CsrMatrix a, CsrMatrix b, int threads)
    {
        var product = MklSpGemm.TryMultiply(a, b, threads, MklSpGemm.Int32Limit, out var reason);
        if (product is not null) return product;
        RecordFallback("Multiply", reason);
        return Managed.Multiply(a, b, threads);
    }

    /// <inheritdoc />
    protected override void MaskedMultiplyCore(CsrMatrix x, CscMatrix w, CsrMatrix mask, Span<float> result, int threads) =>
        Managed.MaskedMultiply(x, w, mask, result, threads);

    /// <inheritdoc />
    protected override void MultiplyDenseCore(CsrMatrix a, ReadOnlySpan<float> b, int bCols, Span<float> result, int threads)
    {
        if (MklSpMm.TryMultiply(a, b, bCols, result, threads, out var reason)) return;
        RecordFallback("MultiplyDense", reason);
        Managed.MultiplyDense(a, b, bCols, result, threads);
    }

    /// <inheritdoc />
    protected override float GatherDotCore(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense) =>
        Managed.GatherDot(indices, values, dense);

    /// <inheritdoc />
    protected override void AddChunkRowCore(float scale, ReadOnlySpan<int> slots, bool dense, Span<float> scores) =>
        Managed.AddChunkRowTrusted(scale, slots, dense, scores);

    /// <inheritdoc />
    protected override void AccumulateRowsCore(CsrMatrix z, ReadOnlySpan<int> rows, float alpha, Span<float> dense, Span<bool> marked, Span<int> touched, ref int touchedCount) =>
        Managed.AccumulateRows(z, rows, alpha, dense, marked, touched, ref touchedCount);

    /// <inheritdoc />
    internal override void SolveDualCore(SolverWorkspace ws, in SolverParameters p, ref SeededRandom rng) =>
        Managed.SolveDualCore(ws, p, ref rng);

    /// <inheritdoc />
    public override KernelBackend RunsOn(KernelOperation operation) =>
        operation is KernelOperation.Multiply or KernelOperation.MultiplyDense ? Backend : KernelBackend.Managed;

    /// <inheritdoc />
    public override string DelegationReason(KernelOperation operation) => operation switch
    {
        KernelOperation.Multiply or KernelOperation.MultiplyDense => "",
        KernelOperation.MaskedMultiply => "MKL's sparse BLAS has no product at given positions only",
        KernelOperation.GatherDot => "cblas_sdoti is no faster than the managed gather-dot, and costs a native call per vector",
        KernelOperation.ChunkRowAdd => "a per-row call into MKL costs more than the SIMD loop it would replace",
        KernelOperation.HingeDualSolve or KernelOperation.LogisticDualSolve => "MKL has no dual coordinate-descent solver",
        KernelOperation.CentroidAccumulation => "MKL has no kernel that records first-touched coordinates",
        _ => "",
    };

    private void RecordFallback(string operation, string reason)
    {
        Volatile.Write(ref _lastFallbackReason, $"{operation} ran on the managed backend: {reason}");
        Interlocked.Increment(ref _fallbackCount);
    }
}
