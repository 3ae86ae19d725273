using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>
/// A multi-label data set: an N x F feature matrix and an N x L label matrix with the same row order.
/// </summary>
/// <param name="Features">Feature matrix X (one row per instance).</param>
/// <param name="Labels">Label matrix Y (one row per instance; usually binary).</param>
public sealed record XmcDataset(CsrMatrix Features, CsrMatrix Labels)
{
    /// <summary>Number of instances (rows of both matrices).</summary>
    public int Count => Features.Rows;

    /// <summary>Throws <see cref="ArgumentException"/> when the two matrices disagree on the row count.</summary>
    internal static void CheckRows(CsrMatrix features, CsrMatrix labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Rows != labels.Rows)
            throw new ArgumentException($"Features have {features.Rows} rows but labels have {labels.Rows}; they must match.");
    }
}
