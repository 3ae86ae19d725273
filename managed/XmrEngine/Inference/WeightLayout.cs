namespace XmrEngine.Inference;

/// <summary>How a compiled predictor stores and scores the per-level weights.</summary>
public enum WeightLayout
{
    /// <summary>
    /// One chunk per parent holding only the chunk's non-zero weight rows; the query's sorted
    /// feature ids are matched against the chunk's row ids (the fast path, PECOS's default).
    /// </summary>
    Chunked,

    /// <summary>
    /// The plain CSC columns: every child column is scored with a sparse-sparse dot product.
    /// Slower; kept as the reference the chunked path is tested against.
    /// </summary>
    Csc,
}
