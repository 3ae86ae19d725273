using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json;
using XmrEngine.IO;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Training;

namespace XmrEngine.Persistence;

/// <summary>
/// What a model file stores beside the weights, typed: the beam settings prediction should use by default,
/// how the training rows were prepared (so queries can be prepared the same way), and how the model was trained
/// (<see cref="TrainingRecord"/>). Stored as a small JSON object in the file's metadata
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

    /// <summary>
    /// How the model was trained (preset, tree, solver, costs, seed, negatives, ...); null when the file records nothing.
    /// <see cref="XLinearModelFile.Save(string, XLinearEnsemble, ModelMetadata?, bool, int)"/> fills it from the
    /// model's own record when this is null. In the file it is the <c>training</c> object; its
    /// <see cref="TrainingRecord.ManBeamSize"/> is the file's <c>beam_size</c> unless it differs (then it is written too).
    /// </summary>
    public TrainingRecord? Training { get; init; }

    /// <summary>
    /// Fields of the file's <c>training</c> object that no <see cref="TrainingRecord"/> property describes, as name -> text,
    /// written after the record's: a shard file's place in its model, another tool's own fields. For display, never interpreted.
    /// </summary>
    public IReadOnlyDictionary<string, string> TrainingNotes { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>
    /// The map from the model's scores to the probability that an answer is relevant, when the model was calibrated
    /// (<c>XmrEngine.Training.HeldOutCalibration</c>); null otherwise. Not part of the JSON: the model file stores it in
    /// its own checksummed calibration section, which <see cref="XLinearModelFile"/> writes and validates on reading.
    /// </summary>
    public ScoreCalibration? Calibration { get; init; }

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
            if (Training is not null || TrainingNotes.Count > 0)
            {
                w.WriteStartObject("training");
                if (Training is { } training)
                    foreach (var (key, value) in TrainingFields(training, Prediction.BeamSize)) w.WriteString(key, value);
                foreach (var (key, value) in TrainingNotes) w.WriteString(key, value);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The <c>training</c> object's fields, in the order and text every file has had them: six always, the rest only
    /// when they differ from the defaults (so files of the settings earlier builds defaulted to keep their bytes).
    /// </summary>
    private static IEnumerable<(string Key, string Value)> TrainingFields(TrainingRecord t, int beamSize)
    {
        var c = CultureInfo.InvariantCulture;
        var defaults = new TrainingRecord();
        yield return ("solver", t.Solver.ToName());
        yield return ("negatives", t.Negatives.ToName());
        yield return ("nr_splits", t.NrSplits.ToString(c));
        yield return ("max_leaf_size", t.MaxLeafSize.ToString(c));
        yield return ("threshold", t.Threshold.ToString(c));
        yield return ("seed", t.Seed.ToString(c));
        if (t.Trees > 1) yield return ("trees", t.Trees.ToString(c));
        if (t.EmptyLabelsLast) yield return ("empty_labels_last", "true");
        if (t.Cp != defaults.Cp || t.Cn != defaults.Cn)
        {
            yield return ("cp", t.Cp.ToString(c));
            yield return ("cn", t.Cn.ToString(c));
        }
        if (t.Eps != defaults.Eps) yield return ("eps", t.Eps.ToString(c));
        if (t.Preset is not null) yield return ("preset", t.Preset);
        if (t.Choice is not null) yield return ("choice", t.Choice);
        // The file stores one beam: the mining beam is written apart only when a caller saved another prediction beam.
        if (t.ManBeamSize is { } mined && mined != beamSize) yield return ("man_beam_size", mined.ToString(c));
    }

    /// <summary>The <c>training</c> keys a <see cref="TrainingRecord"/> describes (<see cref="TrainingFields"/> writes them).</summary>
    private static readonly HashSet<string> RecordKeys = new(StringComparer.Ordinal)
    {
        "solver", "negatives", "nr_splits", "max_leaf_size", "threshold", "seed", "trees", "empty_labels_last", "cp", "cn", "eps", "preset", "choice", "man_beam_size",
    };

    /// <summary>The record the <c>training</c> fields describe; absent fields take the defaults, other keys are not read.</summary>
    private static TrainingRecord ReadTraining(IReadOnlyDictionary<string, JsonElement> fields, int beamSize, string path)
    {
        var c = CultureInfo.InvariantCulture;
        string field = "training";
        try
        {
            string? Text(string key)
            {
                field = $"training.{key}";
                if (!fields.TryGetValue(key, out var v)) return null;
                // xmr writes strings; files from before the training object (and other tools) may hold raw numbers.
                return v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
            }
            var t = new TrainingRecord();
            if (Text("solver") is { } solver) t = t with { Solver = SolverTypeNames.Parse(solver) };
            if (Text("negatives") is { } negatives) t = t with { Negatives = NegativeSamplingNames.Parse(negatives) };
            if (Text("nr_splits") is { } splits) t = t with { NrSplits = int.Parse(splits, c) };
            if (Text("max_leaf_size") is { } leaf) t = t with { MaxLeafSize = int.Parse(leaf, c) };
            if (Text("threshold") is { } threshold) t = t with { Threshold = float.Parse(threshold, c) };
            if (Text("seed") is { } seed) t = t with { Seed = int.Parse(seed, c) };
            if (Text("trees") is { } trees) t = t with { Trees = int.Parse(trees, c) };
            if (Text("empty_labels_last") is { } empty) t = t with { EmptyLabelsLast = bool.Parse(empty) };
            if (Text("cp") is { } cp) t = t with { Cp = double.Parse(cp, c) };
            if (Text("cn") is { } cn) t = t with { Cn = double.Parse(cn, c) };
            if (Text("eps") is { } eps) t = t with { Eps = double.Parse(eps, c) };
            if (Text("preset") is { } preset) t = t with { Preset = preset };
            if (Text("choice") is { } choice) t = t with { Choice = choice };
            if (t.Negatives.HasFlag(NegativeSampling.Man))
                t = t with { ManBeamSize = Text("man_beam_size") is { } mined ? int.Parse(mined, c) : beamSize };
            return t;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw new XmrDataException(path, null, "metadata", field, $"the model's training record is not valid: {ex.Message}", ex);
        }
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
            var training = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (root.TryGetProperty(field = "training", out var t) && t.ValueKind == JsonValueKind.Object)
                foreach (var p in t.EnumerateObject()) training[p.Name] = p.Value.Clone();
            // Files from before the typed metadata kept the training description at the top level.
            foreach (var legacy in new[] { "solver", "negatives", "nr_splits", "max_leaf_size", "threshold", "seed" })
                if (root.TryGetProperty(legacy, out var v) && !training.ContainsKey(legacy))
                    training[legacy] = v.Clone();
            if (training.Keys.Any(RecordKeys.Contains)) metadata = metadata with { Training = ReadTraining(training, metadata.Prediction.BeamSize, path) };
            var notes = training.Where(p => !RecordKeys.Contains(p.Key))
                .ToDictionary(p => p.Key, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
            return notes.Count == 0 ? metadata : metadata with { TrainingNotes = notes };
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
