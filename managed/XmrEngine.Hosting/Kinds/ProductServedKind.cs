using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Hosting.Api;
using XmrEngine.Hosting.Blocking;
using XmrEngine.Serving;

namespace XmrEngine.Hosting.Kinds;

/// <summary>Product-retrieval folders (<c>xmr text2text train</c>): <c>GET /v1/products/{name}/search?q=...&amp;topK=...</c>.</summary>
internal sealed class ProductServedKind : IServedModelKind
{
    public IModelFormat Format => ProductRetrievalModel.Format;

    public void MapEndpoints(IEndpointRouteBuilder v1) => v1.MapGet("/products/{name}/search", Search).WithName("SearchProducts")
        .WithSummary("Searches a product-retrieval model with query text (q, optional topK).")
        .Produces<SearchResponse>().ProducesProblem(StatusCodes.Status404NotFound).WithStandardProblems()
        .WithQueryParameters(("q", true, "string"), ("topK", false, "integer"));

    private static IResult Search(string name, HttpRequest http, ModelRegistry registry, XmrEngineOptions options, XmrEngineMetrics metrics,
        BlocklistMonitor blocklist)
    {
        long start = Stopwatch.GetTimestamp();
        return Endpoints.Recorded(metrics, "products.search", registry, name, start, SearchCore(name, http, registry, options.Limits, blocklist.Current));
    }

    private static IResult SearchCore(string name, HttpRequest http, ModelRegistry registry, ServingLimits limits, Blocklist blocklist)
    {
        if (!QueryArguments.TryText(http, "q", required: true, limits.MaxQueryLength, out string? q, out var problem)) return problem!;
        if (string.IsNullOrWhiteSpace(q)) return Problems.BadRequest("q", "empty; give the search text.");
        if (!ModelAccess.TryLease<ProductRetrievalModel>(registry, name, ProductRetrievalModel.KindName, out var lease, out var model, out problem)) return problem!;
        using (lease)
        {
            if (!QueryArguments.TryCount(http, "topK", model.Info.Prediction.TopK, limits.MaxTopK, out int topK, out problem)) return problem!;
            var matches = BlockedAnswers.Top(topK, model.LabelCount, k => model.Predict(q, k), m => m.Text, blocklist);
            var hits = new ProductHit[matches.Length];
            for (int i = 0; i < hits.Length; i++) hits[i] = new ProductHit(matches[i].Id, matches[i].Text, matches[i].Score);
            return TypedResults.Json(new SearchResponse(lease.Model.Name, lease.Model.Version, hits), XmrJson.Context.SearchResponse);
        }
    }
}
