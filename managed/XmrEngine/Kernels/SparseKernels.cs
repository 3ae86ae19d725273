using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Kernels;

/// <summary>
/// The one seam behind which every hot kernel sits: the products (sparse x sparse, masked, sparse x
/// dense), serving (gather-dot, chunk rows) and training (the dual coordinate-descent solve, k-means
/// centroid accumulation). One instance is resolved per run (<see cref="KernelRegistry.Get"/>) and
/// passed down to everything that computes. Public methods check shapes and buffer
/// sizes (so every backend reports bad arguments the same way) and then call the backend's core.
/// All backends are stateless and safe to call from any number of threads at once; results do not
/// depend on <c>maxThreads</c>.
/// </summary>
public abstract class SparseKernels
{
    /// <summary>Which backend this is.</summary>
    public abstract KernelBackend Backend { get; }

    /// <summary>A short human-readable name, e.g. "managed (AVX2)".</summary>
    public abstract string Name { get; }

    /// <summary>Sparse x sparse product <c>C = A B</c>, rows of C sorted, parallel over rows.</summary>
    /// <param name="a">Left operand, m x k.</param>
    /// <param name="b">Right operand, k x n.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 or less means all cores.</param>
    public CsrMatrix Multiply(CsrMatrix a, CsrMatrix b, int maxThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Cols != b.Rows)
            throw new ArgumentException($"Cannot multiply {a.Rows}x{a.Cols} by {b.Rows}x{b.Cols}: inner dimensions differ.");
        return MultiplyCore(a, b, Threads(maxThreads));
    }

    /// <summary>
    /// Masked product: <c>(X W)</c> evaluated only at the stored positions of <paramref name="mask"/>;
    /// <paramref name="result"/>[k] receives the value for the k-th stored entry of the mask. This is
    /// the scoring step of beam search.
    /// </summary>
    /// <param name="x">Inputs, n x d, CSR.</param>
    /// <param name="w">Weights, d x m, CSC.</param>
    /// <param name="mask">Positions to compute, n x m, CSR (its values are ignored).</param>
    /// <param name="result">Output, length <c>mask.Nnz</c>.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 or less means all cores.</param>
    public void MaskedMultiply(CsrMatrix x, CscMatrix w, CsrMatrix mask, Span<float> result, int maxThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(mask);
        if (x.Cols != w.Rows)
            throw new ArgumentException($"Cannot multiply {x.Rows}x{x.Cols} by {w.Rows}x{w.Cols}: inner dimensions differ.");
        if (mask.Rows != x.Rows || mask.Cols != w.Cols)
            throw new ArgumentException($"Mask is {mask.Rows}x{mask.Cols}; the product is {x.Rows}x{w.Cols}.");
        if (result.Length != mask.Nnz)
            throw new ArgumentException($"Result has length {result.Length}; the mask has {mask.Nnz} entries.", nameof(result));
        MaskedMultiplyCore(x, w, mask, result, Threads(maxThreads));
    }

    /// <summary>Masked product returned as a CSR matrix with the mask's structure.</summary>
    public CsrMatrix MaskedMultiply(CsrMatrix x, CscMatrix w, CsrMatrix mask, int maxThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var values = new float[mask.Nnz];
        MaskedMultiply(x, w, mask, values, maxThreads);
        return CsrMatrix.FromTrusted(mask.Rows, mask.Cols, mask.RowPtrArray, mask.ColIdxArray, values);
    }

    /// <summary>Sparse x dense product: <c>result = A B</c> with B and result dense row-major.</summary>
    /// <param name="a">m x k CSR.</param>
    /// <param name="b">k x <paramref name="bCols"/> row-major.</param>
    /// <param name="bCols">Columns of B.</param>
    /// <param name="result">m x <paramref name="bCols"/> row-major; overwritten.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 or less means all cores.</param>
    public void MultiplyDense(CsrMatrix a, ReadOnlySpan<float> b, int bCols, Span<float> result, int maxThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentOutOfRangeException.ThrowIfNegative(bCols);
        if ((long)b.Length != (long)a.Cols * bCols)
            throw new ArgumentException($"Dense operand has {b.Length} values; expected {a.Cols} x {bCols}.", nameof(b));
        if ((long)result.Length != (long)a.Rows * bCols)
            throw new ArgumentException($"Result has {result.Length} values; expected {a.Rows} x {bCols}.", nameof(result));
        MultiplyDenseCore(a, b, bCols, result, Threads(maxThreads));
    }

    /// <summary>
    /// Gather-dot: sum of <c>values[k] * dense[indices[k]]</c> (indices sorted or not) — k-means member
    /// scoring and the long columns of the masked product.
    /// </summary>
    /// <exception cref="ArgumentException">Indices and values differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <paramref name="dense"/>.</exception>
    public float GatherDot(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense)
    {
        if (indices.Length != values.Length) throw new ArgumentException($"Indices ({indices.Length}) and values ({values.Length}) differ in length.");
        foreach (int i in indices)
            if ((uint)i >= (uint)dense.Length) throw new ArgumentOutOfRangeException(nameof(indices), i, $"Index outside the dense vector [0, {dense.Length}).");
        return GatherDotCore(indices, values, dense);
    }

    /// <summary>
    /// <see cref="GatherDot"/> without the index check, for indices known to be in range (columns of a
    /// validated matrix no wider than <paramref name="dense"/>); hot loops call it once per row.
    /// </summary>
    internal float GatherDotTrusted(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense) =>
        GatherDotCore(indices, values, dense);

    /// <summary>
    /// Adds one chunk row, scaled, into a parent's child scores (the chunked serving path): a dense row
    /// holds one value (as float bits) per child, a sparse row holds (child offset, value bits) pairs.
    /// </summary>
    /// <param name="scale">The query's value for the row's feature.</param>
    /// <param name="slots">The row's stored slots.</param>
    /// <param name="dense">Whether the row is stored dense.</param>
    /// <param name="scores">The children's scores; updated.</param>
    /// <exception cref="ArgumentException">The slots do not fit <paramref name="scores"/>.</exception>
    public void AddChunkRow(float scale, ReadOnlySpan<int> slots, bool dense, Span<float> scores)
    {
        if (dense)
        {
            if (slots.Length != scores.Length) throw new ArgumentException($"A dense chunk row of {slots.Length} slots cannot score {scores.Length} children.", nameof(slots));
        }
        else
        {
            if (slots.Length % 2 != 0) throw new ArgumentException($"A sparse chunk row holds (offset, value) pairs; got {slots.Length} slots.", nameof(slots));
            for (int e = 0; e < slots.Length; e += 2)
                if ((uint)slots[e] >= (uint)scores.Length) throw new ArgumentException($"Child offset {slots[e]} is outside the {scores.Length} children.", nameof(slots));
        }
        AddChunkRowCore(scale, slots, dense, scores);
    }

    /// <summary>
    /// <see cref="AddChunkRow"/> without the checks, for a layout that was compiled here or validated
    /// on load (the serving loop calls it once per matched row, where a check pass would cost as much
    /// as the work).
    /// </summary>
    internal void AddChunkRowTrusted(float scale, ReadOnlySpan<int> slots, bool dense, Span<float> scores) =>
        AddChunkRowCore(scale, slots, dense, scores);

    /// <summary>
    /// Centroid accumulation for the k-means indexer: <c>dense += alpha * z[r]</c> for every r in
    /// <paramref name="rows"/>, rows and entries in order, recording each coordinate written for the
    /// first time in <paramref name="marked"/> and appending it to <paramref name="touched"/>.
    /// </summary>
    /// <param name="z">The label features.</param>
    /// <param name="rows">Rows of <paramref name="z"/> to add (repeats allowed).</param>
    /// <param name="alpha">Scale of every row.</param>
    /// <param name="dense">The centre, at least as wide as <paramref name="z"/>.</param>
    /// <param name="marked">Per coordinate of <paramref name="dense"/>, whether it is in the touched list.</param>
    /// <param name="touched">The touched coordinates in first-touch order; room for every coordinate the rows can add.</param>
    /// <param name="touchedCount">Entries of <paramref name="touched"/> in use; updated.</param>
    /// <exception cref="ArgumentException">The buffers do not fit <paramref name="z"/> or the rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row id is outside <paramref name="z"/>.</exception>
    public void AccumulateRows(CsrMatrix z, ReadOnlySpan<int> rows, float alpha, Span<float> dense, Span<bool> marked, Span<int> touched, ref int touchedCount)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Cols > dense.Length)
            throw new ArgumentException($"The rows have {z.Cols} columns but the vector has width {dense.Length}.", nameof(z));
        if (marked.Length != dense.Length)
            throw new ArgumentException($"The marks ({marked.Length}) and the vector ({dense.Length}) differ in length.", nameof(marked));
        if ((uint)touchedCount > (uint)touched.Length)
            throw new ArgumentOutOfRangeException(nameof(touchedCount), touchedCount, $"The touched list holds {touched.Length} entries.");
        long entries = 0;
        foreach (int r in rows)
        {
            if ((uint)r >= (uint)z.Rows) throw new ArgumentOutOfRangeException(nameof(rows), r, $"Row outside [0, {z.Rows}).");
            entries += z.RowLength(r);
        }
        if (touched.Length < Math.Min(dense.Length, touchedCount + entries))
            throw new ArgumentException($"The touched list has room for {touched.Length} coordinates; the rows can touch {Math.Min(dense.Length, touchedCount + entries)}.", nameof(touched));
        AccumulateRowsCore(z, rows, alpha, dense, marked, touched, ref touchedCount);
    }

    /// <summary>
    /// Solves one tree node's binary problem held in <paramref name="ws"/> by dual coordinate descent
    /// (hinge, squared hinge or logistic, as <paramref name="p"/> says); on return <c>ws.W</c> and
    /// <c>ws.B</c> hold the primal solution and <paramref name="rng"/> has advanced as the solver shuffled.
    /// </summary>
    internal void SolveDual(SolverWorkspace ws, in SolverParameters p, ref SeededRandom rng)
    {
        ArgumentNullException.ThrowIfNull(ws);
        if (ws.Count == 0) return;
        SolveDualCore(ws, p, ref rng);
    }

    /// <summary>
    /// Which backend computes <paramref name="operation"/> when it is called on this one: this backend's
    /// own <see cref="Backend"/>, unless it hands the operation to another (stated by <c>xmr info</c>).
    /// </summary>
    public virtual KernelBackend RunsOn(KernelOperation operation) => Backend;

    /// <summary>Why this backend hands <paramref name="operation"/> to another; empty when it does not.</summary>
    public virtual string DelegationReason(KernelOperation operation) => "";

    /// <summary>Backend implementation of <see cref="Multiply"/>; arguments are already checked.</summary>
    protected abstract CsrMatrix MultiplyCore(CsrMatrix a, CsrMatrix b, int threads);

    /// <summary>Backend implementation of <see cref="MaskedMultiply(CsrMatrix, CscMatrix, CsrMatrix, Span{float}, int)"/>.</summary>
    protected abstract void MaskedMultiplyCore(CsrMatrix x, CscMatrix w, CsrMatrix mask, Span<float> result, int threads);

    /// <summary>Backend implementation of <see cref="MultiplyDense"/>.</summary>
    protected abstract void MultiplyDenseCore(CsrMatrix a, ReadOnlySpan<float> b, int bCols, Span<float> result, int threads);

    /// <summary>Backend implementation of <see cref="GatherDot"/>; indices are in range.</summary>
    protected abstract float GatherDotCore(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense);

    /// <summary>Backend implementation of <see cref="AddChunkRow"/>; the slots fit the scores.</summary>
    protected abstract void AddChunkRowCore(float scale, ReadOnlySpan<int> slots, bool dense, Span<float> scores);

    /// <summary>Backend implementation of <see cref="AccumulateRows"/>; buffers and rows are checked.</summary>
    protected abstract void AccumulateRowsCore(CsrMatrix z, ReadOnlySpan<int> rows, float alpha, Span<float> dense, Span<bool> marked, Span<int> touched, ref int touchedCount);

    /// <summary>Backend implementation of <see cref="SolveDual"/>; the problem has at least one instance.</summary>
    internal abstract void SolveDualCore(SolverWorkspace ws, in SolverParameters p, ref SeededRandom rng);

    private static int Threads(int maxThreads) => ThreadCount.Resolve(maxThreads);
}
