using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace XmrEngine.Hosting;

/// <summary>The web page's files (product search, prediction, auto-complete), embedded in this assembly (no CDN, no build step).</summary>
internal static class WebPageAssets
{
    private static readonly Dictionary<string, (byte[] Bytes, string ContentType)> Files = Load();

    /// <summary>The routes the page needs: <c>/</c> and each file by name.</summary>
    public static IEnumerable<string> FileNames => Files.Keys;

    public static IResult Serve(string file) =>
        Files.TryGetValue(file, out var asset)
            ? TypedResults.Bytes(asset.Bytes, asset.ContentType)
            : TypedResults.NotFound();

    private static Dictionary<string, (byte[], string)> Load()
    {
        const string prefix = "XmrEngine.Hosting.wwwroot.";
        var assembly = typeof(WebPageAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string name = resource[prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = (copy.ToArray(), ContentType(name));
        }
        return files;
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
