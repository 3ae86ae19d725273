using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace XmrEngine.Hosting.Api;

/// <summary>
/// The one JSON context the endpoints use: <see cref="XmrJsonContext"/>'s generated code with an encoder that
/// leaves '+', '&lt;' and non-ASCII text readable (the answers are JSON bodies, never inlined into HTML).
/// </summary>
internal static class XmrJson
{
    public static XmrJsonContext Context { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        MaxDepth = 16,
    });
}
