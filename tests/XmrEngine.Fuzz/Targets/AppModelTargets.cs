using XmrEngine.Apps.AutoComplete;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Tests.Apps.AutoComplete;
using XmrEngine.Tests.Apps.ProductRetrieval;
using XmrEngine.Training;
using static XmrEngine.Fuzz.FuzzContract;

namespace XmrEngine.Fuzz.Targets;

/// <summary>
/// The application model directories: a QAC model (settings, labels, two vectorizers, the XR-Linear model, the
/// fusion ranker) and a product-retrieval model (manifest, vectorizer, model, item texts), each with its
/// <c>CURRENT</c> pointer. One file is replaced per input; a model that loads must then answer a query.
/// </summary>
internal static class AppModelTargets
{
    private static readonly ModelDirectoryFuzz QacDirectory = new("qac", TrainQac, dir => VersionedDirectory.Resolve(dir, "qac.json"));

    private static readonly ModelDirectoryFuzz ProductDirectory = new("text2text", TrainProducts,
        dir => VersionedDirectory.Resolve(dir, ProductModelDirectory.ManifestFile));

    public static readonly FuzzTarget Qac = new("qac", input => QacDirectory.Run(input, dir => Expect(() =>
    {
        var model = QacModel.Load(dir);
        model.Suggest("context1 alpha1", "b");
        model.Suggest(null, "a");
    })), QacDirectory.Seed, QacDirectory.Prepare);

    public static readonly FuzzTarget Text2Text = new("text2text", input => ProductDirectory.Run(input, dir => Expect(() =>
    {
        var model = ProductRetrievalModel.Load(dir);
        foreach (var match in model.Predict("drill bits", 5))
            if ((uint)match.Id >= (uint)model.ItemCount) throw new InvalidOperationException($"item {match.Id} is outside the model's {model.ItemCount} items");
    })), ProductDirectory.Seed, ProductDirectory.Prepare);

    private static void TrainQac(string dir)
    {
        string log = FuzzScratch.PathOf("qac-log.tsv");
        SyntheticQueryLog.WriteMixedTsv(log, sessions: 400, seed: 3, users: 40);
        var split = QacSplit.Load(log, new QacDataOptions { HoldoutUsers = 0.25, Seed = 1 });
        QacModel.Train(split.TrainSessions, new QacTrainOptions
        {
            Indexer = QacIndexerKind.Hybrid,
            TrieDepth = 1,
            Threads = 1,
            RankerUsers = 0.25,
            XLinear = new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 4, NrSplits = 4 } },
        }).Save(dir);
    }

    private static void TrainProducts(string dir)
    {
        var catalog = new SyntheticCatalog(categories: 2, perCategory: 5);
        ProductRetrievalModel.Train(catalog.Queries, catalog.Items, new ProductRetrievalOptions
        {
            Training = new XLinearTrainOptions { Threads = 1, Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 4 } },
            Prediction = new PredictOptions { BeamSize = 2, TopK = 5 },
        }).Save(dir);
    }
}
