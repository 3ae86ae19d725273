using System.Runtime.InteropServices;
using XmrEngine.Sparse;
using static XmrEngine.Kernels.NativeMethods;
using XmrEngine.Common;

namespace XmrEngine.Kernels;

/// <summary>
/// The C11 kernels of libxmr_native (AVX2/FMA when compiled for a CPU that has them). Managed code
/// drives the parallelism over the same fixed row blocks as <see cref="ManagedKernels"/>, matrices reach the
/// C code through <see cref="PinnedView"/>, and every
/// C call computes whole rows independently, so results do not depend on the thread count.
/// Obtain the instance through <see cref="NativeBackendProvider.Get"/> or <see cref="KernelRegistry.Get"/>.
/// </summary>
public sealed class NativeKernels : SparseKernels
{
    private const int RowBlock = ManagedKernels.RowBlock;

    internal static NativeKernels Instance { get; } = new();

    private NativeKernels()
    {
    }

    /// <inheritdoc />
    public override KernelBackend Backend => KernelBackend.Native;

    /// <inheritdoc />
    public override string Name => NativeBackendProvider.SimdBits == SimdSelection.MaxBits
        ? $"native (libxmr_native, C11, {WidthName(NativeBackendProvider.SimdBits)})"
        : $"native (libxmr_native, C11, {WidthName(NativeBackendProvider.SimdBits)}; the managed kernels use {WidthName(SimdSelection.MaxBits)}, so their sums differ)";

    private static string WidthName(int bits) => bits == 0 ? "scalar" : $"{bits}-bit";

    /// <inheritdoc />
    protected override CsrMatrix MultiplyCore(CsrMatrix a, CsrMatrix b, int threads)
    {
        int rows = a.Rows;
        var rowPtr = new long[rows + 1];
        long workspaceBytes = SpgemmWorkspaceBytes(b.Cols);
        using var aPin = PinnedView.Of(a);
        using var bPin = PinnedView.Of(b);
        var aView = aPin.View;
        var bView = bPin.View;
        // Phase 1: entry count of every row, written straight into rowPtr[i + 1].
        ParallelBlocks.Run(rows, RowBlock, threads, () => new byte[workspaceBytes],
            (_, start, end, workspace) => NativeStatus.ThrowIfFailed(
                SpgemmCountRows(aView, bView, start, end, workspace, rowPtr.AsSpan(start + 1, end - start)), "xmr_spgemm_count_rows"));
        for (int i = 0; i < rows; i++) rowPtr[i + 1] += rowPtr[i];
        var cIdx = new int[rowPtr[rows]];
        var cVal = new float[rowPtr[rows]];
        // Phase 2: every row lands at its final offset; no copy of per-block buffers.
        ParallelBlocks.Run(rows, RowBlock, threads, () => new byte[workspaceBytes],
            (_, start, end, workspace) => NativeStatus.ThrowIfFailed(
                SpgemmFillRows(aView, bView, start, end, workspace, rowPtr, cIdx, cVal), "xmr_spgemm_fill_rows"));
        return CsrMatrix.FromTrusted(rows, b.Cols, rowPtr, cIdx, cVal);
    }

    /// <inheritdoc />
    protected override void MaskedMultiplyCore(CsrMatrix x, CscMatrix w, CsrMatrix mask, Span<float> result, int threads)
    {
        using var xPin = PinnedView.Of(x);
        using var wPin = PinnedView.Of(w);
        using var mPin = PinnedView.StructureOf(mask);
        var xView = xPin.View;
        var wView = wPin.View;
        var mView = mPin.View;
        SharedSpan<float>.Pin(result, output =>
            ParallelBlocks.Run(mask.Rows, RowBlock, threads, () => new float[x.Cols],
                (_, start, end, dense) => NativeStatus.ThrowIfFailed(
                    MaskedRows(xView, wView, mView, start, end, dense, output.Span), "xmr_masked_rows")));
    }

    /// <inheritdoc />
    protected override void MultiplyDenseCore(CsrMatrix a, ReadOnlySpan<float> b, int bCols, Span<float> result, int threads)
    {
        using var aPin = PinnedView.Of(a);
        var aView = aPin.View;
        SharedSpan<float>.Pin(b, result, (operand, output) =>
            ParallelBlocks.Run(a.Rows, RowBlock, threads, () => 0,
                (_, start, end, _) => NativeStatus.ThrowIfFailed(
                    CsrDenseRows(aView, operand.Span, bCols, start, end, output.Span), "xmr_csr_dense_rows")));
    }

    /// <inheritdoc />
    protected override float GatherDotCore(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense)
    {
        NativeStatus.ThrowIfFailed(SparseDenseDot(indices, values, indices.Length, dense, dense.Length, out float r), "xmr_sparse_dense_dot");
        return r;
    }

    /// <inheritdoc />
    protected override void AddChunkRowCore(float scale, ReadOnlySpan<int> slots, bool dense, Span<float> scores) =>
        NativeStatus.ThrowIfFailed(ChunkRowAdd(scale, slots, slots.Length, dense ? 1 : 0, scores, scores.Length), "xmr_chunk_row_add");

    /// <inheritdoc />
    protected override void AccumulateRowsCore(CsrMatrix z, ReadOnlySpan<int> rows, float alpha, Span<float> dense, Span<bool> marked, Span<int> touched, ref int touchedCount)
    {
        using var zPin = PinnedView.Of(z);
        // bool is one byte of 0 or 1 in .NET, as the C code's uint8_t marks are; the cast only retypes the span.
        // The kernel leaves dense, marked and touched consistent even when it stops early, and the count is
        // written through the ref before a failure is reported.
        int status = NativeSolverMethods.CentroidAddRows(zPin.View, rows, rows.Length, alpha, dense, MemoryMarshal.Cast<bool, byte>(marked),
            touched, touched.Length, ref touchedCount);
        NativeStatus.ThrowIfFailed(status, "xmr_centroid_add_rows");
    }

    /// <inheritdoc />
    internal override void SolveDualCore(SolverWorkspace ws, in SolverParameters p, ref SeededRandom rng)
    {
        // The C solver has no per-instance costs; the managed one does the same float operations, so a cost-sensitive
        // problem solved there gives the model the native backend would.
        if (p.Solver == SolverType.Logistic || ws.HasCosts) ManagedKernels.Instance.SolveDualCore(ws, p, ref rng);
        else NativeHingeDualSolver.Solve(ws, p, ref rng);
    }

    /// <inheritdoc />
    public override KernelBackend RunsOn(KernelOperation operation) =>
        operation == KernelOperation.LogisticDualSolve ? KernelBackend.Managed : Backend;

    /// <inheritdoc />
    public override string DelegationReason(KernelOperation operation) =>
        RunsOn(operation) == Backend ? "" : "libxmr_native has no port of the logistic solver";
}
