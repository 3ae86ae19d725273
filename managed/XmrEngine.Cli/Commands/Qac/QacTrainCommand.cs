using System.CommandLine;
using System.Globalization;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Indexing;
using XmrEngine.Kernels;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Qac;

/// <summary><c>xmr qac train</c>: read a query log, split it by time, train an auto-completion model on the earlier part.</summary>
internal static class QacTrainCommand
{
    public static Command Create()
    {
        var d = new QacTrainOptions();
        var data = new QacDataArguments();
        var model = new Option<string>("--model", "-m") { Description = "Output model directory.", Required = true };
        var indexer = new Option<string>("--indexer") { Description = "Label tree: kmeans | trie | hybrid.", DefaultValueFactory = _ => d.Indexer.ToName() };
        var depth = new Option<int>("--trie-depth") { Description = "Character levels of the trie / hybrid tree.", DefaultValueFactory = _ => d.TrieDepth };
        var prefixes = new Option<int>("--prefixes-per-pair") { Description = "Training prefixes drawn per (previous, next) pair.", DefaultValueFactory = _ => d.PrefixesPerPair };
        var beam = new Option<int>("--beam-size") { Description = "Beam width of the suggestion search.", DefaultValueFactory = _ => d.BeamSize };
        var candidates = new Option<int>("--max-candidates") { Description = "Cap on beam x leaf-size candidates taken before the prefix filter.", DefaultValueFactory = _ => d.MaxCandidates };
        var nrSplits = new Option<int>("--nr-splits") { Description = "Tree branching factor (power of 2).", DefaultValueFactory = _ => d.XLinear.Indexer.NrSplits };
        var maxLeaf = new Option<int>("--max-leaf-size") { Description = "Most labels per k-means leaf cluster.", DefaultValueFactory = _ => d.XLinear.Indexer.MaxLeafSize };
        var solver = new Option<string>("--solver") { Description = "l2-hinge | l1-hinge | logistic.", DefaultValueFactory = _ => d.XLinear.Solver.ToName() };
        var cp = new Option<double>("--Cp") { Description = "Cost on positives.", DefaultValueFactory = _ => d.XLinear.Cp };
        var cn = new Option<double>("--Cn") { Description = "Cost on negatives.", DefaultValueFactory = _ => d.XLinear.Cn };
        var threshold = new Option<float>("--threshold") { Description = "Drop weights with |w| below this.", DefaultValueFactory = _ => d.XLinear.Threshold };
        var negatives = new Option<string>("--negatives") { Description = "tfn | man | tfn+man.", DefaultValueFactory = _ => d.XLinear.Negatives.ToName() };
        var seed = new Option<int>("--seed") { Description = "Seed of prefixes, tree, solver order and test prefixes.", DefaultValueFactory = _ => 0 };
        var rankerUsers = new Option<double>("--ranker-users") { Description = "Share of the training users kept out of XR-Linear to train the fusion ranker on (0 = no ranker).", DefaultValueFactory = _ => d.RankerUsers };
        var rankerPopular = new Option<int>("--ranker-popular") { Description = "Most-popular completions of the prefix in the fusion ranker's pool.", DefaultValueFactory = _ => d.RankerPopularCandidates };
        var rankerModel = new Option<int>("--ranker-model-candidates") { Description = "Prefix-matching beam candidates in the fusion ranker's pool.", DefaultValueFactory = _ => d.RankerModelCandidates };
        var rankerLatest = new Option<double>("--ranker-latest-sessions") { Description = "Share of the other users' latest training sessions also kept out of XR-Linear for the fusion ranker.", DefaultValueFactory = _ => d.RankerLatestSessions };
        var minPopular = new Option<int>("--min-popular-count")
        {
            Description = "Fewest training occurrences for a query to be suggested on popularity alone (saved in the model; 1 = any query).",
            DefaultValueFactory = _ => d.MinPopularCount,
        };
        var noRetrain = new Option<bool>("--no-ranker-retrain") { Description = "Serve the XR-Linear model the fusion ranker was trained against instead of training it again on every session (half the time)." };
        var threads = CommonOptions.Threads();
        var command = new Command("train", "Train a session-aware auto-completion model on the earliest sessions of a query log.")
        {
            model, indexer, depth, prefixes, beam, candidates, nrSplits, maxLeaf, solver, cp, cn, threshold, negatives, seed, rankerUsers, rankerLatest, rankerPopular, rankerModel, minPopular, noRetrain, threads,
        };
        foreach (var o in data.All) command.Options.Add(o);
        command.SetAction(result =>
        {
            string modelPath = result.GetRequiredValue(model);
            OutputPaths.Check(("-m", modelPath), ("-i", result.GetValue(data.Logs)));
            int t = CommonOptions.ThreadCount(result, threads);
            var kernels = CommonOptions.EnvironmentKernels();
            int s = result.GetValue(seed);
            var options = new QacTrainOptions
            {
                Indexer = QacIndexerKindNames.Parse(result.GetRequiredValue(indexer)),
                TrieDepth = result.GetValue(depth),
                PrefixesPerPair = result.GetValue(prefixes),
                BeamSize = result.GetValue(beam),
                MaxCandidates = result.GetValue(candidates),
                Seed = s,
                Threads = t,
                RankerUsers = result.GetValue(rankerUsers),
                RankerLatestSessions = result.GetValue(rankerLatest),
                RankerRetrain = !result.GetValue(noRetrain),
                RankerPopularCandidates = result.GetValue(rankerPopular),
                RankerModelCandidates = result.GetValue(rankerModel),
                MinPopularCount = result.GetValue(minPopular),
                XLinear = new XLinearTrainOptions
                {
                    // The backend resolved above, so training uses the same one and a bad XMR_BACKEND already failed.
                    Kernels = kernels,
                    Solver = SolverTypeNames.Parse(result.GetRequiredValue(solver)),
                    Cp = result.GetValue(cp),
                    Cn = result.GetValue(cn),
                    Threshold = result.GetValue(threshold),
                    Negatives = NegativeSamplingNames.Parse(result.GetRequiredValue(negatives)),
                    Indexer = new HierarchicalKMeansOptions { NrSplits = result.GetValue(nrSplits), MaxLeafSize = result.GetValue(maxLeaf) },
                },
            };
            var dataOptions = data.Read(result, s);
            var stats = new QueryLogStats();
            var split = QacSplit.Load(result.GetRequiredValue(data.Logs), dataOptions, stats);
            CliConsole.ErrWriter.WriteLine($"read {stats}; {split.TrainSessions.Count:N0} train / {split.TestSessions.Count:N0} test sessions, " +
                                    $"{split.TrainPairs.Count:N0} train / {split.TestPairs.Count:N0} test pairs" +
                                    (split.HoldoutUserCount > 0 ? $"; {split.HoldoutUserCount:N0} users held out ({split.HoldoutTestPairs.Count:N0} test pairs)" : ""));
            var report = new QacTrainingReport();
            var trained = XLinearTrainingFlags.WithProgressBar("features and label tree",
                progress => QacModel.Train(split.TrainSessions, options, dataOptions, report, progress));
            trained.Save(modelPath);
            var c = CultureInfo.InvariantCulture;
            string ranker = report.Ranker is { } r
                ? string.Create(c, $"fusion ranker {report.RankerMs / 1000:F1} s, retrain {report.RetrainMs / 1000:F1} s ({r.Users:N0} users, {r.Lists:N0} lists, {r.ListsWithoutAnswer:N0} without the answer, loss {r.Loss:F4}), ")
                : "no fusion ranker, ";
            CliConsole.OutWriter.WriteLine(string.Create(c,
                $"trained {options.Indexer.ToName()} into {modelPath} (trie depth {options.TrieDepth}): {report.Instances:N0} instances, {report.Labels:N0} labels, " +
                $"{report.Features:N0} features, tree depth {report.TreeDepth}, largest leaf {report.LargestLeaf:N0}, candidates {trained.Settings.CandidateCount}; " +
                $"features {report.FeaturesMs / 1000:F1} s, indexing {report.IndexingMs / 1000:F1} s, XR-Linear {report.TrainingMs / 1000:F1} s, " +
                $"{ranker}total {report.TotalMs / 1000:F1} s"));
            return 0;
        });
        return command;
    }
}
