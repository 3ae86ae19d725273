using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Text;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Text2Text;

/// <summary><c>xmr text2text train</c>: fit the vectorizer, build the item tree, train XR-Linear, save the model directory.</summary>
internal static class Text2TextTrainCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Training queries: one 'id1,id2<TAB>query text' per line.", Required = true };
        var items = new Option<string>("--items", "-q") { Description = "Item texts, one per line (line number = item id, 0-based).", Required = true };
        var model = new Option<string>("--model", "-m") { Description = "Output model directory.", Required = true };
        var config = new Option<string?>("--vectorizer-config") { Description = "PECOS vectorizer config JSON, inline or a file path (default: word 1-grams + word 2-grams + char_wb 3-grams, sublinear tf, each base L2; see --language)." };
        var language = new Option<string>("--language") { Description = "none | english: english adds Porter stemming and English stop words to the default vectorizer's word bases.", DefaultValueFactory = _ => "none" };
        var embed = new Option<string>("--label-embed") { Description = "Item embedding for the tree: pifa | pifa+text.", DefaultValueFactory = _ => "pifa+text" };
        var itemQueries = new Option<bool>("--item-texts-as-queries") { Description = "Also train on each item's text as a query for that item (helps items no query mentions); 'false' turns it off.", DefaultValueFactory = _ => true };
        var textWeight = new Option<float>("--text-weight") { Description = "Default weight in [0, 1] of the query-item text cosine when ranking beam candidates (0 = plain XR-Linear). Without this flag the weight is chosen on 10% of the training queries held out (at most 2,000; 0, 0.3, 0.5, 0.7 or 0.9, ties to 0.7), which costs about one more training; the choice is saved in the model.", DefaultValueFactory = _ => ProductRetrievalDefaults.TextWeight };
        var titles = new Option<int>("--title-candidates") { Description = "Default number of extra candidates from the title index (items whose text is most similar to the query; used when --text-weight > 0; 0 = none).", DefaultValueFactory = _ => ProductRetrievalDefaults.TitleCandidates };
        var idfOnce = new Option<bool>("--title-idf-once") { Description = "Compare queries with item texts counting idf once, as BM25 does (item rows have idf divided out); 'false' counts it twice.", DefaultValueFactory = _ => true };
        var relMode = new Option<string>("--rel-mode")
        {
            Description = "Relevances in the training file ('id:relevance', or PECOS's 'id:value:relevance') weigh each pair's errors: induce (every level; default) | ranker-only (the item level only) | disable (ignore them, PECOS's default).",
            DefaultValueFactory = _ => "induce",
        };
        relMode.AcceptOnlyFromAmong("induce", "ranker-only", "disable");
        var relNorm = Xr.RelevanceFlags.NormOption();
        var flags = new XLinearTrainingFlags();
        // The measured product-retrieval defaults differ from `xmr train`'s PECOS ones (ProductRetrievalDefaults says why).
        flags.Cp.DefaultValueFactory = _ => ProductRetrievalDefaults.Cp;
        flags.Threshold.DefaultValueFactory = _ => ProductRetrievalDefaults.Threshold;
        // PECOS's solver tolerance: the recommended one was measured on the XR-Linear sets with the 64-way tree, not here.
        flags.Eps.DefaultValueFactory = _ => new XLinearTrainOptions().Eps;
        // PECOS's 16-way tree, not `xmr train`'s recommended one: measured, the 64-way tree with empty labels last does
        // not help retrieval (Home Depot R@10 53.70 vs 53.69, AOL 29.98 vs 30.16; perf/RESULTS.md, "text2text defaults").
        var pecosTree = new HierarchicalKMeansOptions();
        flags.NrSplits.DefaultValueFactory = _ => pecosTree.NrSplits;
        flags.EmptyLabelsLast.DefaultValueFactory = _ => pecosTree.EmptyRowsLast;
        var command = new Command("train", "Train a query-to-item retrieval model and save it as a directory.")
        {
            input, items, model, config, language, embed, itemQueries, textWeight, titles, idfOnce, relMode, relNorm,
        };
        flags.AddTo(command);
        command.SetAction(result =>
        {
            OutputPaths.Check(("-m", result.GetRequiredValue(model)), ("-i", result.GetValue(input)), ("-q", result.GetValue(items)), ("--vectorizer-config", result.GetValue(config) is { } cfg && File.Exists(cfg) ? cfg : null));
            var (b, k) = flags.Prediction(result);
            var options = new ProductRetrievalOptions
            {
                Vectorizer = VectorizerConfig(result.GetValue(config), TextLanguageNames.Parse(result.GetRequiredValue(language)), result.GetResult(language) is { Implicit: false }),
                ItemEmbedding = ItemEmbeddingNames.Parse(result.GetRequiredValue(embed)),
                ItemTextsAsQueries = result.GetValue(itemQueries),
                TextWeight = result.GetValue(textWeight),
                ChooseTextWeight = result.GetResult(textWeight) is not { Implicit: false },
                TitleCandidates = result.GetValue(titles),
                TitleIdfOnce = result.GetValue(idfOnce),
                Prediction = new PredictOptions { BeamSize = b, TopK = k },
                Training = flags.Build(result),
                UseRelevances = result.GetRequiredValue(relMode) != "disable",
                RelevanceMode = Xr.RelevanceFlags.ParseMode(result.GetRequiredValue(relMode)),
                RelevanceNorm = Xr.RelevanceFlags.ParseNorm(result.GetRequiredValue(relNorm)),
            };
            var sw = Stopwatch.StartNew();
            var itemTexts = Text2TextFormat.ReadItems(result.GetRequiredValue(items));
            var queries = Text2TextFormat.ReadQueries(result.GetRequiredValue(input), itemTexts.Length);
            if (queries.Count == 0) throw new ArgumentException($"{result.GetRequiredValue(input)}: has no training queries (only blank lines).");
            double loadMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var trained = XLinearTrainingFlags.WithProgressBar("vectorizing and indexing items", progress => ProductRetrievalModel.Train(queries, itemTexts, options, progress));
            double trainMs = sw.Elapsed.TotalMilliseconds;
            trained.Save(result.GetRequiredValue(model));
            CliConsole.OutWriter.WriteLine($"trained on {queries.Count:N0} queries, {itemTexts.Length:N0} items, {trained.Vectorizer.FeatureCount:N0} features " +
                                    $"({options.ItemEmbedding.ToName()}), tree depth {trained.Model.Chain.Depth}; load {loadMs:F0} ms, train {trainMs:F0} ms");
            if (trained.Info.TextWeightChoice is { } choice) CliConsole.OutWriter.WriteLine($"text weight {choice}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The recommended vectorizer for <paramref name="language"/>, or PECOS JSON given inline (starts with '{') or as
    /// a file path. A language given explicitly beside a config is refused: the config alone decides stemming and
    /// stop words, and silently ignoring the language would mislead.
    /// </summary>
    internal static CombinedTfidfOptions VectorizerConfig(string? value, TextLanguage language = TextLanguage.None, bool languageGiven = false)
    {
        if (string.IsNullOrWhiteSpace(value)) return ProductRetrievalDefaults.Vectorizer(language);
        if (languageGiven)
            throw new ArgumentException("--language sets up the default vectorizer; with --vectorizer-config put \"stemmer\" and \"stop_words\" in the config instead.");
        if (value.TrimStart().StartsWith('{')) return CombinedTfidfOptions.FromJson(value);
        if (!File.Exists(value)) throw new FileNotFoundException($"--vectorizer-config: '{value}' is neither inline JSON nor an existing file.", value);
        return CombinedTfidfOptions.FromJsonFile(value);
    }
}
