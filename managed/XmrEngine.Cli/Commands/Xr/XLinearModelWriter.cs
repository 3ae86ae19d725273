using System.Globalization;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>Saves what `xmr train` and `xmr tune` trained, with the metadata predict reads back, and prints the summary line.</summary>
internal static class XLinearModelWriter
{
    private static readonly XLinearTrainOptions Defaults = new();

    public static void Save(string modelPath, XLinearEnsemble trained, XLinearTrainOptions options, PredictOptions prediction, bool normalize,
        CsrMatrix features, int labelCount, double loadMs, double trainMs, string? preset = null)
    {
        var c = CultureInfo.InvariantCulture;
        var training = new Dictionary<string, string>
        {
            ["solver"] = options.Solver.ToName(),
            ["negatives"] = options.Negatives.ToName(),
            ["nr_splits"] = options.Indexer.NrSplits.ToString(c),
            ["max_leaf_size"] = options.Indexer.MaxLeafSize.ToString(c),
            ["threshold"] = options.Threshold.ToString(c),
            ["seed"] = options.Seed.ToString(c),
        };
        // Recorded only when they differ from the defaults (the tree's flag only when set), so files of the
        // settings earlier builds defaulted to keep their bytes.
        if (options.Trees > 1) training["trees"] = options.Trees.ToString(c);
        if (options.Indexer.EmptyRowsLast) training["empty_labels_last"] = "true";
        if (options.Cp != Defaults.Cp || options.Cn != Defaults.Cn) (training["cp"], training["cn"]) = (options.Cp.ToString(c), options.Cn.ToString(c));
        if (options.Eps != Defaults.Eps) training["eps"] = options.Eps.ToString(c);
        if (preset is not null) training["preset"] = preset;
        var metadata = new ModelMetadata
        {
            Prediction = prediction,
            NormalizeRows = normalize,
            TrainingRowNorm = InputData.MedianRowNorm(features),
            Training = training,
        };
        XLinearModelFile.Save(modelPath, trained, metadata, threads: options.Threads);
        long nnz = trained.Trees.Sum(tree => tree.Weights.Sum(w => w.Nnz));
        string shape = trained.Trees.Count == 1 ? $"depth {trained.Trees[0].Chain.Depth}" : $"{trained.Trees.Count} trees of depth {string.Join("/", trained.Trees.Select(tree => tree.Chain.Depth).Distinct())}";
        CliConsole.OutWriter.WriteLine($"trained {features.Rows:N0} x {features.Cols:N0} features (rows {(normalize ? "L2-normalised" : "as given")}), {labelCount:N0} labels, {shape}, " +
                                       $"{nnz:N0} weights into {modelPath}; load {loadMs:F0} ms, train {trainMs:F0} ms");
    }
}
