using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Text;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands;

/// <summary><c>xmr text2text train</c>: fit the vectorizer, build the item tree, train XR-Linear, save the model directory.</summary>
internal static class Text2TextTrainCommand
{
    public static Command Create()
    {
        var d = new XLinearTrainOptions();
        var input = new Option<string>("--input", "-i") { Description = "Training queries: one 'id1,id2<TAB>query text' per line.", Required = true };
        var items = new Option<string>("--items", "-q") { Description = "Item texts, one per line (line number = item id, 0-based).", Required = true };
        var model = new Option<string>("--model", "-m") { Description = "Output model directory.", Required = true };
        var config = new Option<string?>("--vectorizer-config") { Description = "PECOS vectorizer config JSON, inline or a file path (default: word 1-3-grams + char_wb 3-grams)." };
        var embed = new Option<string>("--label-embed") { Description = "Item embedding for the tree: pifa | pifa+text.", DefaultValueFactory = _ => "pifa+text" };
        var itemQueries = new Option<bool>("--item-texts-as-queries") { Description = "Also train on each item's text as a query for that item (helps items no query mentions)." };
        var textWeight = new Option<float>("--text-weight") { Description = "Default weight in [0, 1] of the query-item text cosine when ranking beam candidates (0 = plain XR-Linear).", DefaultValueFactory = _ => 0f };
        var nrSplits = new Option<int>("--nr-splits") { Description = "Tree branching factor (power of 2).", DefaultValueFactory = _ => d.Indexer.NrSplits };
        var maxLeaf = new Option<int>("--max-leaf-size") { Description = "Most items per leaf cluster.", DefaultValueFactory = _ => d.Indexer.MaxLeafSize };
        var solver = new Option<string>("--solver") { Description = "l2-hinge | l1-hinge | logistic.", DefaultValueFactory = _ => d.Solver.ToName() };
        var cp = new Option<double>("--Cp") { Description = "Cost on positives.", DefaultValueFactory = _ => d.Cp };
        var cn = new Option<double>("--Cn") { Description = "Cost on negatives.", DefaultValueFactory = _ => d.Cn };
        var bias = new Option<float>("--bias") { Description = "Bias feature value (0 = no bias).", DefaultValueFactory = _ => d.Bias };
        var threshold = new Option<float>("--threshold") { Description = "Drop weights with |w| below this.", DefaultValueFactory = _ => d.Threshold };
        var negatives = new Option<string>("--negatives") { Description = "tfn | man | tfn+man.", DefaultValueFactory = _ => d.Negatives.ToName() };
        var beam = new Option<int>("--beam-size") { Description = "Beam size saved as the model's prediction default (and used for MAN negatives).", DefaultValueFactory = _ => 10 };
        var topK = new Option<int>("--top-k") { Description = "Top-k saved as the model's prediction default.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Random seed (tree and solver order).", DefaultValueFactory = _ => 0 };
        var threads = CommonOptions.Threads();
        var backend = CommonOptions.Backend();
        var command = new Command("train", "Train a query-to-item retrieval model and save it as a directory.")
        {
            input, items, model, config, embed, itemQueries, textWeight, nrSplits, maxLeaf, solver, cp, cn, bias, threshold, negatives, beam, topK, seed, threads, backend,
        };
        command.SetAction(result =>
        {
            int k = result.GetValue(topK), b = result.GetValue(beam);
            if (k < 1 || b < 1) throw new ArgumentException($"--top-k and --beam-size must be positive; got {k} and {b}.");
            var kernels = CommonOptions.Kernels(result, backend);
            int threadCount = CommonOptions.ThreadCount(result, threads);
            var options = new ProductRetrievalOptions
            {
                Vectorizer = VectorizerConfig(result.GetValue(config)),
                ItemEmbedding = ItemEmbeddingNames.Parse(result.GetRequiredValue(embed)),
                ItemTextsAsQueries = result.GetValue(itemQueries),
                TextWeight = result.GetValue(textWeight),
                Prediction = new PredictOptions { BeamSize = b, TopK = k },
                Training = new XLinearTrainOptions
                {
                    Solver = SolverTypeNames.Parse(result.GetRequiredValue(solver)),
                    Cp = result.GetValue(cp),
                    Cn = result.GetValue(cn),
                    Bias = result.GetValue(bias),
                    Threshold = result.GetValue(threshold),
                    Negatives = NegativeSamplingNames.Parse(result.GetRequiredValue(negatives)),
                    ManBeamSize = b,
                    Seed = result.GetValue(seed),
                    Threads = threadCount,
                    Backend = kernels.Backend,
                    Indexer = new HierarchicalKMeansOptions
                    {
                        NrSplits = result.GetValue(nrSplits),
                        MaxLeafSize = result.GetValue(maxLeaf),
                        Seed = result.GetValue(seed),
                        Threads = threadCount,
                    },
                },
            };
            var sw = Stopwatch.StartNew();
            var itemTexts = Text2TextFormat.ReadItems(result.GetRequiredValue(items));
            var queries = Text2TextFormat.ReadQueries(result.GetRequiredValue(input), itemTexts.Length);
            if (queries.Count == 0) throw new ArgumentException($"{result.GetRequiredValue(input)}: has no training queries (only blank lines).");
            double loadMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            ProductRetrievalModel trained = null!;
            AnsiConsole.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("vectorizing and indexing items", maxValue: 1);
                    var progress = new SynchronousProgress<TrainingProgress>(p =>
                    {
                        task.Description = $"training level {p.Level + 1}/{p.LevelCount}";
                        task.MaxValue = Math.Max(1, p.NodesTotal);
                        task.Value = p.NodesDone;
                    });
                    trained = ProductRetrievalModel.Train(queries, itemTexts, options, progress);
                    task.Value = task.MaxValue;
                });
            double trainMs = sw.Elapsed.TotalMilliseconds;
            trained.Save(result.GetRequiredValue(model));
            Console.Error.WriteLine($"trained on {queries.Count:N0} queries, {itemTexts.Length:N0} items, {trained.Vectorizer.FeatureCount:N0} features " +
                                    $"({options.ItemEmbedding.ToName()}), tree depth {trained.Model.Chain.Depth}; load {loadMs:F0} ms, train {trainMs:F0} ms");
            return 0;
        });
        return command;
    }

    /// <summary>The default config, or PECOS JSON given inline (starts with '{') or as a file path.</summary>
    internal static CombinedTfidfOptions VectorizerConfig(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return ProductRetrievalOptions.DefaultVectorizer;
        if (value.TrimStart().StartsWith('{')) return CombinedTfidfOptions.FromJson(value);
        if (!File.Exists(value)) throw new FileNotFoundException($"--vectorizer-config: '{value}' is neither inline JSON nor an existing file.", value);
        return CombinedTfidfOptions.FromJsonFile(value);
    }
}
