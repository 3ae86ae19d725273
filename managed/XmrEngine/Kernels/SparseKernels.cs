using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Kernels;

/// <summary>
/// The one seam behind which every hot sparse kernel sits. Public methods check shapes and buffer
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

    /// <summary>Dense dot product.</summary>
    public float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Vectors differ in length ({x.Length} vs {y.Length}).");
        return DotCore(x, y);
    }

    /// <summary>Dot product of a sparse vector (sorted or not) with a dense one.</summary>
    public float SparseDot(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense)
    {
        if (indices.Length != values.Length) throw new ArgumentException($"Indices ({indices.Length}) and values ({values.Length}) differ in length.");
        foreach (int i in indices)
            if ((uint)i >= (uint)dense.Length) throw new ArgumentOutOfRangeException(nameof(indices), i, $"Index outside the dense vector [0, {dense.Length}).");
        return SparseDotCore(indices, values, dense);
    }

    /// <summary>Dot product of two sparse vectors with sorted, distinct indices.</summary>
    public float SparseSparseDot(SparseVector a, SparseVector b) => SparseSparseDotCore(a, b);

    /// <summary>Backend implementation of <see cref="Multiply"/>; arguments are already checked.</summary>
    protected abstract CsrMatrix MultiplyCore(CsrMatrix a, CsrMatrix b, int threads);

    /// <summary>Backend implementation of <see cref="MaskedMultiply(CsrMatrix, CscMatrix, CsrMatrix, Span{float}, int)"/>.</summary>
    protected abstract void MaskedMultiplyCore(CsrMatrix x, CscMatrix w, CsrMatrix mask, Span<float> result, int threads);

    /// <summary>Backend implementation of <see cref="MultiplyDense"/>.</summary>
    protected abstract void MultiplyDenseCore(CsrMatrix a, ReadOnlySpan<float> b, int bCols, Span<float> result, int threads);

    /// <summary>Backend implementation of <see cref="Dot"/>.</summary>
    protected abstract float DotCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y);

    /// <summary>Backend implementation of <see cref="SparseDot"/>; indices are in range.</summary>
    protected abstract float SparseDotCore(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense);

    /// <summary>Backend implementation of <see cref="SparseSparseDot"/>.</summary>
    protected abstract float SparseSparseDotCore(SparseVector a, SparseVector b);

    private static int Threads(int maxThreads) => ThreadCount.Resolve(maxThreads);
}
