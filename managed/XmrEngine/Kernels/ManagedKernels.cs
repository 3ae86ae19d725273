using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Kernels;

/// <summary>
/// The default backend: managed code with Vector256/Vector128 intrinsics (AVX2 gathers and FMA where
/// the CPU has them), parallel over fixed row blocks with per-worker workspaces.
/// </summary>
public sealed class ManagedKernels : SparseKernels
{
    /// <summary>Rows per parallel block; shared with the native backend so both split work the same way.</summary>
    internal const int RowBlock = 64;

    /// <summary>The single instance.</summary>
    public static ManagedKernels Instance { get; } = new();

    private ManagedKernels()
    {
    }

    /// <inheritdoc />
    public override KernelBackend Backend => KernelBackend.Managed;

    /// <inheritdoc />
    public override string Name => $"managed ({SimdDescription})";

    /// <summary>The widest instruction sets the managed kernels use on this CPU, as <see cref="SimdSelection"/> chose them.</summary>
    public static string SimdDescription => SimdSelection.Current switch
    {
        SimdWidth.Scalar => "scalar (XMR_SIMD=scalar)",
        SimdWidth.Avx512 => "AVX-512F (XMR_SIMD=avx512)",
        _ => Avx2.IsSupported ? (Fma.IsSupported ? "AVX2+FMA" : "AVX2")
            : Vector256.IsHardwareAccelerated ? "Vector256"
            : Vector128.IsHardwareAccelerated ? "Vector128"
            : "scalar",
    };

    /// <inheritdoc />
    /// <remarks>
    /// Two passes over fixed row blocks: a symbolic pass counts each row's entries straight into the
    /// row pointers, then (after a prefix sum) a numeric pass writes every row at its final offset.
    /// The extra index-only pass is cheaper than buffering each block and copying it into place. Rows come
    /// out sorted by column from the <see cref="SortedRowAccumulator"/>'s occupancy bitmap, never sorted.
    /// </remarks>
    protected override CsrMatrix MultiplyCore(CsrMatrix a, CsrMatrix b, int threads)
    {
        var rowPtr = ProductRowPointers(a, b, threads);
        // Sized once from the symbolic pass and written completely by the numeric pass, so not zeroed first: a fresh
        // process gets zero pages from the OS anyway, but a long-lived one would otherwise clear reused memory twice.
        // (Advising transparent huge pages for them, as NumPy does, was measured slower on this project's VM.)
        var idx = GC.AllocateUninitializedArray<int>(checked((int)rowPtr[a.Rows]));
        var val = GC.AllocateUninitializedArray<float>(checked((int)rowPtr[a.Rows]));
        ProductRows(a, b, rowPtr, 0, a.Rows, idx, val, threads);
        return CsrMatrix.FromTrusted(a.Rows, b.Cols, rowPtr, idx, val);
    }

