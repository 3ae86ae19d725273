namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// What a trained auto-completion model remembers about how it was made and how it suggests; saved with the
/// model so <c>xmr qac evaluate</c> can rebuild the same time split.
/// </summary>
/// <param name="Indexer">The label tree kind.</param>
/// <param name="TrieDepth">Trie depth (trie and hybrid).</param>
/// <param name="BeamSize">Beam width of the suggestion search.</param>
/// <param name="CandidateCount">Labels taken from the beam search before the prefix filter.</param>
/// <param name="PrefixesPerPair">Training prefixes per pair.</param>
/// <param name="Data">Session gap, train fraction and seed of the split the model was trained on.</param>
public sealed record QacModelSettings(QacIndexerKind Indexer, int TrieDepth, int BeamSize, int CandidateCount, int PrefixesPerPair, QacDataOptions Data)
{
    private readonly int _minPopularCount = 1;

    /// <summary>
    /// The fewest training occurrences a query needs to be suggested on popularity alone (most-popular completion and the
    /// previous query's popular rewrites) [1: any query, as models saved before the setting existed]; the model's own
    /// beam-search candidates are not subject to it. Training sets it from <see cref="QacTrainOptions.MinPopularCount"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MinPopularCount
    {
        get => _minPopularCount;
        init => _minPopularCount = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MinPopularCount), value, $"{nameof(QacModelSettings)}.{nameof(MinPopularCount)} must be at least 1.");
    }
}
