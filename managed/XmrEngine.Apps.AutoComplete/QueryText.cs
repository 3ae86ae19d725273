using System.Text;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Query normalisation shared by training, evaluation and suggestion: lower-case (invariant culture),
/// every run of white space (including tabs) collapsed to one space, leading and trailing space removed.
/// A prefix keeps one trailing space, because "new " and "new" ask for different completions.
/// </summary>
public static class QueryText
{
    /// <summary>The normalised query, or null when nothing but white space is left.</summary>
    /// <param name="raw">The query as logged or typed; null counts as empty.</param>
    public static string? Clean(string? raw)
    {
        string s = Normalize(raw, keepTrailingSpace: false);
        return s.Length == 0 ? null : s;
    }

    /// <summary>A typed prefix normalised like <see cref="Clean"/>, except that a trailing space is kept (collapsed to one).</summary>
    /// <param name="raw">The prefix as typed; null counts as empty.</param>
    public static string CleanPrefix(string? raw) => Normalize(raw, keepTrailingSpace: true);

    private static string Normalize(string? raw, bool keepTrailingSpace)
    {
        if (string.IsNullOrEmpty(raw)) return string.Empty;
        var sb = new StringBuilder(raw.Length);
        bool pendingSpace = false;
        foreach (char c in raw)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(char.ToLowerInvariant(c));
        }
        if (pendingSpace && keepTrailingSpace) sb.Append(' ');
        return sb.ToString();
    }
}
