using System.Net;

namespace XmrEngine.Cli.Commands.Serve;

/// <summary>What the <c>--urls</c> addresses reach: only this machine (loopback), or a network.</summary>
internal static class ListenAddresses
{
    /// <summary>
    /// The addresses of <paramref name="urls"/> that other machines can reach: any host that is not <c>localhost</c> or a
    /// loopback IP (<c>0.0.0.0</c>, <c>*</c>, <c>+</c>, a name or a network IP).
    /// </summary>
    public static IReadOnlyList<string> Exposed(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(u => !IsLoopback(u)).ToArray();

    private static bool IsLoopback(string url)
    {
        // Kestrel's wildcards are not valid URI hosts; they listen on every interface.
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        string rest = scheme < 0 ? url : url[(scheme + 3)..];
        if (rest.StartsWith('*') || rest.StartsWith('+')) return false;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return false;
        string host = uri.Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
