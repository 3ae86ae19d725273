using System.Diagnostics;
using System.Globalization;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Baselines;
using XmrEngine.Evaluation;
using XmrEngine.Inference;
using XmrEngine.Text;

// xmr-baselines DIR [--k 100] [--configs cosine,cosine-idf-once,pifa,pifa+text,pifa+items,pifa+text+items] [--beams 10,50] [--text-weights 0] [--title-candidates 0] [--title-idf-once]
//               [--cp 1] [--threshold 0.1] [--vectorizer-config JSON-or-file] [--latency-queries 1000] [--bm25-only] [--no-bm25] [--models M1,M2]
// DIR holds items.txt, train.txt and test.txt (e.g. from `xmr text2text prepare-homedepot`). Prints one markdown table.
// --models: saved `xmr text2text train` model directories, scored with their stored prediction settings (then --configs
// is ignored unless given), so a CLI-trained model gets recall and single-query latency in the same run as BM25.
// xmr-baselines ann VECTORS.npy QUERIES.npy [...]: the ANN index beside USearch and brute force (AnnBaseline).
if (args.Length > 0 && args[0] == "ann") return AnnBaseline.Run(args[1..]);
if (args.Length == 0 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: xmr-baselines DIR [--k 100] [--configs cosine,cosine-idf-once,pifa,pifa+text,pifa+items,pifa+text+items] [--beams 10,50] [--text-weights 0] " +
                            "[--title-candidates 0] [--title-idf-once] [--cp 1] [--threshold 0.1] [--vectorizer-config JSON-or-file] [--latency-queries 1000] [--bm25-only] [--no-bm25] [--models M1,M2]");
    return 2;
}
string dir = args[0];
int k = int.Parse(Option("--k", "100"), CultureInfo.InvariantCulture);
var savedModels = Option("--models", "").Split(',', StringSplitOptions.RemoveEmptyEntries);
var configs = Option("--configs", savedModels.Length > 0 ? "" : "pifa,pifa+text,pifa+items,pifa+text+items").Split(',', StringSplitOptions.RemoveEmptyEntries);
var beams = Option("--beams", "10,50").Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray();
var textWeights = Option("--text-weights", "0").Split(',').Select(w => float.Parse(w, CultureInfo.InvariantCulture)).ToArray();
var titleCounts = Option("--title-candidates", "0").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
double cp = double.Parse(Option("--cp", "1"), CultureInfo.InvariantCulture);
float threshold = float.Parse(Option("--threshold", "0.1"), CultureInfo.InvariantCulture);
string? vectorizerConfig = Option("--vectorizer-config", "") is { Length: > 0 } v ? v : null;
var vectorizer = vectorizerConfig is null ? ProductRetrievalOptions.DefaultVectorizer
    : vectorizerConfig.TrimStart().StartsWith('{') ? CombinedTfidfOptions.FromJson(vectorizerConfig) : CombinedTfidfOptions.FromJsonFile(vectorizerConfig);
string vectorizerName = vectorizerConfig is null ? "default vectorizer"
    : File.Exists(vectorizerConfig) ? Path.GetFileNameWithoutExtension(vectorizerConfig) : "custom vectorizer";
int latencyQueries = int.Parse(Option("--latency-queries", "1000"), CultureInfo.InvariantCulture);
bool bm25Only = args.Contains("--bm25-only");

var items = Text2TextFormat.ReadItems(Path.Combine(dir, "items.txt"));
var train = Text2TextFormat.ReadQueries(Path.Combine(dir, "train.txt"), items.Length);
var test = Text2TextFormat.ReadQueries(Path.Combine(dir, "test.txt"), items.Length);
var testTexts = test.Select(q => q.Text).ToArray();
var latencySet = testTexts.Take(latencyQueries).ToArray();
var truth = RetrievalEvaluation.Truth(test, items.Length);
Console.Error.WriteLine($"{items.Length:N0} items, {train.Count:N0} train / {test.Count:N0} test queries, {Environment.ProcessorCount} cores");

