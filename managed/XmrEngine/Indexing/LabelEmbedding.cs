using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Indexing;

/// <summary>
/// Label representations for indexing (PECOS's LabelEmbeddingFactory): PIFA (positive-instance
/// feature aggregation), user-supplied label features, and their concatenation.
/// </summary>
public static class LabelEmbedding
{
    /// <summary>
    /// PIFA: L2-normalise each row of Y, take Z = Y^T X, L2-normalise each row of Z. A label without
    /// positive instances gets an all-zero row.
    /// </summary>
    /// <param name="x">Instances x features (rows normally L2-normalised).</param>
    /// <param name="y">Instances x labels; stored entries are the positives (values are used as given, then rows normalised).</param>
    /// <param name="kernels">Kernel backend for the product (the caller's run resolved it); null means the managed kernels.</param>
    /// <param name="maxThreads">Thread cap for the product; 0 means all cores.</param>
    /// <exception cref="ArgumentException">X and Y have different row counts.</exception>
    public static CsrMatrix Pifa(CsrMatrix x, CsrMatrix y, SparseKernels? kernels = null, int maxThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rows != y.Rows)
            throw new ArgumentException($"PIFA needs one label row per instance: X has {x.Rows} rows, Y has {y.Rows}.", nameof(y));
        kernels ??= ManagedKernels.Instance;
        var yt = y.NormalizeRows(RowNorm.L2).Transpose();
        return kernels.Multiply(yt, x, maxThreads).NormalizeRowsOfFresh(RowNorm.L2);
    }

    /// <summary>User-supplied label features with every row L2-normalised.</summary>
    public static CsrMatrix FromLabelFeatures(CsrMatrix labelFeatures)
    {
        ArgumentNullException.ThrowIfNull(labelFeatures);
        return labelFeatures.NormalizeRows(RowNorm.L2);
    }

    /// <summary>
    /// [PIFA | label features]: both blocks row-normalised, then placed side by side (each row then
    /// has norm sqrt(2) when both halves are non-zero, so both sources weigh equally in the k-means).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree: X/Y rows, or label feature rows vs. Y columns.</exception>
    public static CsrMatrix PifaConcat(CsrMatrix x, CsrMatrix y, CsrMatrix labelFeatures, SparseKernels? kernels = null, int maxThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(labelFeatures);
        ArgumentNullException.ThrowIfNull(y);
        if (labelFeatures.Rows != y.Cols)
            throw new ArgumentException($"Label features have {labelFeatures.Rows} rows but Y has {y.Cols} labels.", nameof(labelFeatures));
        return SparseOps.HStack(Pifa(x, y, kernels, maxThreads), FromLabelFeatures(labelFeatures));
    }
}
