using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using XmrEngine.IO;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// The fusion ranker of auto-completion: a linear scorer over each merged candidate's standardised features
/// (<see cref="QacRankingFeatures"/>), with one weight vector per prefix-length bucket, trained listwise
/// (softmax cross-entropy of the true next query against the other candidates of its request) on users the
/// XR-Linear model did not train on. It also fixes how many candidates each source contributes, because
/// its weights were learnt on pools of that size. Immutable and thread-safe.
/// </summary>
public sealed class QacRanker
{
    /// <summary>Format name stored in the ranker file.</summary>
    public const string Format = "xmr-qac-ranker";

    /// <summary>Format version this build writes and reads.</summary>
    public const int Version = 1;

    private const int MaxPoolSource = 100_000;
    private readonly float[] _mean;
    private readonly float[] _scale;
    private readonly float[] _weights; // bucket * Count + feature

    /// <summary>Prefix-matching beam candidates taken into the pool, best first.</summary>
    public int ModelCandidates { get; }

    /// <summary>Most-popular completions of the prefix taken into the pool.</summary>
    public int PopularCandidates { get; }

    /// <summary>Popular completions of each previous-query stem (the whole previous query, its first word) taken into the pool.</summary>
    public int PreviousCandidates { get; }

    /// <summary>What the ranker was trained on.</summary>
    public QacRankerTrainingInfo Training { get; }

    /// <summary>Assembles a ranker after checking its parts.</summary>
    /// <param name="mean">Per-feature mean subtracted before weighting.</param>
    /// <param name="scale">Per-feature divisor (positive).</param>
    /// <param name="weights">Weights, <see cref="QacRankingFeatures.Buckets"/> blocks of one weight per feature.</param>
    /// <param name="modelCandidates">See <see cref="ModelCandidates"/>.</param>
    /// <param name="popularCandidates">See <see cref="PopularCandidates"/>.</param>
    /// <param name="previousCandidates">See <see cref="PreviousCandidates"/>.</param>
    /// <param name="training">See <see cref="Training"/>.</param>
    /// <exception cref="ArgumentException">A length is wrong, a value is not finite, a scale is not positive, or a count is out of range.</exception>
    internal QacRanker(float[] mean, float[] scale, float[] weights, int modelCandidates, int popularCandidates, int previousCandidates, QacRankerTrainingInfo training)
    {
        int f = QacRankingFeatures.Count;
        if (mean.Length != f || scale.Length != f) throw new ArgumentException($"mean and scale need {f} values; got {mean.Length} and {scale.Length}.");
        if (weights.Length != f * QacRankingFeatures.Buckets) throw new ArgumentException($"weights need {f * QacRankingFeatures.Buckets} values; got {weights.Length}.");
        foreach (var (name, values) in new[] { ("mean", mean), ("scale", scale), ("weights", weights) })
            for (int i = 0; i < values.Length; i++)
                if (!float.IsFinite(values[i])) throw new ArgumentException($"{name}[{i}] is {values[i]}; every value must be finite.");
        for (int i = 0; i < f; i++)
            if (scale[i] <= 0) throw new ArgumentException($"scale[{i}] is {scale[i]}; scales must be positive.");
        foreach (var (name, value) in new[] { ("model_candidates", modelCandidates), ("popular_candidates", popularCandidates), ("previous_candidates", previousCandidates) })
            if (value is < 1 or > MaxPoolSource) throw new ArgumentException($"{name} is {value}; it must be in 1..{MaxPoolSource}.");
        _mean = mean;
        _scale = scale;
        _weights = weights;
        ModelCandidates = modelCandidates;
        PopularCandidates = popularCandidates;
        PreviousCandidates = previousCandidates;
        Training = training;
    }

    /// <summary>The weight of feature <paramref name="feature"/> in prefix bucket <paramref name="bucket"/> (on the standardised feature).</summary>
    public float Weight(int bucket, int feature) => _weights[bucket * QacRankingFeatures.Count + feature];

    /// <summary>The feature names the weights refer to, in order.</summary>
    public static IReadOnlyList<string> FeatureNames => QacRankingFeatures.Names;

