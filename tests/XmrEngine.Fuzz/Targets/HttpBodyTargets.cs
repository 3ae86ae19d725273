using System.Text.Json;
using Microsoft.AspNetCore.Http;
using XmrEngine.Hosting;
using XmrEngine.Hosting.Api;
using XmrEngine.Persistence;
using XmrEngine.Serving;

namespace XmrEngine.Fuzz.Targets;

/// <summary>
/// The body of <c>POST /v1/xlinear/{name}/predict</c>, through the functions the endpoint uses (read, then validate
/// the body's shape, then each row as a model with <see cref="FeatureCount"/> features prepares it), without a server. The contract here is the HTTP one:
/// a problem answer (400/413/415) naming the field, or rows that are safe to predict on. Any exception is a finding.
/// </summary>
internal static class HttpBodyTargets
{
    private const int FeatureCount = 50;
    private static readonly ServingLimits Limits = new() { MaxRows = 16, MaxRowNonZeros = 64, MaxBodyBytes = 1 << 16 };
    private static readonly XLinearInput Input = new(FeatureCount, ModelMetadata.Default);

    public static readonly FuzzTarget Predict = new("http", Run, Seed);

    private static void Run(byte[] input)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(input);
        var (request, problem) = PredictRequestReader.ReadAsync(context.Request, Limits, CancellationToken.None).GetAwaiter().GetResult();
        if (problem is not null) return;
        problem = PredictRequestReader.Validate(request!, Limits, out var rows);
        if (problem is not null) return;
        foreach (var raw in rows)
        {
            if (raw.Indices.Length != raw.Values.Length || raw.Indices.Length > Limits.MaxRowNonZeros)
                throw new InvalidOperationException("a validated row has mismatched or too many entries");
            // The model checks and prepares the row's content, as the endpoint has it do: a bad row is an
            // InvalidQueryException (a 400 naming the field), never anything else.
            (int[] Indices, float[] Values) row;
            try
            {
                row = Input.PrepareRow(raw.Indices, raw.Values);
            }
            catch (InvalidQueryException)
            {
                continue;
            }
            for (int i = 0; i < row.Indices.Length; i++)
            {
                if ((uint)row.Indices[i] >= FeatureCount || !float.IsFinite(row.Values[i]) || (i > 0 && row.Indices[i] <= row.Indices[i - 1]))
                    throw new InvalidOperationException($"a prepared row holds feature {row.Indices[i]} = {row.Values[i]} out of order or range");
            }
        }
        if (request!.TopK is int k) _ = QueryArguments.CheckCount("topK", k, Limits.MaxTopK);
        if (request.BeamSize is int b) _ = QueryArguments.CheckCount("beamSize", b, Limits.MaxBeamSize);
    }

    private static void Seed(string directory)
    {
        Write(directory, "one-row.json", new PredictRequest { Rows = [new SparseRowRequest { Indices = [3, 1, 7], Values = [0.5f, 1f, -2f] }] });
        Write(directory, "options.json", new PredictRequest
        {
            Rows = [new SparseRowRequest { Indices = [0], Values = [1f] }, new SparseRowRequest { Indices = [], Values = [] }],
            TopK = 5,
            BeamSize = 10,
        });
        Write(directory, "duplicate.json", new PredictRequest { Rows = [new SparseRowRequest { Indices = [4, 4], Values = [1f, 2f] }] });
    }

    private static void Write(string directory, string name, PredictRequest request) =>
        File.WriteAllBytes(Path.Combine(directory, name), JsonSerializer.SerializeToUtf8Bytes(request, XmrJson.Context.PredictRequest));
}
