using XmrEngine.Sparse;
using static XmrEngine.Kernels.NativeMethods;
using XmrEngine.Common;
using XmrEngine.Training;

namespace XmrEngine.Kernels;

/// <summary>
/// The C11 kernels of libxmr_native (AVX2/FMA when compiled for a CPU that has them). Managed code
/// drives the parallelism over the same fixed row blocks as <see cref="ManagedKernels"/>, matrices reach the
/// C code through <see cref="PinnedView"/>, and every
/// C call computes whole rows independently, so results do not depend on the thread count.
/// Obtain the instance through <see cref="NativeBackendProvider.Get"/> or <see cref="KernelRegistry.Get"/>.
/// </summary>
public sealed unsafe class NativeKernels : SparseKernels
{
    private const int RowBlock = ManagedKernels.RowBlock;

    internal static NativeKernels Instance { get; } = new();

    private NativeKernels()
    {
    }

    /// <inheritdoc />
    public override KernelBackend Backend => KernelBackend.Native;

    /// <inheritdoc />
    public override string Name => "native (libxmr_native, C11)";

    /// <inheritdoc />
    protected override CsrMatrix MultiplyCore(CsrMatrix a, CsrMatrix b, int threads)
    {
        int rows = a.Rows;
        var rowPtr = new long[rows + 1];
        long workspaceBytes = SpgemmWorkspaceBytes(b.Cols);
        int[] cIdx;
        float[] cVal;
        using var aPin = PinnedView.Of(a);
        using var bPin = PinnedView.Of(b);
        fixed (long* cp = rowPtr)
        {
            var aView = aPin.View;
            var bView = bPin.View;
            nint cpAddr = (nint)cp;
            // Phase 1: entry count of every row, written straight into rowPtr[i + 1].
            ParallelBlocks.Run(rows, RowBlock, threads, () => new byte[workspaceBytes],
                (_, start, end, workspace) =>
                {
                    var av2 = aView;
                    var bv2 = bView;
                    fixed (byte* ws = workspace)
                        NativeStatus.ThrowIfFailed(SpgemmCountRows(&av2, &bv2, start, end, ws, (long*)cpAddr + start + 1), "xmr_spgemm_count_rows");
                });
            for (int i = 0; i < rows; i++) rowPtr[i + 1] += rowPtr[i];
            cIdx = new int[rowPtr[rows]];
            cVal = new float[rowPtr[rows]];
            fixed (int* ci = cIdx)
            fixed (float* cv = cVal)
            {
                nint ciAddr = (nint)ci, cvAddr = (nint)cv;
                // Phase 2: every row lands at its final offset; no copy of per-block buffers.
                ParallelBlocks.Run(rows, RowBlock, threads, () => new byte[workspaceBytes],
                    (_, start, end, workspace) =>
                    {
                        var av2 = aView;
                        var bv2 = bView;
                        fixed (byte* ws = workspace)
                            NativeStatus.ThrowIfFailed(SpgemmFillRows(&av2, &bv2, start, end, ws, (long*)cpAddr, (int*)ciAddr, (float*)cvAddr), "xmr_spgemm_fill_rows");
                    });
            }
        }
        return CsrMatrix.FromTrusted(rows, b.Cols, rowPtr, cIdx, cVal);
    }

    /// <inheritdoc />
    protected override void MaskedMultiplyCore(CsrMatrix x, CscMatrix w, CsrMatrix mask, Span<float> result, int threads)
    {
        using var xPin = PinnedView.Of(x);
        using var wPin = PinnedView.Of(w);
        using var mPin = PinnedView.StructureOf(mask);
        fixed (float* rp = result)
        {
            var xView = xPin.View;
            var wView = wPin.View;
            var mView = mPin.View;
            nint output = (nint)rp;
            ParallelBlocks.Run(mask.Rows, RowBlock, threads, () => new float[x.Cols],
                (_, start, end, dense) =>
                {
                    var x2 = xView;
                    var w2 = wView;
                    var m2 = mView;
                    fixed (float* d = dense)
                        NativeStatus.ThrowIfFailed(MaskedRows(&x2, &w2, &m2, start, end, d, (float*)output), "xmr_masked_rows");
                });
        }
    }

    /// <inheritdoc />
    protected override void MultiplyDenseCore(CsrMatrix a, ReadOnlySpan<float> b, int bCols, Span<float> result, int threads)
    {
        using var aPin = PinnedView.Of(a);
        fixed (float* bp = b)
        fixed (float* rp = result)
        {
            var aView = aPin.View;
            nint bAddr = (nint)bp, rAddr = (nint)rp;
            ParallelBlocks.Run(a.Rows, RowBlock, threads, () => 0,
                (_, start, end, _) =>
                {
                    var a2 = aView;
                    NativeStatus.ThrowIfFailed(CsrDenseRows(&a2, (float*)bAddr, bCols, start, end, (float*)rAddr), "xmr_csr_dense_rows");
                });
        }
    }

    /// <inheritdoc />
    protected override float GatherDotCore(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense)
    {
        float r;
        fixed (int* ip = indices)
        fixed (float* vp = values)
        fixed (float* dp = dense)
            NativeStatus.ThrowIfFailed(SparseDenseDot(ip, vp, indices.Length, dp, dense.Length, &r), "xmr_sparse_dense_dot");
        return r;
    }

    /// <inheritdoc />
    protected override void AddChunkRowCore(float scale, ReadOnlySpan<int> slots, bool dense, Span<float> scores)
    {
        fixed (int* sp = slots)
        fixed (float* dp = scores)
            NativeStatus.ThrowIfFailed(ChunkRowAdd(scale, sp, slots.Length, dense ? 1 : 0, dp, scores.Length), "xmr_chunk_row_add");
    }

    /// <inheritdoc />
    protected override void AccumulateRowsCore(CsrMatrix z, ReadOnlySpan<int> rows, float alpha, Span<float> dense, Span<bool> marked, Span<int> touched, ref int touchedCount)
    {
        int count = touchedCount;
        using var zPin = PinnedView.Of(z);
        fixed (int* pr = rows)
        fixed (float* dp = dense)
        fixed (bool* mp = marked)
        fixed (int* tp = touched)
        {
            var view = zPin.View;
            int status = NativeSolverMethods.CentroidAddRows(&view, pr, rows.Length, alpha, dp, (byte*)mp, tp, touched.Length, &count);
            // The kernel leaves dense, marked and touched consistent even when it stops early, so the
            // count is stored before a failure is reported.
            touchedCount = count;
            NativeStatus.ThrowIfFailed(status, "xmr_centroid_add_rows");
        }
    }

    /// <inheritdoc />
    internal override void SolveDualCore(SolverWorkspace ws, in SolverParameters p, ref SeededRandom rng)
    {
        if (p.Solver == SolverType.Logistic) ManagedKernels.Instance.SolveDualCore(ws, p, ref rng);
        else NativeHingeDualSolver.Solve(ws, p, ref rng);
    }

    /// <inheritdoc />
    public override KernelBackend RunsOn(KernelOperation operation) =>
        operation == KernelOperation.LogisticDualSolve ? KernelBackend.Managed : Backend;

    /// <inheritdoc />
    public override string DelegationReason(KernelOperation operation) =>
        RunsOn(operation) == Backend ? "" : "libxmr_native has no port of the logistic solver";
}
