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
public sealed record QacModelSettings(QacIndexerKind Indexer, int TrieDepth, int BeamSize, int CandidateCount, int PrefixesPerPair, QacDataOptions Data);
