namespace XmrEngine.Apps.AutoComplete;

/// <summary>How the label tree of an auto-completion model is built.</summary>
public enum QacIndexerKind
{
    /// <summary>Balanced hierarchical spherical k-means on the labels' character features (<see cref="Indexing.HierarchicalKMeansIndexer"/>).</summary>
    KMeans,

    /// <summary>A pure character trie of depth <see cref="QacTrainOptions.TrieDepth"/> (<see cref="Indexing.TrieIndexer"/>).</summary>
    Trie,

    /// <summary>Trie on top, k-means below each trie node (<see cref="Indexing.TrieTreeHybridIndexer"/>).</summary>
    Hybrid,
}

/// <summary>Names of <see cref="QacIndexerKind"/> as the CLI and the model file spell them.</summary>
public static class QacIndexerKindNames
{
    /// <summary>"kmeans", "trie" or "hybrid".</summary>
    public static string ToName(this QacIndexerKind kind) => kind switch
    {
        QacIndexerKind.KMeans => "kmeans",
        QacIndexerKind.Trie => "trie",
        QacIndexerKind.Hybrid => "hybrid",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown indexer kind."),
    };

    /// <summary>Parses "kmeans", "trie" or "hybrid" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static QacIndexerKind Parse(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "kmeans" or "k-means" => QacIndexerKind.KMeans,
        "trie" => QacIndexerKind.Trie,
        "hybrid" => QacIndexerKind.Hybrid,
        _ => throw new ArgumentException($"Unknown indexer '{name}'; expected kmeans, trie or hybrid."),
    };
}
