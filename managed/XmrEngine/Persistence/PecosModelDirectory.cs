using System.Text.Json;
using XmrEngine.IO;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Sparse;
using XmrEngine.Models;

namespace XmrEngine.Persistence;

/// <summary>A model loaded from PECOS together with the prediction settings PECOS saved with it.</summary>
/// <param name="Model">The tree and weights.</param>
/// <param name="Options">Beam size, top-k and post-processor from the layers' <c>pred_kwargs</c>.</param>
public sealed record PecosXLinearModel(XLinearModel Model, PredictOptions Options);

/// <summary>
/// Reads a model saved by PECOS's <c>XLinearModel.save</c>:
/// <code>
/// dir/param.json                      XLinearModel metadata (optional here)
/// dir/ranker/param.json               {"model": "HierarchicalMLModel", "depth": d, ...}
/// dir/ranker/{t}.model/param.json     {"model": "MLModel", "bias": b, "nr_features": D,
///                                      "pred_kwargs": {"only_topk": k, "post_processor": "l3-hinge"}}
/// dir/ranker/{t}.model/W.npz          scipy CSC weights, (D + 1) x nodes when b &gt; 0, else D x nodes
/// dir/ranker/{t}.model/C.npz          scipy CSC assignment, nodes x parents (may be absent at level 0)
/// </code>
/// PECOS applies the bias only when b &gt; 0; for b &lt;= 0 an empty bias row is appended and the
/// model's bias is 0. The .npz files are decoded by a caller-supplied reader (the scipy
/// <c>save_npz</c> container), which keeps this loader independent of the npz implementation.
/// </summary>
public static class PecosModelDirectory
{
    /// <summary>Loads a PECOS XR-Linear model directory (the XLinearModel folder or its <c>ranker</c> folder).</summary>
    /// <param name="directory">The folder PECOS saved.</param>
    /// <param name="readCscNpz">Reads a scipy sparse .npz file as a CSC matrix.</param>
    /// <exception cref="XmrDataException">A file is missing or malformed; the message names the file and field.</exception>
    public static PecosXLinearModel Load(string directory, Func<string, CscMatrix> readCscNpz)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(readCscNpz);
        string ranker = Path.Combine(directory, "ranker");
        if (!File.Exists(Path.Combine(ranker, "param.json"))) ranker = directory;
        string rankerParam = Path.Combine(ranker, "param.json");
        int depth;
        using (var doc = ReadJson(rankerParam))
        {
            ExpectModel(doc.RootElement, "HierarchicalMLModel", rankerParam);
            depth = doc.RootElement.TryGetProperty("depth", out var d)
                ? GetInt(d, rankerParam, "depth")
                : Directory.GetDirectories(ranker, "*.model").Length;
            if (depth <= 0) throw new XmrDataException(rankerParam, null, null, "depth", $"must be positive; got {depth}.");
        }

        var levels = new List<CsrMatrix>();
        var weights = new List<CscMatrix>();
        int featureCount = -1;
        float bias = 0f;
        int beam = 0, topK = 10;
        PostProcessor? post = null;
        string? postSource = null;
        for (int t = 0; t < depth; t++)
        {
            string layer = Path.Combine(ranker, $"{t}.model");
            string param = Path.Combine(layer, "param.json");
            using var doc = ReadJson(param);
            var root = doc.RootElement;
            ExpectModel(root, "MLModel", param);
            float layerBias = (float)GetDouble(Required(root, "bias", param), param, "bias");
            var kwargs = Required(root, "pred_kwargs", param);
            int onlyTopK = GetInt(Required(kwargs, "only_topk", param), param, "pred_kwargs.only_topk");
            var postElement = Required(kwargs, "post_processor", param);
            if (postElement.ValueKind != JsonValueKind.String)
                throw new XmrDataException(param, null, null, "pred_kwargs.post_processor", $"must be a string; got {postElement.GetRawText()}.");
            string postName = postElement.GetString() ?? "";
            if (!PostProcessor.TryParse(postName, out var layerPost))
                throw new XmrDataException(param, null, null, "pred_kwargs.post_processor", $"'{postName}' is not a known post-processor.");
            if (post is not null && !post.Equals(layerPost))
                throw new XmrDataException(param, null, null, "pred_kwargs.post_processor", $"'{layerPost.Name}' differs from '{post.Name}' in '{postSource}'; one post-processor for all levels is supported.");
            post = layerPost;
            postSource = param;
            if (onlyTopK <= 0) throw new XmrDataException(param, null, null, "pred_kwargs.only_topk", $"must be positive; got {onlyTopK}.");
            if (t < depth - 1) beam = Math.Max(beam, onlyTopK);
            else topK = onlyTopK;

            var w = ReadMatrix(readCscNpz, Path.Combine(layer, "W.npz"));
            bool hasBiasRow = layerBias > 0f;
            int layerFeatures = root.TryGetProperty("nr_features", out var nf)
                ? GetInt(nf, param, "nr_features")
                : w.Rows - (hasBiasRow ? 1 : 0);
            if (w.Rows != layerFeatures + (hasBiasRow ? 1 : 0))
                throw new XmrDataException(Path.Combine(layer, "W.npz"), null, null, "shape", $"has {w.Rows} rows; expected {layerFeatures + (hasBiasRow ? 1 : 0)} for {layerFeatures} features and bias {layerBias}.");
            if (featureCount >= 0 && layerFeatures != featureCount)
                throw new XmrDataException(param, null, null, "nr_features", $"{layerFeatures} features, but level 0 has {featureCount}.");
            if (t > 0 && (layerBias > 0f ? layerBias : 0f) != bias)
                throw new XmrDataException(param, null, null, "bias", $"{layerBias} differs from level 0's; one bias for all levels is supported.");
            featureCount = layerFeatures;
            bias = hasBiasRow ? layerBias : 0f;
            weights.Add(hasBiasRow ? w : AppendEmptyRow(w));

            string cPath = Path.Combine(layer, "C.npz");
            int parents = t == 0 ? 1 : levels[t - 1].Rows;
            levels.Add(t == 0 && !File.Exists(cPath)
                ? ClusterChain.LevelFromParents(new int[w.Cols], 1)
                : AssignmentToLevel(ReadMatrix(readCscNpz, cPath), w.Cols, parents, cPath));
        }

