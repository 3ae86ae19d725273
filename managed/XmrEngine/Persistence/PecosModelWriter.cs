using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using XmrEngine.IO;
using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Persistence;

/// <summary>
/// Writes a model as PECOS's <c>XLinearModel.save</c> lays it out (the layout <see cref="PecosModelDirectory"/> reads),
/// so PECOS loads it, in Python or predict-only in C++, and predicts what xmr predicts:
/// <code>
/// dir/param.json                      {"model": "XLinearModel"}
/// dir/ranker/param.json               {"model": "HierarchicalMLModel", "depth": d, "nr_features", "nr_codes", "nr_labels"}
/// dir/ranker/{t}.model/param.json     {"model": "MLModel", "bias": b, "nr_features": D, "nr_labels", "nr_codes",
///                                      "pred_kwargs": {"only_topk": beam (last level: top-k), "post_processor": name}}
/// dir/ranker/{t}.model/W.npz          CSC float32 weights, (D + 1) x nodes with the bias row last when b &gt; 0, else D x nodes
/// dir/ranker/{t}.model/C.npz          CSC assignment, nodes x parents (level 0: one column)
/// </code>
/// The folder is written beside the target and renamed into place, so a reader never sees half a model.
/// </summary>
public static class PecosModelWriter
{
    /// <summary>Writes <paramref name="model"/> with <paramref name="options"/> as its saved prediction settings.</summary>
    /// <param name="directory">The folder to create; it must not exist.</param>
    /// <param name="model">One tree (PECOS has no ensembles).</param>
    /// <param name="options">Beam, top-k and post-processor PECOS will predict with by default.</param>
    /// <exception cref="IOException">The folder exists.</exception>
    public static void Save(string directory, XLinearModel model, PredictOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        // Without a trailing separator the staging folder lies beside the target, not inside it.
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (Directory.Exists(target) || File.Exists(target)) throw new IOException($"{directory} already exists; PECOS export writes a new folder.");
        string staging = target + ".partial-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        try
        {
            WriteTo(staging, model, options);
            Directory.Move(staging, target);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static void WriteTo(string root, XLinearModel model, PredictOptions options)
    {
        var chain = model.Chain;
        int depth = chain.Depth, features = model.FeatureCount, labels = chain.LabelCount;
        bool bias = model.Bias > 0;
        string ranker = Path.Combine(root, "ranker");
        Directory.CreateDirectory(ranker);
        WriteJson(Path.Combine(root, "param.json"), new JsonObject { ["model"] = "XLinearModel" });
        int codes = depth > 1 ? chain.Levels[^2].Rows : 1;
        WriteJson(Path.Combine(ranker, "param.json"), new JsonObject
        {
            ["model"] = "HierarchicalMLModel", ["depth"] = depth, ["nr_features"] = features, ["nr_codes"] = codes, ["nr_labels"] = labels,
        });
        for (int t = 0; t < depth; t++)
        {
            string layer = Path.Combine(ranker, $"{t}.model");
            Directory.CreateDirectory(layer);
            var level = chain.Levels[t];
            int parents = t == 0 ? 1 : chain.Levels[t - 1].Rows;
            WriteJson(Path.Combine(layer, "param.json"), new JsonObject
            {
                ["model"] = "MLModel",
                ["nr_labels"] = level.Rows,
                ["nr_features"] = features,
                ["nr_codes"] = parents,
                // PECOS appends a bias row only for a positive bias; -1 is its "no bias".
                ["bias"] = bias ? (double)model.Bias : -1.0,
                ["pred_kwargs"] = new JsonObject
                {
                    ["only_topk"] = t < depth - 1 ? options.BeamSize : options.TopK,
                    ["post_processor"] = options.PostProcessor.Name,
                },
            });
            var w = model.Weights[t];
            // Stored, not deflated: PECOS's C++ loader reads only uncompressed archives.
            NpzFormat.Write(Path.Combine(layer, "W.npz"), bias ? w : WithoutLastRow(w), compressed: false);
            NpzFormat.Write(Path.Combine(layer, "C.npz"), Assignment(chain, t, parents), compressed: false);
        }
    }

    /// <summary>PECOS's code matrix of a level: nodes x parents, one 1 per node in its parent's column.</summary>
    private static CscMatrix Assignment(Indexing.ClusterChain chain, int level, int parents)
    {
        int nodes = chain.Levels[level].Rows;
        var pointers = new long[parents + 1];
        for (int n = 0; n < nodes; n++) pointers[chain.Parent(level, n) + 1]++;
        for (int p = 0; p < parents; p++) pointers[p + 1] += pointers[p];
        var next = pointers[..^1].ToArray();
        var indices = new int[nodes];
        // Nodes in increasing order within each parent's column (scipy's sorted indices).
        for (int n = 0; n < nodes; n++) indices[next[chain.Parent(level, n)]++] = n;
        var values = new float[nodes];
        Array.Fill(values, 1f);
        return new CscMatrix(nodes, parents, pointers, indices, values);
    }

    /// <summary>The weights without the bias row (the last), which PECOS does not store for a model without bias.</summary>
    private static CscMatrix WithoutLastRow(CscMatrix w)
    {
        int biasRow = w.Rows - 1;
        var pointers = new long[w.Cols + 1];
        var indices = new List<int>((int)w.Nnz);
        var values = new List<float>((int)w.Nnz);
        for (int c = 0; c < w.Cols; c++)
        {
            var col = w.Column(c);
            for (int k = 0; k < col.Indices.Length; k++)
            {
                if (col.Indices[k] == biasRow) continue;
                indices.Add(col.Indices[k]);
                values.Add(col.Values[k]);
            }
            pointers[c + 1] = indices.Count;
        }
        return new CscMatrix(biasRow, w.Cols, pointers, indices.ToArray(), values.ToArray());
    }

    private static void WriteJson(string path, JsonObject value) =>
        File.WriteAllText(path, value.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}
