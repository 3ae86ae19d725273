using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Inference;

namespace XmrEngine.Hosting.Api;

/// <summary>The request handlers behind the <c>/v1</c> routes.</summary>
internal static class Endpoints
{
    public static IResult Models(ModelRegistry registry) =>
        TypedResults.Json(new ModelsResponse(registry.Describe().Select(ToInfo).ToArray()), XmrJson.Context.ModelsResponse);

    public static async Task<IResult> Reload(string name, ModelRegistry registry, CancellationToken cancel)
    {
        var outcome = await registry.ReloadAsync(name, cancel).ConfigureAwait(false);
        if (outcome is null) return Problems.Problem(StatusCodes.Status404NotFound, "Unknown model", $"name: no model is named '{name}'.", "name");
        var info = ToInfo(registry.Describe(name)!);
        var body = new ReloadResponse(name, outcome.Value.ToString().ToLowerInvariant(), info);
        // A failed load is the files' fault, not the request's: 422 with the error, the old version still serving.
        return outcome == ReloadOutcome.Failed
            ? TypedResults.Json(body, XmrJson.Context.ReloadResponse, statusCode: StatusCodes.Status422UnprocessableEntity)
            : TypedResults.Json(body, XmrJson.Context.ReloadResponse);
    }

    public static async Task<IResult> Predict(string name, HttpRequest http, ModelRegistry registry, XmrEngineOptions options, XmrEngineMetrics metrics, CancellationToken cancel)
    {
        long start = Stopwatch.GetTimestamp();
        return Recorded(metrics, "xlinear.predict", registry, name, start, await PredictCore(name, http, registry, options.Limits, cancel).ConfigureAwait(false));
    }

    private static async Task<IResult> PredictCore(string name, HttpRequest http, ModelRegistry registry, ServingLimits limits, CancellationToken cancel)
    {
        // The body is checked before the model is leased, so a slow upload holds no model version.
        var (request, problem) = await PredictRequestReader.ReadAsync(http, limits, cancel).ConfigureAwait(false);
        if (problem is not null) return problem;
        if (!ModelAccess.TryLease(registry, name, ModelKind.XLinear, out var lease, out problem)) return problem!;
        using (lease)
        {
            var model = lease.Model;
            var defaults = model.XLinear?.Defaults ?? model.Sharded!.Defaults;
            problem = PredictRequestReader.Validate(request!, model.FeatureCount, limits, out var rows);
            if (problem is not null) return problem;
            if (request!.TopK is int k && QueryArguments.CheckCount("topK", k, limits.MaxTopK) is { } badK) return badK;
            if (request.BeamSize is int b && QueryArguments.CheckCount("beamSize", b, limits.MaxBeamSize) is { } badB) return badB;
            var options = defaults with
            {
                TopK = request.TopK ?? defaults.TopK,
                BeamSize = request.BeamSize ?? defaults.BeamSize,
            };
            LabelScore[][] results;
            if (model.XLinear is { } predictor)
            {
                results = new LabelScore[rows.Length][];
                for (int r = 0; r < rows.Length; r++)
                {
                    var labels = predictor.Predict(rows[r].Indices, rows[r].Values, options);
                    var row = new LabelScore[labels.Length];
                    for (int i = 0; i < labels.Length; i++) row[i] = new LabelScore(labels[i].Label, labels[i].Score);
                    results[r] = row;
                }
            }
            else
            {
                try
                {
                    results = await ShardedPrediction.PredictAsync(model.Sharded!, rows, options, cancel).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancel.IsCancellationRequested)
                {
                    // The request was valid; the shards (a cluster gone, a shard file refused) could not answer it,
                    // after the router's own retries: the service's trouble, so 503, never 500.
                    return Problems.Unavailable(model.Name, e.Message);
                }
            }
            return TypedResults.Json(new PredictResponse(model.Name, model.Version, results), XmrJson.Context.PredictResponse);
        }
    }

    public static IResult Search(string name, HttpRequest http, ModelRegistry registry, XmrEngineOptions options, XmrEngineMetrics metrics)
    {
        long start = Stopwatch.GetTimestamp();
        return Recorded(metrics, "products.search", registry, name, start, SearchCore(name, http, registry, options.Limits));
    }

    private static IResult SearchCore(string name, HttpRequest http, ModelRegistry registry, ServingLimits limits)
    {
        if (!QueryArguments.TryText(http, "q", required: true, limits.MaxQueryLength, out string? q, out var problem)) return problem!;
        if (string.IsNullOrWhiteSpace(q)) return Problems.BadRequest("q", "empty; give the search text.");
        if (!ModelAccess.TryLease(registry, name, ModelKind.ProductRetrieval, out var lease, out problem)) return problem!;
        using (lease)
        {
            var model = lease.Model.Products!;
            if (!QueryArguments.TryCount(http, "topK", model.Info.Prediction.TopK, limits.MaxTopK, out int topK, out problem)) return problem!;
            var matches = model.Predict(q, topK);
            var hits = new ProductHit[matches.Length];
            for (int i = 0; i < hits.Length; i++) hits[i] = new ProductHit(matches[i].Id, matches[i].Text, matches[i].Score);
            return TypedResults.Json(new SearchResponse(lease.Model.Name, lease.Model.Version, hits), XmrJson.Context.SearchResponse);
        }
    }

    public static IResult Suggest(string name, HttpRequest http, ModelRegistry registry, XmrEngineOptions options, XmrEngineMetrics metrics)
    {
        long start = Stopwatch.GetTimestamp();
        return Recorded(metrics, "qac.suggest", registry, name, start, SuggestCore(name, http, registry, options.Limits, start));
    }

    private static IResult SuggestCore(string name, HttpRequest http, ModelRegistry registry, ServingLimits limits, long start)
    {
        if (!QueryArguments.TryText(http, "prefix", required: true, limits.MaxQueryLength, out string? prefix, out var problem)) return problem!;
        if (!QueryArguments.TryText(http, "prev", required: false, limits.MaxQueryLength, out string? previous, out problem)) return problem!;
        if (!QueryArguments.TryCount(http, "count", 10, limits.MaxTopK, out int count, out problem)) return problem!;
        if (!ModelAccess.TryLease(registry, name, ModelKind.AutoComplete, out var lease, out problem)) return problem!;
        using (lease)
        {
            var suggestions = lease.Model.AutoComplete!.Suggest(previous, prefix!, count);
            var items = new SuggestionItem[suggestions.Length];
            for (int i = 0; i < items.Length; i++)
                items[i] = new SuggestionItem(suggestions[i].Query, suggestions[i].Score, suggestions[i].Source.ToName());
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            return TypedResults.Json(new SuggestResponse(lease.Model.Name, lease.Model.Version, items, ms), XmrJson.Context.SuggestResponse);
        }
    }

    /// <summary>Records the request's latency and status under the endpoint and model (or "unknown"), and passes the result on.</summary>
    private static IResult Recorded(XmrEngineMetrics metrics, string endpoint, ModelRegistry registry, string name, long start, IResult result)
    {
        int status = result is IStatusCodeHttpResult { StatusCode: int code } ? code : StatusCodes.Status200OK;
        metrics.RecordRequest(endpoint, ModelAccess.MetricName(registry, name), status, Stopwatch.GetElapsedTime(start).TotalSeconds);
        return result;
    }

    private static ModelInfo ToInfo(ModelStatus s) =>
        new(s.Name, s.Kind?.ToName(), s.Path, s.Loaded, s.Version, s.LoadedAt, s.LabelCount, s.Reloads, s.LastError, s.LastErrorAt);
}