    /// <summary>Scores one candidate's base features in a bucket.</summary>
    internal float Score(ReadOnlySpan<float> features, int bucket)
    {
        var w = _weights.AsSpan(bucket * QacRankingFeatures.Count, QacRankingFeatures.Count);
        float s = 0;
        for (int i = 0; i < w.Length; i++) s += w[i] * ((features[i] - _mean[i]) / _scale[i]);
        return s;
    }

    /// <summary>Writes the ranker as JSON (float values round-trip exactly, so a loaded ranker scores identically).</summary>
    internal void Save(string file)
    {
        var o = new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["features"] = new JsonArray(QacRankingFeatures.Names.Select(n => (JsonNode?)n).ToArray()),
            ["buckets"] = new JsonArray(QacEvaluator.Buckets.Select(n => (JsonNode?)n).ToArray()),
            ["model_candidates"] = ModelCandidates,
            ["popular_candidates"] = PopularCandidates,
            ["previous_candidates"] = PreviousCandidates,
            ["mean"] = Array(_mean),
            ["scale"] = Array(_scale),
            ["weights"] = Array(_weights),
            ["training"] = new JsonObject
            {
                ["users"] = Training.Users,
                ["pairs"] = Training.Pairs,
                ["lists"] = Training.Lists,
                ["lists_without_answer"] = Training.ListsWithoutAnswer,
                ["iterations"] = Training.Iterations,
                ["loss"] = Training.Loss,
                ["l2"] = Training.L2,
            },
        };
        File.WriteAllText(file, o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), new UTF8Encoding(false));
    }

    private static JsonArray Array(float[] values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static XmrDataException Bad(string file, string problem) => new(file, null, null, "ranker", problem);

    /// <summary>Reads a ranker file written by <see cref="Save"/>.</summary>
    /// <exception cref="XmrDataException">The file is malformed, of another version, or made for other features; the message names the field.</exception>
    internal static QacRanker Load(string file)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw Bad(file, "the top level is not a JSON object");
            JsonNode Node(string key) => root[key] ?? throw Bad(file, $"the key \"{key}\" is missing");
            T Get<T>(string key) => Node(key).GetValue<T>();
            if (Get<string>("format") != Format) throw Bad(file, $"\"format\" is not \"{Format}\"");
            int version = Get<int>("version");
            if (version != Version) throw Bad(file, $"version {version} is not supported (this build reads version {Version})");
            var names = Node("features").AsArray().Select(n => n?.GetValue<string>()).ToArray();
            if (!names.SequenceEqual(QacRankingFeatures.Names))
                throw Bad(file, $"\"features\" are [{string.Join(", ", names)}]; this build computes [{string.Join(", ", QacRankingFeatures.Names)}]");
            float[] Floats(string key) => Node(key).AsArray().Select(n => (n ?? throw Bad(file, $"\"{key}\" holds a null")).GetValue<float>()).ToArray();
            var t = Node("training").AsObject();
            T Train<T>(string key) => (t[key] ?? throw Bad(file, $"the key \"training.{key}\" is missing")).GetValue<T>();
            var info = new QacRankerTrainingInfo(Train<int>("users"), Train<int>("pairs"), Train<int>("lists"), Train<int>("lists_without_answer"),
                Train<int>("iterations"), Train<double>("loss"), Train<double>("l2"));
            return new QacRanker(Floats("mean"), Floats("scale"), Floats("weights"), Get<int>("model_candidates"), Get<int>("popular_candidates"),
                Get<int>("previous_candidates"), info);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new XmrDataException(file, null, null, "ranker", e.Message, e);
        }
    }
}

/// <summary>What a <see cref="QacRanker"/> was trained on.</summary>
/// <param name="Users">Users (or TSV session ids) of the ranker's slice, none of them seen by the XR-Linear model.</param>
/// <param name="Pairs">Their (previous, next) pairs.</param>
/// <param name="Lists">Training requests (pair x prefix) whose pool held the true next query.</param>
/// <param name="ListsWithoutAnswer">Requests skipped because no source proposed the true next query.</param>
/// <param name="Iterations">Optimiser iterations.</param>
/// <param name="Loss">Final mean listwise loss (softmax cross-entropy, without the L2 term).</param>
/// <param name="L2">L2 penalty on the weights.</param>
public sealed record QacRankerTrainingInfo(int Users, int Pairs, int Lists, int ListsWithoutAnswer, int Iterations, double Loss, double L2);
