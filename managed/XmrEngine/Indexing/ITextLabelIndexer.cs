using XmrEngine.Sparse;

namespace XmrEngine.Indexing;

/// <summary>
/// A label indexer that needs the labels' text as well as their feature rows (for example a character
/// trie over the label strings). The sibling of <see cref="ILabelIndexer"/> for text labels.
/// </summary>
public interface ITextLabelIndexer
{
    /// <summary>Builds the tree whose last level has one row per label.</summary>
    /// <param name="labels">The label strings, one per label id; non-empty.</param>
    /// <param name="labelFeatures">Labels x features, one row per label (indexers that cluster use it; others may ignore it).</param>
    /// <param name="cancellationToken">Stops the build between nodes.</param>
    ClusterChain Build(IReadOnlyList<string> labels, CsrMatrix labelFeatures, CancellationToken cancellationToken = default);
}
