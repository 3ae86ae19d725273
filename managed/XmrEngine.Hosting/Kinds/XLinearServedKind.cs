using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XmrEngine.Hosting.Api;
using XmrEngine.Serving;

namespace XmrEngine.Hosting.Kinds;

/// <summary>
/// XR-Linear models (an <c>.xmr</c> file, a sharded directory, a PECOS directory, or a cluster's model through a
/// source): <c>POST /v1/xlinear/{name}/predict</c> with raw sparse rows. The model prepares and checks the rows itself
/// (<see cref="XLinearServingModel"/>), exactly as <c>xmr predict</c> and the library do.
/// </summary>
internal sealed class XLinearServedKind : IServedModelKind
{
    public IModelFormat Format => XLinearModelFormat.Instance;

    public void MapEndpoints(IEndpointRouteBuilder v1) => v1.MapPost("/xlinear/{name}/predict", Predict).WithName("PredictXLinear")
        .WithSummary("Ranks labels for sparse rows with an XR-Linear model.")
        .WithJsonBody<PredictRequest>().Produces<PredictResponse>()
        .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).WithStandardProblems();

    private static async Task<IResult> Predict(string name, HttpRequest http, ModelRegistry registry, XmrEngineOptions options, XmrEngineMetrics metrics, CancellationToken cancel)
    {
        long start = Stopwatch.GetTimestamp();
        return Endpoints.Recorded(metrics, "xlinear.predict", registry, name, start, await PredictCore(name, http, registry, options.Limits, cancel).ConfigureAwait(false));
    }

    private static async Task<IResult> PredictCore(string name, HttpRequest http, ModelRegistry registry, ServingLimits limits, CancellationToken cancel)
    {
        // The body is checked before the model is leased, so a slow upload holds no model version.
        var (request, problem) = await PredictRequestReader.ReadAsync(http, limits, cancel).ConfigureAwait(false);
        if (problem is not null) return problem;
        problem = PredictRequestReader.Validate(request!, limits, out var rows);
        if (problem is not null) return problem;
        if (request!.TopK is int k && QueryArguments.CheckCount("topK", k, limits.MaxTopK) is { } badK) return badK;
        if (request.BeamSize is int b && QueryArguments.CheckCount("beamSize", b, limits.MaxBeamSize) is { } badB) return badB;
        if (!ModelAccess.TryLease<XLinearServingModel>(registry, name, XLinearServingModel.KindName, out var lease, out var model, out problem)) return problem!;
        using (lease)
        {
            Inference.ScoredLabel[][] predicted;
            var searchOptions = model.Options(request.TopK, request.BeamSize);
            try
            {
                predicted = await model.PredictAsync(rows, searchOptions, cancel).ConfigureAwait(false);
            }
            catch (InvalidQueryException e)
            {
                return Problems.BadRequest(e.Field, e.Problem);
            }
            catch (Exception e) when (model.IsSharded && !cancel.IsCancellationRequested)
            {
                // The request was valid; the shards (a cluster gone, a shard file refused) could not answer it,
                // after the router's own retries: the service's trouble, so 503, never 500.
                return Problems.Unavailable(lease.Model.Name, e.Message);
            }
            var results = new LabelScore[predicted.Length][];
            for (int r = 0; r < predicted.Length; r++)
            {
                var row = new LabelScore[predicted[r].Length];
                // The model turns its own scores into probabilities (null when it has no calibration for these options).
                for (int i = 0; i < row.Length; i++) row[i] = new LabelScore(predicted[r][i].Label, predicted[r][i].Score, model.Probability(predicted[r][i].Score, searchOptions));
                results[r] = row;
            }
            return TypedResults.Json(new PredictResponse(lease.Model.Name, lease.Model.Version, results), XmrJson.Context.PredictResponse);
        }
    }
}
