namespace XmrEngine.Text;

/// <summary>
/// The <see cref="StopWordList.English"/> list: articles, conjunctions, common prepositions, pronouns and forms
/// of "be"/"have". It is deliberately short and leaves out words that carry meaning in product and technical
/// text: "in" (inches), "x" (dimensions), "no", "not", "off", "on"/"out" (switches, outdoor) and numbers.
/// Matching is exact and case-sensitive on the analysed (normally lower-cased) word, before stemming.
/// </summary>
internal static class EnglishStopWords
{
    private static readonly HashSet<string> Set = new(
    [
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has", "have", "he",
        "her", "his", "i", "if", "into", "is", "it", "its", "of", "or", "our", "she", "so", "such", "than", "that",
        "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "was", "we", "were", "which",
        "who", "will", "with", "you", "your",
    ], StringComparer.Ordinal);

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Set.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The words, in ordinal order (a read-only copy: the list cannot be changed through it).</summary>
    public static IReadOnlyList<string> Words { get; } = Array.AsReadOnly(Set.Order(StringComparer.Ordinal).ToArray());

    /// <summary>True when <paramref name="word"/> is on the list.</summary>
    public static bool Contains(ReadOnlySpan<char> word) => Lookup.Contains(word);
}
