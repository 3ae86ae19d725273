namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// The language of queries and item texts, as far as the recommended featurisation cares: it decides whether
/// language-specific word processing (stemming, stop words) is used. Anything not listed is <see cref="None"/>.
/// </summary>
public enum TextLanguage
{
    /// <summary>Unknown or mixed: no stemming and no stop words, so nothing English is forced onto other text.</summary>
    None,

    /// <summary>English: Porter stemming and English stop words on the word n-gram bases.</summary>
    English,
}

/// <summary>Command-line names of <see cref="TextLanguage"/>: <c>none</c> and <c>english</c>.</summary>
public static class TextLanguageNames
{
    /// <summary>Parses <c>none</c> or <c>english</c> (case-insensitive, surrounding spaces ignored).</summary>
    /// <exception cref="ArgumentException">Any other name; the message lists the valid ones.</exception>
    public static TextLanguage Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var language in Enum.GetValues<TextLanguage>())
            if (string.Equals(language.ToString(), name.Trim(), StringComparison.OrdinalIgnoreCase)) return language;
        throw new ArgumentException($"Unknown language '{name}'; expected none or english.", nameof(name));
    }
}
