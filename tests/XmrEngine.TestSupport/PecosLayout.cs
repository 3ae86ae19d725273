using System.Text.Json;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Support;

/// <summary>Writes models in PECOS's XLinearModel directory layout, for the loader's and the hosting layer's tests.</summary>
public static class PecosLayout
{
    /// <summary>
    /// Saves <paramref name="model"/> as PECOS's <c>XLinearModel.save</c> lays it out: <c>param.json</c>, <c>ranker/param.json</c>
    /// and per level <c>ranker/t.model/{param.json, W.npz, C.npz}</c>, the matrices written by <paramref name="writeCsc"/>.
    /// </summary>
    public static void Write(string dir, XLinearModel model, int beam, int topK, string post, Action<string, CscMatrix> writeCsc,
        bool biasRow = true, bool skipRootCodes = false)
    {
        var meta = new { class_fullname = "pecos.xmc.xlinear.model###XLinearModel" };
        Directory.CreateDirectory(Path.Combine(dir, "ranker"));
        File.WriteAllText(Path.Combine(dir, "param.json"), JsonSerializer.Serialize(new Dictionary<string, object> { ["__meta__"] = meta }));
        File.WriteAllText(Path.Combine(dir, "ranker", "param.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = "HierarchicalMLModel",
            ["depth"] = model.Chain.Depth,
            ["nr_features"] = model.FeatureCount,
            ["nr_codes"] = model.Chain.Levels[^1].Cols,
            ["nr_labels"] = model.LabelCount,
        }));
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            string layer = Path.Combine(dir, "ranker", $"{t}.model");
            Directory.CreateDirectory(layer);
            var level = model.Chain.Levels[t];
            File.WriteAllText(Path.Combine(layer, "param.json"), JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["model"] = "MLModel",
                ["nr_labels"] = level.Rows,
                ["nr_features"] = model.FeatureCount,
                ["nr_codes"] = level.Cols,
                ["bias"] = biasRow ? (double)model.Bias : -1.0,
                ["pred_kwargs"] = new Dictionary<string, object> { ["only_topk"] = t == model.Chain.Depth - 1 ? topK : beam, ["post_processor"] = post },
            }));
            var w = model.Weights[t];
            if (!biasRow) w = SparseOps.ToCsc(SparseOps.SelectRows(w.ToCsr(), Enumerable.Range(0, w.Rows - 1).ToArray()));
            writeCsc(Path.Combine(layer, "W.npz"), w);
            if (!(skipRootCodes && t == 0)) writeCsc(Path.Combine(layer, "C.npz"), level.ToCsc());
        }
    }
}
