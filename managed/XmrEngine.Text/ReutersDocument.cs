namespace XmrEngine.Text;

/// <summary>One article of the Reuters-21578 collection.</summary>
/// <param name="NewId">The NEWID attribute (1..21578).</param>
/// <param name="LewisSplit">The LEWISSPLIT attribute: TRAIN, TEST or NOT-USED.</param>
/// <param name="HasTopics">Whether the TOPICS attribute is YES (the article was indexed for topics).</param>
/// <param name="Topics">The topic codes in the TOPICS element, in file order (may be empty).</param>
/// <param name="Title">The TITLE text, entities decoded, or empty.</param>
/// <param name="Body">The BODY text, entities decoded and control characters removed, or empty.</param>
internal sealed record ReutersDocument(int NewId, string LewisSplit, bool HasTopics, IReadOnlyList<string> Topics, string Title, string Body)
{
    /// <summary>In the ModApte training split: LEWISSPLIT="TRAIN" and TOPICS="YES".</summary>
    public bool IsModApteTrain => HasTopics && LewisSplit == "TRAIN";

    /// <summary>In the ModApte test split: LEWISSPLIT="TEST" and TOPICS="YES".</summary>
    public bool IsModApteTest => HasTopics && LewisSplit == "TEST";
}
