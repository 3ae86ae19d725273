using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace XmrEngine.Hosting.Api;

/// <summary>RFC 7807 problem-details answers; every client error names the field it is about.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string field, string detail) =>
        Problem(StatusCodes.Status400BadRequest, "Invalid request", $"{field}: {detail}", field);

    public static ProblemHttpResult TooLarge(string field, string detail) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", $"{field}: {detail}", field);

    public static ProblemHttpResult UnknownModel(string name, string kindSegment) =>
        Problem(StatusCodes.Status404NotFound, "Unknown model", $"name: no {kindSegment} model is named '{name}'.", "name");

    public static ProblemHttpResult WrongKind(string name, string actual, string kindSegment) =>
        Problem(StatusCodes.Status404NotFound, "Unknown model",
            $"name: '{name}' is a model of kind '{actual}'; no {kindSegment} model has that name.", "name");

    public static ProblemHttpResult NotLoaded(ModelStatus status) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Model not loaded",
            $"name: '{status.Name}' has no loaded version yet{(status.LastError is null ? "" : $"; its last load failed: {status.LastError}")}.", "name");

    public static ProblemHttpResult Unavailable(string name, string error) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Model unavailable", $"name: '{name}' could not answer: {error}", "name");

    public static ProblemHttpResult Problem(int status, string title, string detail, string? field) =>
        TypedResults.Problem(detail, statusCode: status, title: title,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });
}
