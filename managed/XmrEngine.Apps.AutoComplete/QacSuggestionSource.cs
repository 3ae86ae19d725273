namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Which candidate sources proposed a suggestion. Flags: with a fusion ranker a query can come from several
/// sources at once (the beam search found it and it is also one of the prefix's most popular completions).
/// </summary>
[Flags]
public enum QacSuggestionSource
{
    /// <summary>No source (never on a returned suggestion).</summary>
    None = 0,

    /// <summary>The XR-Linear beam search (a label that starts with the prefix).</summary>
    Model = 1,

    /// <summary>Most-popular completion of the prefix.</summary>
    MostPopular = 2,

    /// <summary>A popular query that extends the previous query or keeps its first word (a session rewrite).</summary>
    PreviousQuery = 4,
}

/// <summary>Names of <see cref="QacSuggestionSource"/> as the CLI prints them.</summary>
public static class QacSuggestionSourceNames
{
    /// <summary>The set sources joined by '+', for example <c>model+popular</c>.</summary>
    public static string ToName(this QacSuggestionSource source)
    {
        if (source == QacSuggestionSource.None) return "none";
        var parts = new List<string>(3);
        if (source.HasFlag(QacSuggestionSource.Model)) parts.Add("model");
        if (source.HasFlag(QacSuggestionSource.MostPopular)) parts.Add("popular");
        if (source.HasFlag(QacSuggestionSource.PreviousQuery)) parts.Add("previous");
        return string.Join('+', parts);
    }
}
