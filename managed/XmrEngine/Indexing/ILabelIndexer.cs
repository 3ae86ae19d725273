namespace XmrEngine.Indexing;

/// <summary>
/// Builds a label tree from one feature row per label (for example PIFA embeddings). Implementations
/// carry their own options; the trainer only needs the resulting <see cref="ClusterChain"/>.
/// </summary>
public interface ILabelIndexer
{
    /// <summary>Builds the tree whose last level has one row per row of <paramref name="labelFeatures"/>.</summary>
    /// <param name="labelFeatures">Labels x features, one row per label.</param>
    /// <param name="cancellationToken">Stops the build between nodes.</param>
    ClusterChain Build(Sparse.CsrMatrix labelFeatures, CancellationToken cancellationToken = default);
}
