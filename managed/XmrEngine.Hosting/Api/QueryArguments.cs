using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace XmrEngine.Hosting.Api;

/// <summary>
/// Reads query-string arguments by hand, so a malformed one is a problem-details answer naming it (the
/// framework's own binder answers an empty 400).
/// </summary>
internal static class QueryArguments
{
    /// <summary>An integer argument in [1, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public static bool TryCount(HttpRequest request, string field, int fallback, int max, out int value, out ProblemHttpResult? problem)
    {
        value = fallback;
        problem = null;
        var raw = request.Query[field];
        if (raw.Count == 0) return true;
        if (raw.Count > 1) problem = Problems.BadRequest(field, "given more than once.");
        else if (!int.TryParse(raw[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value))
            problem = Problems.BadRequest(field, $"must be a whole number; got '{Shorten(raw[0])}'.");
        else problem = CheckCount(field, value, max);
        return problem is null;
    }

    /// <summary>A 400 when <paramref name="value"/> is outside [1, <paramref name="max"/>].</summary>
    public static ProblemHttpResult? CheckCount(string field, int value, int max) =>
        value < 1 ? Problems.BadRequest(field, $"must be at least 1; got {value}.")
        : value > max ? Problems.BadRequest(field, $"must be at most {max} (the server's limit); got {value}.")
        : null;

    /// <summary>A text argument of at most <paramref name="maxLength"/> characters; null when absent and not required.</summary>
    public static bool TryText(HttpRequest request, string field, bool required, int maxLength, out string? value, out ProblemHttpResult? problem)
    {
        value = null;
        problem = null;
        var raw = request.Query[field];
        if (raw.Count == 0)
        {
            if (required) problem = Problems.BadRequest(field, "required.");
            return problem is null;
        }
        if (raw.Count > 1) problem = Problems.BadRequest(field, "given more than once.");
        else if (raw[0]!.Length > maxLength) problem = Problems.BadRequest(field, $"is {raw[0]!.Length} characters long; the limit is {maxLength}.");
        else value = raw[0];
        return problem is null;
    }

    private static string Shorten(string? s) => s is null ? "" : s.Length <= 40 ? s : s[..40] + "...";
}
