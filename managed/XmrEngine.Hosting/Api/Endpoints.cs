using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace XmrEngine.Hosting.Api;

/// <summary>The request handlers every kind shares: the model list, reloads, and request metrics.</summary>
internal static class Endpoints
{
    public static IResult Models(ModelRegistry registry) =>
        TypedResults.Json(new ModelsResponse(registry.Describe().Select(s => ToInfo(s, registry.Options)).ToArray()), XmrJson.Context.ModelsResponse);

    public static async Task<IResult> Reload(string name, ModelRegistry registry, CancellationToken cancel)
    {
        var outcome = await registry.ReloadAsync(name, cancel).ConfigureAwait(false);
        if (outcome is null) return Problems.Problem(StatusCodes.Status404NotFound, "Unknown model", $"name: no model is named '{name}'.", "name");
        var info = ToInfo(registry.Describe(name)!, registry.Options);
        var body = new ReloadResponse(name, outcome.Value.ToString().ToLowerInvariant(), info);
        // A failed load is the files' fault, not the request's: 422 with the error, the old version still serving.
        return outcome == ReloadOutcome.Failed
            ? TypedResults.Json(body, XmrJson.Context.ReloadResponse, statusCode: StatusCodes.Status422UnprocessableEntity)
            : TypedResults.Json(body, XmrJson.Context.ReloadResponse);
    }

    /// <summary>Records the request's latency and status under the endpoint and model (or "unknown"), and passes the result on.</summary>
    public static IResult Recorded(XmrEngineMetrics metrics, string endpoint, ModelRegistry registry, string name, long start, IResult result)
    {
        int status = result is IStatusCodeHttpResult { StatusCode: int code } ? code : StatusCodes.Status200OK;
        metrics.RecordRequest(endpoint, ModelAccess.MetricName(registry, name), status, Stopwatch.GetElapsedTime(start).TotalSeconds);
        return result;
    }

    /// <summary>What a client sees of a model: its path relative to the models folder, its errors without server folders.</summary>
    private static ModelInfo ToInfo(ModelStatus status, XmrEngineOptions options)
    {
        var s = ClientPaths.Redact(status, options);
        return new(s.Name, s.Kind, s.Path, s.Loaded, s.Version, s.LoadedAt, s.LabelCount, s.Reloads, s.LastError, s.LastErrorAt);
    }
}
