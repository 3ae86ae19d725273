using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Hosting.Api;
using XmrEngine.Hosting.Blocking;
using XmrEngine.Serving;

namespace XmrEngine.Hosting.Kinds;

/// <summary>Auto-complete folders (<c>xmr qac train</c>): <c>GET /v1/qac/{name}/suggest?prefix=...&amp;prev=...&amp;count=...</c>.</summary>
internal sealed class AutoCompleteServedKind : IServedModelKind
{
    public IModelFormat Format => QacModel.Format;

    public void MapEndpoints(IEndpointRouteBuilder v1) => v1.MapGet("/qac/{name}/suggest", Suggest).WithName("Suggest")
        .WithSummary("Auto-complete suggestions for a prefix (prefix, optional prev and count).")
        .Produces<SuggestResponse>().ProducesProblem(StatusCodes.Status404NotFound).WithStandardProblems()
        .WithQueryParameters(("prefix", true, "string"), ("prev", false, "string"), ("count", false, "integer"));

    private static IResult Suggest(string name, HttpRequest http, ModelRegistry registry, XmrEngineOptions options, XmrEngineMetrics metrics,
        BlocklistMonitor blocklist)
    {
        long start = Stopwatch.GetTimestamp();
        return Endpoints.Recorded(metrics, "qac.suggest", registry, name, start, SuggestCore(name, http, registry, options.Limits, blocklist.Current, start));
    }

    private static IResult SuggestCore(string name, HttpRequest http, ModelRegistry registry, ServingLimits limits, Blocklist blocklist, long start)
    {
        if (!QueryArguments.TryText(http, "prefix", required: true, limits.MaxQueryLength, out string? prefix, out var problem)) return problem!;
        if (!QueryArguments.TryText(http, "prev", required: false, limits.MaxQueryLength, out string? previous, out problem)) return problem!;
        if (!QueryArguments.TryCount(http, "count", 10, limits.MaxTopK, out int count, out problem)) return problem!;
        if (!ModelAccess.TryLease<QacModel>(registry, name, QacModel.KindName, out var lease, out var model, out problem)) return problem!;
        using (lease)
        {
            var suggestions = BlockedAnswers.Top(count, model.LabelCount, k => model.Suggest(previous, prefix!, k), s => s.Query, blocklist);
            var items = new SuggestionItem[suggestions.Length];
            for (int i = 0; i < items.Length; i++)
                items[i] = new SuggestionItem(suggestions[i].Query, suggestions[i].Score, suggestions[i].Source.ToName());
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            return TypedResults.Json(new SuggestResponse(lease.Model.Name, lease.Model.Version, items, ms), XmrJson.Context.SuggestResponse);
        }
    }
}
