namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// The site a clicked URL points to, so that clicks on different pages of one site count as one item:
/// lower-cased host, without scheme, user info, port, path, query, fragment, trailing dot and leading
/// <c>www.</c> (e.g. <c>http://www.NYTimes.com:80/a?b</c> becomes <c>nytimes.com</c>).
/// </summary>
internal static class SiteHost
{
    /// <summary>The normalised host of <paramref name="url"/>; empty when the URL has no host.</summary>
    public static string Normalize(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var span = url.AsSpan().Trim();
        int scheme = span.IndexOf("://".AsSpan(), StringComparison.Ordinal);
        if (scheme >= 0) span = span[(scheme + 3)..];
        // The authority ends at the first path, query or fragment delimiter.
        int end = span.IndexOfAny('/', '?', '#');
        if (end >= 0) span = span[..end];
        int at = span.LastIndexOf('@');
        if (at >= 0) span = span[(at + 1)..];
        int port = span.LastIndexOf(':');
        if (port >= 0) span = span[..port];
        span = span.TrimEnd('.');
        string host = span.ToString().ToLowerInvariant();
        // Only the first label is dropped: "www.com" stays, as "com" would be a different (and no) site.
        return host.StartsWith("www.", StringComparison.Ordinal) && host.IndexOf('.', 4) > 0 ? host[4..] : host;
    }
}
