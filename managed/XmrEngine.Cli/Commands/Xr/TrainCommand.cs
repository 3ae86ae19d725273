using System.CommandLine;
using System.Diagnostics;
using XmrEngine.Inference;
using XmrEngine.Indexing;
using XmrEngine.Models;
using XmrEngine.Training;
using XmrEngine.Persistence;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary><c>xmr train</c>: build the label tree and train an XR-Linear model (PECOS defaults).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var x = new Option<string>("-x") { Description = "Features: .npz, or an XMC repository .txt / .svm (then labels are read from it).", Required = true };
        var y = new Option<string?>("-y") { Description = "Labels (.npz); not needed when -x is a .txt/.svm data set." };
        var model = new Option<string>("--model", "-m") { Description = "Output model file.", Required = true };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Do not L2-normalise the feature rows (of any input format); the model records the choice and predict follows it." };
        var flags = new XLinearTrainingFlags();
        var command = new Command("train", "Train an XR-Linear model: PIFA label embedding, hierarchical k-means tree, one linear model per node.")
        {
            x, y, model, noNormalize,
        };
        flags.AddTo(command, ensembles: true);
        command.SetAction(result =>
        {
            string xPath = result.GetRequiredValue(x), modelPath = result.GetRequiredValue(model);
            var yPath = result.GetValue(y);
            OutputPaths.Check(("-m", modelPath), ("-x", xPath), ("-y", yPath));
            var options = flags.Build(result);
            var (b, k) = flags.Prediction(result);
            bool normalize = !result.GetValue(noNormalize);
            var sw = Stopwatch.StartNew();
            var (features, labelsFromX) = InputData.Load(xPath, normalize);
            var labels = yPath is not null ? InputData.LoadLabels(yPath)
                : labelsFromX ?? throw new ArgumentException($"-y is required when -x {xPath} is an .npz file (it holds only the features).");
            double loadMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var trained = XLinearTrainingFlags.WithProgressBar("indexing labels", progress => XLinearTrainer.TrainEnsemble(features, labels, options, progress));
            double trainMs = sw.Elapsed.TotalMilliseconds;
            var c = System.Globalization.CultureInfo.InvariantCulture;
            var training = new Dictionary<string, string>
            {
                ["solver"] = options.Solver.ToName(),
                ["negatives"] = options.Negatives.ToName(),
                ["nr_splits"] = options.Indexer.NrSplits.ToString(c),
                ["max_leaf_size"] = options.Indexer.MaxLeafSize.ToString(c),
                ["threshold"] = options.Threshold.ToString(c),
                ["seed"] = options.Seed.ToString(c),
            };
            // Recorded only for ensembles, so a one-tree model's file stays byte for byte what earlier builds wrote.
            if (options.Trees > 1) training["trees"] = options.Trees.ToString(c);
            var metadata = new ModelMetadata
            {
                Prediction = new PredictOptions { BeamSize = b, TopK = k },
                NormalizeRows = normalize,
                TrainingRowNorm = InputData.MedianRowNorm(features),
                Training = training,
            };
            XLinearModelFile.Save(modelPath, trained, metadata);
            long nnz = trained.Trees.Sum(tree => tree.Weights.Sum(w => w.Nnz));
            string shape = trained.Trees.Count == 1 ? $"depth {trained.Trees[0].Chain.Depth}" : $"{trained.Trees.Count} trees of depth {string.Join("/", trained.Trees.Select(tree => tree.Chain.Depth).Distinct())}";
            CliConsole.OutWriter.WriteLine($"trained {features.Rows:N0} x {features.Cols:N0} features (rows {(normalize ? "L2-normalised" : "as given")}), {labels.Cols:N0} labels, {shape}, " +
                                           $"{nnz:N0} weights into {modelPath}; load {loadMs:F0} ms, train {trainMs:F0} ms");
            return 0;
        });
        return command;
    }
}
