using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Training;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

public class ProductRetrievalModelTests
{
    private static ProductRetrievalOptions SmallTree(ItemEmbedding embedding, bool itemTexts = false) => new()
    {
        ItemEmbedding = embedding,
        ItemTextsAsQueries = itemTexts,
        Training = new XLinearTrainOptions { Threads = 2, Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 8 } },
        Prediction = new PredictOptions { BeamSize = 4, TopK = 10 },
    };

    [TestCase(ItemEmbedding.Pifa)]
    [TestCase(ItemEmbedding.PifaText)]
    public void TrainingQueriesRetrieveTheirItemFirst(ItemEmbedding embedding)
    {
        var catalog = new SyntheticCatalog();
        var model = ProductRetrievalModel.Train(catalog.Queries, catalog.Items, SmallTree(embedding));
        Assert.That(model.ItemCount, Is.EqualTo(catalog.Items.Length));
        Assert.That(model.Model.Chain.Depth, Is.GreaterThan(1), "the test should exercise a real tree, not one flat leaf");
        int correct = 0, total = 0;
        foreach (var q in catalog.Queries.Where(q => q.ItemIds.Length == 1))
        {
            var top = model.Predict(q.Text, 5);
            total++;
            if (top.Length > 0 && top[0].Id == q.ItemIds[0]) correct++;
        }
        Assert.That(correct, Is.GreaterThanOrEqualTo(total * 95 / 100), $"{correct} of {total} training queries ranked their item first");
    }

    [Test]
    public void ResultsAreBestFirstWithTextsAndAtMostTopK()
    {
        var catalog = new SyntheticCatalog();
        var model = ProductRetrievalModel.Train(catalog.Queries, catalog.Items, SmallTree(ItemEmbedding.PifaText));
        var results = model.Predict($"{catalog.CategoryWords[2]} {catalog.Model[17]}", 7);
        Assert.That(results, Has.Length.LessThanOrEqualTo(7).And.Length.GreaterThan(0));
        for (int i = 1; i < results.Length; i++) Assert.That(results[i].Score, Is.LessThanOrEqualTo(results[i - 1].Score));
        foreach (var r in results) Assert.That(r.Text, Is.EqualTo(catalog.Items[r.Id]));
        Assert.That(results.Select(r => r.Id).Distinct().Count(), Is.EqualTo(results.Length));
    }

    [Test]
    public void PifaTextPlacesAnItemNoQueryMentionsBesideItsLookAlikes()
    {
        // Item 21 is in category 2 and never appears in training; its title shares the category word with
        // items 16..23. With pifa+text it is clustered with them, so a category query reaches its leaf.
        int heldOut = 21;
        var catalog = new SyntheticCatalog(heldOut: [heldOut]);
        var model = ProductRetrievalModel.Train(catalog.Queries, catalog.Items, SmallTree(ItemEmbedding.PifaText));
        var results = model.Predict($"{catalog.CategoryWords[2]} {catalog.Model[heldOut]}", new PredictOptions { BeamSize = 2, TopK = 16 });
        Assert.That(results.Select(r => r.Id), Does.Contain(heldOut));
    }

    [Test]
    public void ItemTextsAsQueriesRankAnUnseenItemFirstByItsTitleWords()
    {
        int heldOut = 21;
        var catalog = new SyntheticCatalog(heldOut: [heldOut]);
        var model = ProductRetrievalModel.Train(catalog.Queries, catalog.Items, SmallTree(ItemEmbedding.PifaText, itemTexts: true));
        var results = model.Predict($"{catalog.Brand[heldOut]} {catalog.Model[heldOut]}", 5);
        Assert.That(results[0].Id, Is.EqualTo(heldOut));
        Assert.That(model.Info.ItemTextsAsQueries, Is.True);
    }

    [Test]
    public void ParallelPredictionsEqualSequentialOnes()
    {
        var catalog = new SyntheticCatalog();
        var model = ProductRetrievalModel.Train(catalog.Queries, catalog.Items, SmallTree(ItemEmbedding.PifaText));
        var queries = catalog.Queries.Select(q => q.Text).Concat(catalog.Items).Concat(["", "unknown words only", "zzz"]).ToArray();
        var sequential = queries.Select(q => model.Predict(q, 10)).ToArray();
        for (int round = 0; round < 3; round++)
        {
            var parallel = new ProductMatch[queries.Length][];
            Parallel.For(0, queries.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, j =>
            {
                int i = j % queries.Length;
                parallel[i] = model.Predict(queries[i], 10);
            });
            for (int i = 0; i < queries.Length; i++) Assert.That(parallel[i], Is.EqualTo(sequential[i]), $"query {i} '{queries[i]}'");
        }
    }

    [Test]
    public void BatchPredictionAgreesWithSingleQueries()
    {
        var catalog = new SyntheticCatalog();
        var model = ProductRetrievalModel.Train(catalog.Queries, catalog.Items, SmallTree(ItemEmbedding.Pifa));
        var texts = catalog.Queries.Select(q => q.Text).ToArray();
        var batch = model.PredictBatch(texts, new PredictOptions { BeamSize = 4, TopK = 5 }, threads: 2);
        for (int i = 0; i < texts.Length; i++)
        {
            var single = model.Predict(texts[i], 5).OrderBy(m => m.Id).ToArray();
            Assert.That(batch.Row(i).Indices.ToArray(), Is.EqualTo(single.Select(m => m.Id).ToArray()));
            Assert.That(batch.Row(i).Values.ToArray(), Is.EqualTo(single.Select(m => m.Score).ToArray()));
        }
    }

    [Test]
    public void EvaluationOnTrainingQueriesIsHighAndRecallGrowsWithK()
    {
        var catalog = new SyntheticCatalog();
        var model = ProductRetrievalModel.Train(catalog.Queries, catalog.Items, SmallTree(ItemEmbedding.PifaText));
        var metrics = RetrievalEvaluation.Evaluate(model, catalog.Queries, 10);
        Assert.That(metrics.K, Is.EqualTo(10));
        Assert.That(metrics.RecallAtK[9], Is.GreaterThan(0.9));
        for (int k = 1; k < 10; k++) Assert.That(metrics.RecallAtK[k], Is.GreaterThanOrEqualTo(metrics.RecallAtK[k - 1]));
    }

    [Test]
    public void BadTrainingInputIsRejectedWithTheQueryNamed()
    {
        string[] items = ["red drill", "blue saw"];
        var ex = Assert.Throws<ArgumentException>(() => ProductRetrievalModel.Train([new LabeledQuery("drill", [0]), new LabeledQuery("hammer", [2])], items));
        Assert.That(ex!.Message, Does.Contain("query 1").And.Contain("hammer").And.Contain("item 2"));
        Assert.Throws<ArgumentException>(() => ProductRetrievalModel.Train([new LabeledQuery("drill", [])], items));
        Assert.Throws<ArgumentException>(() => ProductRetrievalModel.Train([], items));
        Assert.Throws<ArgumentException>(() => ProductRetrievalModel.Train([new LabeledQuery("drill", [0])], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticCatalogModel().Model.Predict("drill", 0));
    }

    /// <summary>A tiny trained model for argument checks.</summary>
    private sealed class SyntheticCatalogModel
    {
        public ProductRetrievalModel Model { get; } = ProductRetrievalModel.Train(
            [new LabeledQuery("red drill", [0]), new LabeledQuery("blue saw", [1])], ["red drill", "blue saw"]);
    }
}