Console.WriteLine("| method | beam | text w | titles | R@1 | R@10 | R@100 | P@1 | P@5 | P@10 | train (s) | p50 (ms) | p99 (ms) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (bool stemming in args.Contains("--no-bm25") ? Array.Empty<bool>() : new[] { false, true })
{
    var sw = Stopwatch.StartNew();
    using var bm25 = new Bm25Baseline(items, stemming);
    double indexSeconds = sw.Elapsed.TotalSeconds;
    var metrics = XmcMetrics.Evaluate(truth, bm25.SearchAll(testTexts, k), k);
    var (p50, p99) = Latency.Measure(latencySet, q => bm25.Search(q, 10));
    Row($"BM25 Lucene ({(stemming ? "EnglishAnalyzer" : "StandardAnalyzer")})", "-", "-", "-", metrics, indexSeconds, p50, p99);
}
if (bm25Only) return 0;

foreach (var path in savedModels)
{
    var sw = Stopwatch.StartNew();
    var saved = ProductRetrievalModel.Load(path);
    double loadSeconds = sw.Elapsed.TotalSeconds;
    var info = saved.Info;
    var metrics = RetrievalEvaluation.Evaluate(saved, test, k, info.Prediction with { TopK = k }, textWeight: info.TextWeight, titleCandidates: info.TitleCandidates);
    var single = info.Prediction with { TopK = 10 };
    var (p50, p99) = Latency.Measure(latencySet, q => saved.Predict(q, single, info.TextWeight, info.TitleCandidates));
    // The time column is the load time here: the model was trained elsewhere (the CLI prints its training time).
    Row($"saved model {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))} ({info.ItemEmbedding.ToName()}{(info.ItemTextsAsQueries ? " + items" : "")}{(info.TitleIdfOnce ? ", idf once" : "")})",
        info.Prediction.BeamSize.ToString(CultureInfo.InvariantCulture), info.TextWeight.ToString(CultureInfo.InvariantCulture),
        info.TitleCandidates.ToString(CultureInfo.InvariantCulture), metrics, loadSeconds, p50, p99);
}

foreach (var config in configs)
{
    if (config is "cosine" or "cosine-idf-once")
    {
        var sw0 = Stopwatch.StartNew();
        var cosine = new CosineBaseline(train, items, vectorizer, idfOnce: config == "cosine-idf-once" || args.Contains("--title-idf-once"));
        double fitSeconds = sw0.Elapsed.TotalSeconds;
        var cosineMetrics = XmcMetrics.Evaluate(truth, cosine.SearchAll(testTexts, k), k);
        var (c50, c99) = Latency.Measure(latencySet, q => cosine.Search(q, 10));
        Row($"XmrEngine title {config} only, no tree ({vectorizerName})", "-", "1", "all", cosineMetrics, fitSeconds, c50, c99);
        continue;
    }
    var options = Parse(config);
    options = options with
    {
        Vectorizer = vectorizer, TitleIdfOnce = args.Contains("--title-idf-once"), Training = options.Training with { Cp = cp, Threshold = threshold },
    };
    var sw = Stopwatch.StartNew();
    var model = ProductRetrievalModel.Train(train, items, options);
    double trainSeconds = sw.Elapsed.TotalSeconds;
    foreach (int beam in beams)
    {
        foreach (float weight in textWeights)
        {
            foreach (int titles in weight == 0 ? [0] : titleCounts)
            {
                var predict = new PredictOptions { BeamSize = beam, TopK = k };
                var metrics = RetrievalEvaluation.Evaluate(model, test, k, predict, textWeight: weight, titleCandidates: titles);
                var single = new PredictOptions { BeamSize = beam, TopK = 10 };
                var (p50, p99) = Latency.Measure(latencySet, q => model.Predict(q, single, weight, titles));
                Row($"XmrEngine {config} (Cp {cp}, threshold {threshold}, {vectorizerName}{(options.TitleIdfOnce ? ", idf once" : "")})", beam.ToString(CultureInfo.InvariantCulture),
                    weight.ToString(CultureInfo.InvariantCulture), titles.ToString(CultureInfo.InvariantCulture), metrics, trainSeconds, p50, p99);
            }
        }
    }
}
return 0;

static ProductRetrievalOptions Parse(string config)
{
    var parts = config.Split('+');
    bool items = parts.Contains("items");
    bool text = parts.Contains("text");
    if (parts[0] != "pifa" || parts.Any(p => p is not ("pifa" or "text" or "items")))
        throw new ArgumentException($"Unknown config '{config}'; use pifa, pifa+text, pifa+items or pifa+text+items.");
    return new ProductRetrievalOptions
    {
        ItemEmbedding = text ? ItemEmbedding.PifaText : ItemEmbedding.Pifa,
        ItemTextsAsQueries = items,
    };
}

static void Row(string name, string beam, string weight, string titles, RankingMetrics m, double seconds, double p50, double p99)
{
    string R(int at) => at <= m.K ? (100 * m.RecallAtK[at - 1]).ToString("F2", CultureInfo.InvariantCulture) : "-";
    string P(int at) => at <= m.K ? (100 * m.PrecisionAtK[at - 1]).ToString("F2", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {beam} | {weight} | {titles} | {R(1)} | {R(10)} | {R(100)} | {P(1)} | {P(5)} | {P(10)} | {seconds:F1} | {p50:F3} | {p99:F3} |"));
}

string Option(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
