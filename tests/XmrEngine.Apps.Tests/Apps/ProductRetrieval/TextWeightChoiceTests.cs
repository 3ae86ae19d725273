using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

/// <summary>
/// The recommended options choose the text weight on held-out training queries: text where item texts describe the
/// items, none where they mislead; deterministic for a seed; recorded in the saved model.
/// </summary>
public class TextWeightChoiceTests
{
    private static readonly SyntheticCatalog Catalog = new(categories: 20, perCategory: 30, seed: 11);

    private static ProductRetrievalOptions Options(int seed = 0) => ProductRetrievalDefaults.Options() with
    {
        Training = ProductRetrievalDefaults.Options().Training with { Threads = 1, Seed = seed },
    };

    [Test]
    public void TitlesThatDescribeTheItems_KeepTheText_AndTheChoiceIsRecordedAndRepeatable()
    {
        var model = ProductRetrievalModel.Train(Catalog.Queries, Catalog.Items, Options());
        Assert.That(model.Info.TextWeight, Is.GreaterThan(0f), model.Info.TextWeightChoice);
        Assert.That(model.Info.TextWeightChoice, Does.Contain("held out (seed 0)").And.Contain("0: ").And.Contain("0.9: "));
        Assert.That(model.Info.TextWeightChoice, Does.Contain($"of {Catalog.Queries.Count:N0} training queries"));
        var again = ProductRetrievalModel.Train(Catalog.Queries, Catalog.Items, Options());
        Assert.That(again.Info, Is.EqualTo(model.Info), "same queries and seed: same choice");
        using var dir = new TempDir();
        model.Save(dir.File("m"));
        var loaded = ProductRetrievalModel.Load(dir.File("m"));
        Assert.That((loaded.Info.TextWeight, loaded.Info.TextWeightChoice), Is.EqualTo((model.Info.TextWeight, model.Info.TextWeightChoice)));
    }

    [Test]
    public void TitlesThatMislead_TurnTheTextOff()
    {
        // Every item carries another item's title: the text cosine points at the wrong item, the tree at the right one.
        var shifted = Catalog.Items.Select((_, i) => Catalog.Items[(i + 7) % Catalog.Items.Length]).ToArray();
        var model = ProductRetrievalModel.Train(Catalog.Queries, shifted, Options());
        Assert.That(model.Info.TextWeight, Is.EqualTo(0f), model.Info.TextWeightChoice);
    }

    [Test]
    public void AGivenWeight_IsKept_AndNothingIsRecorded()
    {
        var model = ProductRetrievalModel.Train(Catalog.Queries, Catalog.Items, Options() with { ChooseTextWeight = false, TextWeight = 0.4f });
        Assert.That((model.Info.TextWeight, model.Info.TextWeightChoice), Is.EqualTo((0.4f, (string?)null)));
    }

    [Test]
    public void TooFewQueries_KeepTheConfiguredWeight_AndSaySo()
    {
        var few = Catalog.Queries.Take(100).ToList();
        var model = ProductRetrievalModel.Train(few, Catalog.Items, Options());
        Assert.That(model.Info.TextWeight, Is.EqualTo(ProductRetrievalDefaults.TextWeight));
        Assert.That(model.Info.TextWeightChoice, Does.StartWith("kept 0.7: 100 training queries are too few"));
    }
}
