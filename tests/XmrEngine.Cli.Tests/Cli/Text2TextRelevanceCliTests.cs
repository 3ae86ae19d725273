using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Tests.Apps.ProductRetrieval;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary><c>xmr text2text train</c> on a file whose ids carry relevances (<c>id:relevance</c>, PECOS's <c>id:value:relevance</c>).</summary>
public class Text2TextRelevanceCliTests
{
    private static string[] Train(string queries, string items, string model, params string[] more) =>
        ["text2text", "train", "-i", queries, "-q", items, "-m", model, "--nr-splits", "2", "--max-leaf-size", "4", "--threads", "1", "--text-weight", "0", .. more];

    [Test]
    public void RelevancesWeighTrainingAndDisableIgnoresThem()
    {
        using var dir = new TempDir();
        var catalog = new SyntheticCatalog();
        string items = dir.File("items.txt"), plain = dir.File("plain.txt"), weighted = dir.File("weighted.txt");
        Text2TextFormat.WriteItems(items, catalog.Items);
        Text2TextFormat.WriteQueries(plain, catalog.Queries);
        Text2TextFormat.WriteQueries(weighted, catalog.Queries.Select((q, i) => q with { Relevances = q.ItemIds.Select(_ => 1f + i % 4).ToArray() }));
        foreach (var (file, model, more) in new[] { (plain, "plain", Array.Empty<string>()), (weighted, "disabled", ["--rel-mode", "disable"]), (weighted, "weighted", []), (weighted, "normed", ["--rel-norm", "max"]) })
        {
            var run = Xmr.Run(Train(file, items, dir.File(model), more));
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        }
        var a = ProductRetrievalModel.Load(dir.File("plain"));
        var b = ProductRetrievalModel.Load(dir.File("disabled"));
        var c = ProductRetrievalModel.Load(dir.File("weighted"));
        var d = ProductRetrievalModel.Load(dir.File("normed"));
        bool Same(ProductRetrievalModel x, ProductRetrievalModel y) => x.Model.Weights[^1].Values.SequenceEqual(y.Model.Weights[^1].Values);
        Assert.That(Same(b, a), Is.True, "--rel-mode disable trains as without relevances");
        Assert.That(Same(c, a), Is.False, "relevances change the model");
        // Each query's items share one relevance here, so the max norm scales them all back to 1.
        Assert.That(Same(d, a), Is.True, "--rel-norm max on equal relevances trains as without them");
    }

    [Test]
    public void ABadRelevanceIsAUsageErrorNamingTheLine()
    {
        using var dir = new TempDir();
        string items = dir.Write("items.txt", "a\nb\nc\n"), queries = dir.Write("q.txt", "0:1\tfirst\n1:zero\tsecond\n");
        Xmr.AssertUserError(Xmr.Run(Train(queries, items, dir.File("m"))), "q.txt", "line 2", "relevance of item id 1");
    }
}
