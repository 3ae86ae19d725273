namespace XmrEngine.Apps.AutoComplete;

/// <summary>One evaluation point: the previous query, the prefix of the next query typed so far, and the true next query.</summary>
/// <param name="Previous">The previous query in the session.</param>
/// <param name="Prefix">The first characters of <paramref name="Next"/> (at least one).</param>
/// <param name="Next">The query the user actually issued.</param>
public readonly record struct QacTestCase(string Previous, string Prefix, string Next);
