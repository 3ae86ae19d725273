using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace XmrEngine.Hosting.Api;

/// <summary>Reads and validates a predict body: size, JSON, then its shape against the limits.</summary>
internal static class PredictRequestReader
{
    /// <summary>The body as a request, or the problem that names what is wrong with it.</summary>
    public static async Task<(PredictRequest? Request, ProblemHttpResult? Problem)> ReadAsync(HttpRequest http, ServingLimits limits, CancellationToken cancel)
    {
        if (http.ContentType is { } type && !IsJson(type))
            return (null, Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Content-Type: must be application/json; got '{type}'.", "Content-Type"));
        if (http.ContentLength > limits.MaxBodyBytes)
            return (null, Problems.TooLarge("body", $"{http.ContentLength} bytes; the limit is {limits.MaxBodyBytes}."));
        var body = await ReadBounded(http.Body, limits.MaxBodyBytes, cancel).ConfigureAwait(false);
        if (body is null) return (null, Problems.TooLarge("body", $"more than {limits.MaxBodyBytes} bytes, the limit."));
        if (body.Length == 0) return (null, Problems.BadRequest("body", "empty; expected a JSON object with \"rows\"."));
        try
        {
            var request = JsonSerializer.Deserialize(body, XmrJson.Context.PredictRequest);
            return request is null
                ? (null, Problems.BadRequest("body", "null; expected a JSON object with \"rows\"."))
                : (request, null);
        }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, Problems.BadRequest(field, $"malformed JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {JsonErrorText.ForClients(FirstSentence(e.Message))}"));
        }
    }

    /// <summary>
    /// The rows checked against the service's limits (row count, entries per row) and for their shape (ids and values
    /// present, aligned). Their content (ids in range and unique, values finite) is the model's to check, as every
    /// front end's queries are (<see cref="Serving.XLinearInput.PrepareRow"/>).
    /// </summary>
    public static ProblemHttpResult? Validate(PredictRequest request, ServingLimits limits, out (int[] Indices, float[] Values)[] rows)
    {
        rows = [];
        if (request.Rows is null) return Problems.BadRequest("rows", "required: a list of {\"indices\": [...], \"values\": [...]} objects.");
        if (request.Rows.Count == 0) return Problems.BadRequest("rows", "empty; give at least one row.");
        if (request.Rows.Count > limits.MaxRows) return Problems.BadRequest("rows", $"{request.Rows.Count} rows; the limit is {limits.MaxRows}.");
        var valid = new (int[] Indices, float[] Values)[request.Rows.Count];
        for (int r = 0; r < valid.Length; r++)
        {
            string at = $"rows[{r}]";
            var row = request.Rows[r];
            if (row is null) return Problems.BadRequest(at, "null; expected {\"indices\": [...], \"values\": [...]}.");
            if (row.Indices is null) return Problems.BadRequest($"{at}.indices", "required.");
            if (row.Values is null) return Problems.BadRequest($"{at}.values", "required.");
            if (row.Indices.Length != row.Values.Length)
                return Problems.BadRequest($"{at}.values", $"holds {row.Values.Length} values for {row.Indices.Length} indices.");
            if (row.Indices.Length > limits.MaxRowNonZeros)
                return Problems.BadRequest($"{at}.indices", $"{row.Indices.Length} entries; the limit is {limits.MaxRowNonZeros}.");
            valid[r] = (row.Indices, row.Values);
        }
        rows = valid;
        return null;
    }

    /// <summary>The whole body, or null as soon as it exceeds <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBounded(Stream body, long limit, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static bool IsJson(string contentType)
    {
        string media = contentType.Split(';')[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
