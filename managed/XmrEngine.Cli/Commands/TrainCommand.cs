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
        var d = new XLinearTrainOptions();
        var x = new Option<string>("-x") { Description = "Features: .npz, or an XMC repository .txt / .svm (then labels are read from it).", Required = true };
        var y = new Option<string?>("-y") { Description = "Labels (.npz); not needed when -x is a .txt/.svm data set." };
        var model = new Option<string>("--model", "-m") { Description = "Output model file.", Required = true };
        var nrSplits = new Option<int>("--nr-splits") { Description = "Tree branching factor (power of 2).", DefaultValueFactory = _ => d.Indexer.NrSplits };
        var maxLeaf = new Option<int>("--max-leaf-size") { Description = "Most labels per leaf cluster.", DefaultValueFactory = _ => d.Indexer.MaxLeafSize };
        var solver = new Option<string>("--solver") { Description = "l2-hinge | l1-hinge | logistic.", DefaultValueFactory = _ => d.Solver.ToName() };
        var cp = new Option<double>("--Cp") { Description = "Cost on positives.", DefaultValueFactory = _ => d.Cp };
        var cn = new Option<double>("--Cn") { Description = "Cost on negatives.", DefaultValueFactory = _ => d.Cn };
        var bias = new Option<float>("--bias") { Description = "Bias feature value (0 = no bias).", DefaultValueFactory = _ => d.Bias };
        var threshold = new Option<float>("--threshold") { Description = "Drop weights with |w| below this.", DefaultValueFactory = _ => d.Threshold };
        var negatives = new Option<string>("--negatives") { Description = "tfn | man | tfn+man.", DefaultValueFactory = _ => d.Negatives.ToName() };
        var beam = new Option<int>("--beam-size") { Description = "Beam size saved as the model's prediction default (and used for MAN negatives).", DefaultValueFactory = _ => 10 };
        var topK = new Option<int>("--top-k") { Description = "Top-k saved as the model's prediction default.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Random seed (tree and solver order).", DefaultValueFactory = _ => 0 };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Do not L2-normalise rows of a .txt/.svm input." };
        var threads = CommonOptions.Threads();
        var backend = CommonOptions.Backend();
        var command = new Command("train", "Train an XR-Linear model: PIFA label embedding, hierarchical k-means tree, one linear model per node.")
        {
            x, y, model, nrSplits, maxLeaf, solver, cp, cn, bias, threshold, negatives, beam, topK, seed, noNormalize, threads, backend,
        };
        command.SetAction(result =>
        {
            var kernels = CommonOptions.Kernels(result, backend);
            var options = new XLinearTrainOptions
            {
                Solver = SolverTypeNames.Parse(result.GetRequiredValue(solver)),
                Cp = result.GetValue(cp),
                Cn = result.GetValue(cn),
                Bias = result.GetValue(bias),
                Threshold = result.GetValue(threshold),
                Negatives = NegativeSamplingNames.Parse(result.GetRequiredValue(negatives)),
                ManBeamSize = result.GetValue(beam),
                Seed = result.GetValue(seed),
                Threads = CommonOptions.ThreadCount(result, threads),
                Backend = kernels.Backend,
                Indexer = new HierarchicalKMeansOptions
                {
                    NrSplits = result.GetValue(nrSplits),
                    MaxLeafSize = result.GetValue(maxLeaf),
                    Seed = result.GetValue(seed),
                    Threads = CommonOptions.ThreadCount(result, threads),
                },
            };
            int k = result.GetValue(topK), b = result.GetValue(beam);
            if (k < 1 || b < 1) throw new ArgumentException($"--top-k and --beam-size must be positive; got {k} and {b}.");
            var sw = Stopwatch.StartNew();
            var (features, labelsFromX) = InputData.Load(result.GetRequiredValue(x), !result.GetValue(noNormalize));
            var yPath = result.GetValue(y);
            var labels = yPath is not null ? InputData.LoadLabels(yPath)
                : labelsFromX ?? throw new ArgumentException("-y is required when -x is an .npz file.");
            double loadMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            XLinearModel trained = null!;
            AnsiConsole.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("indexing labels", maxValue: 1);
                    var progress = new SynchronousProgress<TrainingProgress>(p =>
                    {
                        task.Description = $"training level {p.Level + 1}/{p.LevelCount}";
                        task.MaxValue = Math.Max(1, p.NodesTotal);
                        task.Value = p.NodesDone;
                    });
                    trained = XLinearTrainer.Train(features, labels, options, progress);
                    task.Value = task.MaxValue;
                });
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
