using System.Globalization;
using System.Text.Json;
using XmrEngine.Inference;
using XmrEngine.IO;

namespace XmrEngine.Cli;

/// <summary>
/// What <c>xmr train</c> stores beside an XR-Linear model (the model file's metadata JSON) and prediction
/// needs back: the beam settings, and how input rows were prepared — whether they were L2-normalised and
/// the median norm of the training rows, so <c>xmr predict</c> can apply the same rule by default and warn
/// when the queries are clearly scaled differently.
/// </summary>
/// <param name="Prediction">Beam size, top-k, post-processor.</param>
/// <param name="NormalizeRows">True when training rows were L2-normalised; null when the model does not say
/// (files from before the rule was stored, PECOS directories): then rows are normalised, as they always were for text input.</param>
/// <param name="TrainingRowNorm">Median L2 norm of the training rows as the model saw them; null when unknown.</param>
internal sealed record ModelSettings(PredictOptions Prediction, bool? NormalizeRows, double? TrainingRowNorm)
{
    /// <summary>Settings of a model that carries none: PECOS's defaults, rows normalised.</summary>
    public static ModelSettings Default { get; } = new(PredictOptions.Default, null, null);

    /// <summary>Whether prediction should normalise rows when the user gave no flag.</summary>
    public bool NormalizeByDefault => NormalizeRows ?? true;

    /// <summary>The metadata JSON <c>xmr train</c> writes: these settings plus the training <paramref name="extra"/> fields.</summary>
    public string ToJson(IReadOnlyDictionary<string, object> extra)
    {
        var o = new Dictionary<string, object>
        {
            ["beam_size"] = Prediction.BeamSize,
            ["top_k"] = Prediction.TopK,
            ["post_processor"] = Prediction.PostProcessor.Name,
            ["normalize"] = NormalizeByDefault ? "l2" : "none",
        };
        if (TrainingRowNorm is { } n) o["row_norm_median"] = Math.Round(n, 6);
        foreach (var (k, v) in extra) o[k] = v;
        return JsonSerializer.Serialize(o);
    }

    /// <summary>Reads the settings from a model file's metadata JSON (null or empty: <see cref="Default"/>).</summary>
    /// <exception cref="XmrDataException">The JSON is malformed or a field has the wrong type or value; names <paramref name="path"/>.</exception>
    public static ModelSettings FromJson(string? json, string path)
    {
        if (string.IsNullOrEmpty(json)) return Default;
        string field = "metadata";
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var options = PredictOptions.Default;
            bool? normalize = null;
            double? norm = null;
            if (root.TryGetProperty(field = "beam_size", out var b)) options = options with { BeamSize = b.GetInt32() };
            if (root.TryGetProperty(field = "top_k", out var k)) options = options with { TopK = k.GetInt32() };
            if (root.TryGetProperty(field = "post_processor", out var p)) options = options with { PostProcessor = PostProcessor.Parse(p.GetString() ?? "l3-hinge") };
            if (root.TryGetProperty(field = "normalize", out var r))
                normalize = r.GetString() switch
                {
                    "l2" => true,
                    "none" => false,
                    var other => throw new FormatException($"expected \"l2\" or \"none\", got \"{other}\""),
                };
            if (root.TryGetProperty(field = "row_norm_median", out var m)) norm = m.GetDouble();
            return new ModelSettings(options, normalize, norm);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new XmrDataException(path, null, "metadata", field, $"the model's metadata is not valid: {ex.Message}");
        }
    }

    /// <summary>
    /// A warning when the queries' median row norm (as they will be scored) differs from the training rows'
    /// by more than a factor of 2, or null. Only models that stored their training norm can be checked.
    /// </summary>
    public string? ScaleWarning(double queryNorm, bool normalized, string queryPath)
    {
        if (TrainingRowNorm is not { } trained || trained <= 0 || queryNorm <= 0) return null;
        double ratio = queryNorm / trained;
        if (ratio is >= 0.5 and <= 2) return null;
        string hint = NormalizeByDefault && !normalized
            ? "the model was trained on L2-normalised rows; drop --no-normalize"
            : "the model was trained on rows that were not normalised; the queries need the same preparation";
        return string.Create(CultureInfo.InvariantCulture,
            $"{queryPath}: rows have median L2 norm {queryNorm:G4} but the model's training rows had {trained:G4} ({hint}); predictions may be poor.");
    }
}
