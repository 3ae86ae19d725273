namespace XmrEngine.Inference;

/// <summary>How the query's sorted feature ids are matched against a chunk's sorted row ids.</summary>
internal enum ChunkMatchStrategy
{
    /// <summary>Pick per chunk from the two lengths (see <see cref="ChunkedLevelScorer.Choose"/>).</summary>
    Auto,

    /// <summary>Two-pointer merge, O(rows + query); best when the lengths are similar.</summary>
    Merge,

    /// <summary>Exponential + binary search of each query id in the chunk's rows, O(query log rows).</summary>
    Gallop,

    /// <summary>Look up each chunk row in a dense copy of the query, O(rows).</summary>
    DenseLookup,

    /// <summary>
    /// Look up each query id in the level's feature -> chunk-rows index (every chunk row holding that
    /// feature, ascending), O(query log chunks-per-feature): a couple of cache lines per query id
    /// instead of a binary search over a chunk's possibly huge row-id list.
    /// </summary>
    FeatureIndex,
}