        try
        {
            var model = new XLinearModel(new ClusterChain(levels), weights, featureCount, bias);
            var options = new PredictOptions { BeamSize = beam > 0 ? beam : PredictOptions.Default.BeamSize, TopK = topK, PostProcessor = post! };
            return new PecosXLinearModel(model, options);
        }
        catch (ArgumentException e)
        {
            throw new XmrDataException(ranker, null, null, null, $"the layers do not form a valid model: {e.Message}", e);
        }
    }

    /// <summary>Turns PECOS's CSC code matrix (nodes x parents) into a parent-per-node level.</summary>
    private static CsrMatrix AssignmentToLevel(CscMatrix c, int nodes, int parents, string file)
    {
        if (c.Rows != nodes || c.Cols != parents)
            throw new XmrDataException(file, null, null, "shape", $"is {c.Rows}x{c.Cols}; expected nodes x parents = {nodes}x{parents}.");
        var parentOf = new int[nodes];
        Array.Fill(parentOf, -1);
        for (int p = 0; p < parents; p++)
        {
            foreach (int node in c.Column(p).Indices)
            {
                if (parentOf[node] >= 0)
                    throw new XmrDataException(file, null, null, "assignment", $"node {node} has two parents ({parentOf[node]} and {p}).");
                parentOf[node] = p;
            }
        }
        int orphan = Array.IndexOf(parentOf, -1);
        if (orphan >= 0)
            throw new XmrDataException(file, null, null, "assignment", $"node {orphan} has no parent (pruned trees are not supported).");
        return ClusterChain.LevelFromParents(parentOf, parents);
    }

    private static CscMatrix AppendEmptyRow(CscMatrix w) =>
        new(w.Rows + 1, w.Cols, w.Pointers.ToArray(), w.Indices.ToArray(), w.Values.ToArray());

    private static CscMatrix ReadMatrix(Func<string, CscMatrix> reader, string file)
    {
        if (!File.Exists(file)) throw new XmrDataException(file, null, null, null, "is missing.");
        try
        {
            return reader(file);
        }
        // A caller-supplied reader may raise the runtime's InvalidDataException (zip, deflate); wrapping it keeps
        // XmrDataException the only bad-file error of this loader. An XmrDataException passes unchanged.
        catch (Exception e) when (e is ArgumentException or FormatException or EndOfStreamException or InvalidDataException)
        {
            throw new XmrDataException(file, null, null, null, $"could not be read: {e.Message}", e);
        }
    }

    private static JsonDocument ReadJson(string file)
    {
        if (!File.Exists(file)) throw new XmrDataException(file, null, null, null, "is missing; not a PECOS XR-Linear model directory.");
        try
        {
            return JsonDocument.Parse(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            throw new XmrDataException(file, e.LineNumber + 1, null, null, $"is not valid JSON: {e.Message}", e);
        }
    }

    private static void ExpectModel(JsonElement root, string expected, string file)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var m))
            throw new XmrDataException(file, null, null, "model", $"the required field is missing; expected '{expected}'.");
        // A number, array or object there is a wrong type, not a crash (a fuzzing finding: GetString throws on them).
        if (m.ValueKind != JsonValueKind.String)
            throw new XmrDataException(file, null, null, "model", $"must be the string '{expected}'; got {m.GetRawText()}.");
        string? model = m.GetString();
        if (model != expected)
            throw new XmrDataException(file, null, null, "model", $"is '{model}'; expected '{expected}'.");
    }

    private static JsonElement Required(JsonElement obj, string name, string file) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v)
            ? v
            : throw new XmrDataException(file, null, null, name, "the required field is missing.");

    private static int GetInt(JsonElement e, string file, string field) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v)
            ? v
            : throw new XmrDataException(file, null, null, field, $"must be an integer; got {e.GetRawText()}.");

    private static double GetDouble(JsonElement e, string file, string field) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double v) && double.IsFinite(v)
            ? v
            : throw new XmrDataException(file, null, null, field, $"must be a finite number; got {e.GetRawText()}.");
}
