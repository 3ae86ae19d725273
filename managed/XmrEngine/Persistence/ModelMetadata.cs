using System.Text.Json;
using XmrEngine.Inference;
using XmrEngine.IO;

namespace XmrEngine.Persistence;

/// <summary>
/// What a model file stores beside the weights, typed: the beam settings prediction should use by default,
/// how the training rows were prepared (so queries can be prepared the same way), and a free-form record of
/// how the model was trained (for display only). Stored as a small JSON object in the file's metadata
/// section; <see cref="XLinearModelFile"/> writes and reads it, and the app model directories use the same
/// <see cref="Prediction"/> fields in their manifests.
/// </summary>
public sealed record ModelMetadata
{
    /// <summary>Metadata of a model that carries none: PECOS's beam settings, nothing else recorded.</summary>
    public static ModelMetadata Default { get; } = new();

    /// <summary>Beam size, top-k and post-processor prediction uses unless the caller overrides them.</summary>
    public PredictOptions Prediction { get; init; } = PredictOptions.Default;

    /// <summary>True when the training rows were L2-normalised, false when used as given; null when the file does
    /// not say (files written before the rule was stored, PECOS directories).</summary>
    public bool? NormalizeRows { get; init; }

    /// <summary>Median L2 norm of the training rows as the model saw them; null when unknown.</summary>
    public double? TrainingRowNorm { get; init; }

    /// <summary>How the model was trained (solver, negatives, seed, ...), as name -> text; for display, never interpreted.</summary>
    public IReadOnlyDictionary<string, string> Training { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether queries should be L2-normalised when the caller does not say: the recorded rule, or yes
    /// when none was recorded (the rule text input always had).</summary>
    public bool NormalizeByDefault => NormalizeRows ?? true;

    /// <summary>The JSON object stored in a model file.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WritePrediction(w, Prediction);
            if (NormalizeRows is { } n) w.WriteString("normalize", n ? "l2" : "none");
            if (TrainingRowNorm is { } norm) w.WriteNumber("row_norm_median", Math.Round(norm, 6));
            if (Training.Count > 0)
            {
                w.WriteStartObject("training");
                foreach (var (key, value) in Training) w.WriteString(key, value);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the prediction fields (<c>beam_size</c>, <c>top_k</c>, <c>post_processor</c>, and <c>combination</c> when not average) into an open JSON object.</summary>
    public static void WritePrediction(Utf8JsonWriter writer, PredictOptions prediction)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(prediction);
        writer.WriteNumber("beam_size", prediction.BeamSize);
        writer.WriteNumber("top_k", prediction.TopK);
        writer.WriteString("post_processor", prediction.PostProcessor.Name);
        // Written only when it differs from the default, so files of one-tree models stay as they were.
        if (prediction.Combination != EnsembleCombination.Average)
            writer.WriteString("combination", prediction.Combination.ToName());
    }

    /// <summary>
    /// Reads the prediction fields of a JSON object; absent fields keep <paramref name="fallback"/>'s values.
    /// </summary>
    /// <exception cref="XmrDataException">A field has the wrong type or an invalid value; names <paramref name="path"/> and the field.</exception>
    public static PredictOptions ReadPrediction(JsonElement root, PredictOptions fallback, string path)
    {
        string field = "beam_size";
        try
        {
            var options = fallback;
            if (root.TryGetProperty(field, out var b)) options = options with { BeamSize = b.GetInt32() };
            if (root.TryGetProperty(field = "top_k", out var k)) options = options with { TopK = k.GetInt32() };
            if (root.TryGetProperty(field = "post_processor", out var p)) options = options with { PostProcessor = PostProcessor.Parse(p.GetString() ?? "") };
            if (root.TryGetProperty(field = "combination", out var c)) options = options with { Combination = EnsembleCombinationNames.Parse(c.GetString() ?? "") };
            return options;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new XmrDataException(path, null, "metadata", field, ex.Message, ex);
        }
    }

    /// <summary>Parses the JSON a model file stores (null or empty: <see cref="Default"/>). Unknown fields are ignored,
    /// so files written by other tools with their own fields still load.</summary>
    /// <exception cref="XmrDataException">The JSON is malformed or a field has the wrong type or value; names <paramref name="path"/> and the field.</exception>
    public static ModelMetadata Parse(string? json, string path)
    {
        if (string.IsNullOrEmpty(json)) return Default;
        string field = "metadata";
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new XmrDataException(path, null, "metadata", null, "the model's metadata is not valid: expected a JSON object");
            var metadata = new ModelMetadata { Prediction = ReadPrediction(root, PredictOptions.Default, path) };
            if (root.TryGetProperty(field = "normalize", out var r))
                metadata = metadata with
                {
                    NormalizeRows = r.GetString() switch
                    {
                        "l2" => true,
                        "none" => false,
                        var other => throw new XmrDataException(path, null, "metadata", "normalize", $"the model's metadata is not valid: expected \"l2\" or \"none\", got \"{other}\""),
                    },
                };
            if (root.TryGetProperty(field = "row_norm_median", out var m)) metadata = metadata with { TrainingRowNorm = m.GetDouble() };
            var training = new Dictionary<string, string>();
            if (root.TryGetProperty(field = "training", out var t) && t.ValueKind == JsonValueKind.Object)
                foreach (var p in t.EnumerateObject()) training[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            // Files from before the typed record kept the training description at the top level.
            foreach (var legacy in new[] { "solver", "negatives", "nr_splits", "max_leaf_size", "threshold", "seed" })
                if (root.TryGetProperty(legacy, out var v) && !training.ContainsKey(legacy))
                    training[legacy] = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
            return metadata with { Training = training };
        }
        catch (XmrDataException)
        {
            throw;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new XmrDataException(path, null, "metadata", field, $"the model's metadata is not valid: {ex.Message}", ex);
        }
    }
}
