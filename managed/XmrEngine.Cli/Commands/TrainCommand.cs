using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using XmrEngine.Indexing;
using XmrEngine.Models;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands;

/// <summary><c>xmr train</c>: build the label tree and train an XR-Linear model (PECOS defaults).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var x = new Option<string>("-x") { Description = "Features: .npz, or an XMC repository .txt / .svm (then labels are read from it).", Required = true };
        var y = new Option<string?>("-y") { Description = "Labels (.npz); not needed when -x is a .txt/.svm data set." };
        var model = new Option<string>("--model", "-m") { Description = "Output model file.", Required = true };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Do not L2-normalise rows of a .txt/.svm input." };
        var flags = new XLinearTrainingFlags();
        var command = new Command("train", "Train an XR-Linear model: PIFA label embedding, hierarchical k-means tree, one linear model per node.")
        {
            x, y, model, noNormalize,
        };
        flags.AddTo(command);
        command.SetAction(result =>
        {
            var options = flags.Build(result);
            var (b, k) = flags.Prediction(result);
            var sw = Stopwatch.StartNew();
            var (features, labelsFromX) = InputData.Load(result.GetRequiredValue(x), !result.GetValue(noNormalize));
            var yPath = result.GetValue(y);
            var labels = yPath is not null ? InputData.LoadLabels(yPath)
                : labelsFromX ?? throw new ArgumentException("-y is required when -x is an .npz file.");
            double loadMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var trained = XLinearTrainingFlags.WithProgressBar("indexing labels", progress => XLinearTrainer.Train(features, labels, options, progress));
            double trainMs = sw.Elapsed.TotalMilliseconds;
            var metadata = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["beam_size"] = b,
                ["top_k"] = k,
                ["post_processor"] = "l3-hinge",
                ["solver"] = options.Solver.ToName(),
                ["negatives"] = options.Negatives.ToName(),
                ["nr_splits"] = options.Indexer.NrSplits,
                ["max_leaf_size"] = options.Indexer.MaxLeafSize,
                ["threshold"] = options.Threshold,
                ["seed"] = options.Seed,
            });
            XLinearModelFile.Save(result.GetRequiredValue(model), trained, metadata);
            long nnz = trained.Weights.Sum(w => w.Nnz);
            Console.Error.WriteLine($"trained {features.Rows:N0} x {features.Cols:N0} features, {labels.Cols:N0} labels, depth {trained.Chain.Depth}, " +
                                    $"{nnz:N0} weights; load {loadMs:F0} ms, train {trainMs:F0} ms");
            return 0;
        });
        return command;
    }
}
