using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Inference;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

/// <summary>
/// The whole Home Depot pipeline on the real file: convert (seed 0), train the tuned configuration, evaluate.
/// Skips when the shared data folder is absent. The floors are the recall measured for this configuration
/// (perf/XmrEngine.Baselines, see the README) minus a margin for platform differences.
/// </summary>
[Category("RealData")]
public class HomeDepotPipelineTests
{
    [Test]
    public void TunedModelReachesTheMeasuredRecall()
    {
        string csv = SharedData.RequireFile("homedepot/train.csv");
        using var tmp = new TempDir();
        var split = HomeDepotConverter.Convert(csv, tmp.Path, seed: 0);
        Assert.That(split.Items, Is.EqualTo(29_058));
        Assert.That(split.TrainQueries + split.TestQueries, Is.EqualTo(9_716));

        var items = Text2TextFormat.ReadItems(tmp.File("items.txt"));
        var train = Text2TextFormat.ReadQueries(tmp.File("train.txt"), items.Length);
        var test = Text2TextFormat.ReadQueries(tmp.File("test.txt"), items.Length);
        var model = ProductRetrievalModel.Train(train, items, new ProductRetrievalOptions
        {
            ItemEmbedding = ItemEmbedding.PifaText,
            ItemTextsAsQueries = true,
            Training = new XLinearTrainOptions { Cp = 4, Threshold = 0.01f },
        });

        var plain = RetrievalEvaluation.Evaluate(model, test, 100, new PredictOptions { BeamSize = 10 }, textWeight: 0f);
        var blended = RetrievalEvaluation.Evaluate(model, test, 100, new PredictOptions { BeamSize = 100 }, textWeight: 0.7f);
        TestContext.Out.WriteLine($"plain beam 10: R@10 {plain.RecallAtK[9]:P2}, R@100 {plain.RecallAtK[99]:P2}; " +
                                  $"text 0.7 beam 100: R@10 {blended.RecallAtK[9]:P2}, R@100 {blended.RecallAtK[99]:P2}");
        Assert.That(plain.RecallAtK[99], Is.GreaterThan(PlainFloor));
        Assert.That(blended.RecallAtK[99], Is.GreaterThan(BlendedFloor));
        Assert.That(blended.RecallAtK[9], Is.GreaterThan(plain.RecallAtK[9]));
    }

    private const double PlainFloor = 0.55;
    private const double BlendedFloor = 0.77;
}
