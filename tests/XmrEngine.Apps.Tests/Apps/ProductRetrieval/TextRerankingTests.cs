using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Training;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

public class TextRerankingTests
{
    private const int HeldOut = 21;
    private static readonly SyntheticCatalog Catalog = new(heldOut: [HeldOut]);
    private static readonly ProductRetrievalModel Model = ProductRetrievalModel.Train(Catalog.Queries, Catalog.Items, new ProductRetrievalOptions
    {
        ItemEmbedding = ItemEmbedding.PifaText,
        Training = new XLinearTrainOptions { Threads = 2, Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 8 } },
        Prediction = new PredictOptions { BeamSize = 2, TopK = 10 },
    });

    [Test]
    public void WeightZeroIsPlainXrLinear()
    {
        foreach (var q in Catalog.Queries.Take(20))
            Assert.That(Model.Predict(q.Text, null, 0f), Is.EqualTo(Model.Predict(q.Text)));
    }

    [Test]
    public void TextCosineRanksAnItemNoQueryMentionsFirstByItsTitleWords()
    {
        // No training query names item 21, so its leaf ranker never saw a positive; its own title words do.
        string query = $"{Catalog.CategoryWords[2]} {Catalog.Brand[HeldOut]} {Catalog.Model[HeldOut]}";
        var blended = Model.Predict(query, null, 0.7f);
        Assert.That(blended[0].Id, Is.EqualTo(HeldOut));
        Assert.That(blended[0].Text, Is.EqualTo(Catalog.Items[HeldOut]));
        for (int i = 1; i < blended.Length; i++) Assert.That(blended[i].Score, Is.LessThanOrEqualTo(blended[i - 1].Score));
    }

    [Test]
    public void WeightOneScoresAreTheTextCosines()
    {
        var results = Model.Predict(Catalog.Items[5], null, 1f);
        Assert.That(results[0].Id, Is.EqualTo(5));
        Assert.That(results[0].Score, Is.EqualTo(1f).Within(1e-5f), "an item's own title has cosine 1 with itself");
        foreach (var r in results) Assert.That(r.Score, Is.InRange(0f, 1.00001f));
    }

    [Test]
    public void BatchAndParallelAgreeWithSingleQueries()
    {
        var texts = Catalog.Queries.Select(q => q.Text).Concat(Catalog.Items).ToArray();
        var options = new PredictOptions { BeamSize = 2, TopK = 6 };
        var single = texts.Select(t => Model.Predict(t, options, 0.5f)).ToArray();
        var batch = Model.PredictBatch(texts, options, threads: 3, textWeight: 0.5f);
        for (int i = 0; i < texts.Length; i++)
        {
            var expected = single[i].OrderBy(m => m.Id).ToArray();
            Assert.That(batch.Row(i).Indices.ToArray(), Is.EqualTo(expected.Select(m => m.Id).ToArray()), texts[i]);
            Assert.That(batch.Row(i).Values.ToArray(), Is.EqualTo(expected.Select(m => m.Score).ToArray()), texts[i]);
        }
        var parallel = new ProductMatch[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i => parallel[i] = Model.Predict(texts[i], options, 0.5f));
        for (int i = 0; i < texts.Length; i++) Assert.That(parallel[i], Is.EqualTo(single[i]));
    }

    [TestCase(-0.1f)]
    [TestCase(1.5f)]
    [TestCase(float.NaN)]
    public void WeightsOutsideTheUnitIntervalAreRejected(float weight)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Predict("x", null, weight));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.PredictBatch(["x"], null, 1, weight));
        Assert.Throws<ArgumentException>(() => ProductRetrievalModel.Train(Catalog.Queries, Catalog.Items, new ProductRetrievalOptions { TextWeight = weight }));
    }
}
