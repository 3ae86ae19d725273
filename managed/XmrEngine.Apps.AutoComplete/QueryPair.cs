namespace XmrEngine.Apps.AutoComplete;

/// <summary>Two consecutive queries of one session: the context and the query the user typed next.</summary>
/// <param name="Previous">The earlier query.</param>
/// <param name="Next">The query that followed it.</param>
public readonly record struct QueryPair(string Previous, string Next);
