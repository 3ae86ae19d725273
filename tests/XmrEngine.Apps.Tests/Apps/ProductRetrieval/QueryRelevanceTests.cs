using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

/// <summary>Relevances in text2text files (<c>id:relevance</c>, PECOS's <c>id:value:relevance</c>) and cost-sensitive product search.</summary>
public class QueryRelevanceTests
{
    [Test]
    public void RelevancesAreReadInBothFormsRepeatedIdsSumAndIdsWithoutOneCountOne()
    {
        using var tmp = new TempDir();
        string path = tmp.Write("q.txt", "3:2.5,1\tdrill\n4::3,4:1:0.5\tsaw\n2\tplain\n");
        var queries = Text2TextFormat.ReadQueries(path, 10);
        Assert.That(queries[0].ItemIds, Is.EqualTo(new[] { 1, 3 }));
        Assert.That(queries[0].Relevances, Is.EqualTo(new[] { 1f, 2.5f }));
        Assert.That(queries[1].ItemIds, Is.EqualTo(new[] { 4 }));
        Assert.That(queries[1].Relevances, Is.EqualTo(new[] { 3.5f }));
        Assert.That(queries[2].Relevances, Is.Null);
        // Written back as id:relevance, and read the same.
        string copy = tmp.File("copy.txt");
        Text2TextFormat.WriteQueries(copy, queries);
        var again = Text2TextFormat.ReadQueries(copy, 10);
        Assert.That(again.Select(q => q.Relevances), Is.EqualTo(queries.Select(q => q.Relevances)));
        Assert.That(File.ReadAllText(copy), Does.StartWith("1:1,3:2.5\tdrill\n"));
    }

    [TestCase("3:x\tq\n", "'x'")]
    [TestCase("3:0\tq\n", "'0'")]
    [TestCase("1,3:-2\tq\n", "'-2'")]
    [TestCase("3:NaN\tq\n", "'NaN'")]
    [TestCase("3:\tq\n", "''")]
    public void ABadRelevanceNamesFileLineAndItsId(string content, string shown)
    {
        using var tmp = new TempDir();
        string path = tmp.Write("q.txt", "0\tfine\n" + content);
        var ex = Assert.Throws<XmrDataException>(() => Text2TextFormat.ReadQueries(path, 10))!;
        Assert.That(ex.FilePath, Is.EqualTo(path));
        Assert.That(ex.LineNumber, Is.EqualTo(2));
        Assert.That(ex.Message, Does.Contain("relevance of item id").And.Contain(shown));
    }

    private static ProductRetrievalOptions Options(double cp) => new()
    {
        ItemEmbedding = ItemEmbedding.Pifa,
        Training = new XLinearTrainOptions { Cp = cp, Threads = 1, Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 4 } },
    };

    private static void AssertSameWeights(XLinearModel a, XLinearModel b, string context)
    {
        for (int t = 0; t < a.Weights.Count; t++)
        {
            Assert.That(a.Weights[t].Indices.ToArray(), Is.EqualTo(b.Weights[t].Indices.ToArray()), $"{context}: level {t}");
            Assert.That(a.Weights[t].Values.ToArray(), Is.EqualTo(b.Weights[t].Values.ToArray()).Within(1e-9f), $"{context}: level {t}");
        }
    }

    [Test]
    public void RelevanceTwoOnEveryPairTrainsAsCpTwo()
    {
        var catalog = new SyntheticCatalog();
        var single = catalog.Queries.Where(q => q.ItemIds.Length == 1).ToList();
        var weighted = single.Select(q => q with { Relevances = [2f] }).ToList();
        var plain = ProductRetrievalModel.Train(single, catalog.Items, Options(2));
        var relevant = ProductRetrievalModel.Train(weighted, catalog.Items, Options(1));
        AssertSameWeights(plain.Model, relevant.Model, "relevance 2");
        var ignored = ProductRetrievalModel.Train(weighted, catalog.Items, Options(2) with { UseRelevances = false });
        AssertSameWeights(plain.Model, ignored.Model, "relevances ignored");
    }

    [Test]
    public void RelevancesThatDoNotFitTheirQueryAreRefused()
    {
        var catalog = new SyntheticCatalog();
        var bad = catalog.Queries.Select((q, i) => i == 3 ? q with { Relevances = [] } : q).ToList();
        var e = Assert.Throws<ArgumentException>(() => ProductRetrievalModel.Train(bad, catalog.Items, Options(1)));
        Assert.That(e!.Message, Does.Contain("query 3"));
    }
}