    /// <summary>
    /// Writes the product <paramref name="a"/> x <paramref name="b"/> as an uncompressed SciPy csr .npz file, atomically,
    /// a slice of rows at a time instead of holding the product in memory: a process that only writes the product touches
    /// half the fresh memory. The file reads back as <c>NpzFormat.Write(path, Multiply(a, b), NpzCompression.None)</c>'s
    /// does (rows sorted by column, the same values).
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="a">The left matrix.</param>
    /// <param name="b">The right matrix; its row count must be <paramref name="a"/>'s column count.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 or less means all cores.</param>
    /// <returns>The product's number of stored entries.</returns>
    public long MultiplyToNpz(string path, CsrMatrix a, CsrMatrix b, int maxThreads = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Cols != b.Rows)
            throw new ArgumentException($"Cannot multiply {a.Rows}x{a.Cols} by {b.Rows}x{b.Cols}: inner dimensions differ.");
        return NpzProductWriter.Write(path, a, b, ThreadCount.Resolve(maxThreads));
    }

    /// <summary>
    /// The symbolic pass of <c>A B</c>: the product's row pointers (each row's distinct columns, prefix-summed), so the
    /// output can be sized once. Inputs as <see cref="SparseKernels.Multiply"/> checks them.
    /// </summary>
    internal static long[] ProductRowPointers(CsrMatrix a, CsrMatrix b, int threads)
    {
        int rows = a.Rows;
        var rowPtr = new long[rows + 1];
        ParallelBlocks.Run(rows, RowBlock, threads, () => new SortedRowAccumulator(b.Cols),
            (_, start, end, acc) =>
            {
                for (int i = start; i < end; i++) rowPtr[i + 1] = acc.CountProductRow(a.Row(i).Indices, b);
            });
        for (int i = 0; i < rows; i++) rowPtr[i + 1] += rowPtr[i];
        return rowPtr;
    }

    /// <summary>
    /// The numeric pass for rows [<paramref name="first"/>, <paramref name="end"/>) of <c>A B</c>: row i goes to
    /// <c>[rowPtr[i] - rowPtr[first], rowPtr[i + 1] - rowPtr[first])</c> of <paramref name="idx"/> and
    /// <paramref name="val"/>, sorted by column. Lets a caller stream the product through a buffer a slice of rows long.
    /// </summary>
    internal static void ProductRows(CsrMatrix a, CsrMatrix b, long[] rowPtr, int first, int end, int[] idx, float[] val, int threads)
    {
        long origin = rowPtr[first];
        ParallelBlocks.Run(end - first, RowBlock, threads, () => new SortedRowAccumulator(b.Cols),
            (_, blockStart, blockEnd, acc) =>
            {
                for (int i = first + blockStart; i < first + blockEnd; i++)
                {
                    acc.AddProductRow(a.Row(i).Indices, a.Row(i).Values, b);
                    long offset = rowPtr[i] - origin;
                    int length = (int)(rowPtr[i + 1] - rowPtr[i]);
                    acc.Drain(idx.AsSpan((int)offset, length), val.AsSpan((int)offset, length));
                }
            });
    }

    /// <inheritdoc />
    protected override void MaskedMultiplyCore(CsrMatrix x, CscMatrix w, CsrMatrix mask, Span<float> result, int threads)
    {
        SharedSpan<float>.Pin(result, output =>
            ParallelBlocks.Run(mask.Rows, RowBlock, threads, () => new float[x.Cols],
                (_, start, end, dense) =>
                {
                    var outSpan = output.Span;
                    for (int i = start; i < end; i++) MaskedRow(x, w, mask, i, dense, outSpan);
                }));
    }

    /// <summary>
    /// Scores one row: scatter x_i into a dense buffer, then per masked column either gather-dot the
    /// column against the buffer (long columns, AVX2) or gallop x_i's few indices into it (when x_i is
    /// much shorter than the column).
    /// </summary>
    private static void MaskedRow(CsrMatrix x, CscMatrix w, CsrMatrix mask, int i, float[] dense, Span<float> result)
    {
        var xi = x.Row(i).Indices;
        var xv = x.Row(i).Values;
        var cols = mask.Row(i).Indices;
        int k0 = (int)mask.Pointers[i];
        if (xi.Length == 0)
        {
            result.Slice(k0, cols.Length).Clear();
            return;
        }
        for (int p = 0; p < xi.Length; p++) dense[xi[p]] = xv[p];
        for (int c = 0; c < cols.Length; c++)
        {
            var col = w.Column(cols[c]);
            result[k0 + c] = col.Length > 32 * xi.Length
                ? SparseVector.SortedDot(new SparseVector(xi, xv), col)
                : VectorMath.GatherDot(col.Indices, col.Values, dense);
        }
        foreach (int j in xi) dense[j] = 0f;
    }

    /// <inheritdoc />
    protected override void MultiplyDenseCore(CsrMatrix a, ReadOnlySpan<float> b, int bCols, Span<float> result, int threads)
    {
        SharedSpan<float>.Pin(b, result, (operand, output) =>
            ParallelBlocks.Run(a.Rows, RowBlock, threads, () => 0,
                (_, start, end, _) =>
                {
                    ReadOnlySpan<float> bs = operand.Span;
                    var rs = output.Span;
                    for (int i = start; i < end; i++)
                    {
                        var outRow = rs.Slice(i * bCols, bCols);
                        outRow.Clear();
                        var ai = a.Row(i).Indices;
                        var av = a.Row(i).Values;
                        for (int p = 0; p < ai.Length; p++) VectorMath.Axpy(av[p], bs.Slice(ai[p] * bCols, bCols), outRow);
                    }
                }));
    }

    /// <inheritdoc />
    protected override float GatherDotCore(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense) =>
        VectorMath.GatherDot(indices, values, dense);

    /// <inheritdoc />
    protected override void AddChunkRowCore(float scale, ReadOnlySpan<int> slots, bool dense, Span<float> scores) =>
        ChunkRow.Add(scale, slots, dense, scores);

    /// <inheritdoc />
    protected override void AccumulateRowsCore(CsrMatrix z, ReadOnlySpan<int> rows, float alpha, Span<float> dense, Span<bool> marked, Span<int> touched, ref int touchedCount) =>
        CentroidRows.Add(z, rows, alpha, dense, marked, touched, ref touchedCount);

    /// <inheritdoc />
    internal override void SolveDualCore(SolverWorkspace ws, in SolverParameters p, ref SeededRandom rng)
    {
        if (p.Solver == SolverType.Logistic) LogisticDualSolver.Solve(ws, p, ref rng);
        else HingeDualSolver.Solve(ws, p, ref rng);
    }
}
