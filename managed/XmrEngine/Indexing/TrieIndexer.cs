using XmrEngine.Sparse;

namespace XmrEngine.Indexing;

/// <summary>
/// A pure character trie of depth <see cref="Depth"/> over the label strings (Yadav et al., KDD 2021): levels
/// 1..Depth hold the distinct label prefixes of that length (see <see cref="TrieLevels"/> for labels shorter
/// than Depth), and every label hangs under its depth-<see cref="Depth"/> node. The label features are not used.
/// The tree is a function of the label strings only.
/// </summary>
public sealed class TrieIndexer
{
    /// <summary>Number of character levels above the labels.</summary>
    public int Depth { get; }

    /// <summary>Creates a trie indexer.</summary>
    /// <param name="depth">Character levels, at least 1.</param>
    public TrieIndexer(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        Depth = depth;
    }

    /// <summary>Builds the chain from the label strings alone.</summary>
    /// <exception cref="ArgumentException">No labels, or an empty label.</exception>
    public ClusterChain Build(IReadOnlyList<string> labels, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var trie = TrieLevels.Build(labels, Depth);
        var levels = new List<CsrMatrix>(Depth + 1);
        for (int t = 0; t < Depth; t++)
            levels.Add(ClusterChain.LevelFromParents(trie.ParentOfNode[t], t == 0 ? 1 : trie.Keys[t - 1].Length));
        levels.Add(ClusterChain.LevelFromParents(trie.LeafOfLabel, trie.Keys[^1].Length));
        return new ClusterChain(levels);
    }
}
