using System.Text.Json;
using System.Text.Json.Serialization;

namespace XmrEngine.Hosting.Api;

/// <summary>
/// Source-generated JSON for every request and response of the endpoints: camelCase, and unknown
/// request properties rejected (a misspelt <c>topk</c> is an error naming it, not a silently ignored field).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict, MaxDepth = 16)]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(SuggestResponse))]
[JsonSerializable(typeof(ModelsResponse))]
[JsonSerializable(typeof(ReloadResponse))]
internal sealed partial class XmrJsonContext : JsonSerializerContext;
