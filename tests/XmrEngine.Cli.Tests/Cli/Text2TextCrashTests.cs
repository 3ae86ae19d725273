using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Tests.Apps.ProductRetrieval;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// A real <c>xmr text2text train</c> child saving over an existing product model (a versioned directory) is
/// SIGKILLed during training and at spread-out moments of its save: the folder always loads as the old model or
/// the new one, and a later save succeeds.
/// </summary>
public class Text2TextCrashTests
{
    [Test]
    public void KilledAtManyMomentsTheModelLoadsAsTheOldOrTheNewOne()
    {
        using var dir = new TempDir();
        var small = new SyntheticCatalog(seed: 7);
        var big = new SyntheticCatalog(categories: 60, perCategory: 120, seed: 8); // 7,200 items: a save that takes a while
        string oldQueries = dir.File("old.txt"), oldItems = dir.File("old-items.txt"), queries = dir.File("train.txt"), items = dir.File("items.txt");
        Text2TextFormat.WriteQueries(oldQueries, small.Queries);
        Text2TextFormat.WriteItems(oldItems, small.Items);
        Text2TextFormat.WriteQueries(queries, big.Queries);
        Text2TextFormat.WriteItems(items, big.Items);
        string model = dir.File("model");
        string[] Args(string q, string i) => ["text2text", "train", "-i", q, "-q", i, "-m", model, "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "2"];

        int killedMidSave = 0, asOld = 0, asNew = 0;
        foreach (double delayMs in KillMoments.Planned(new double[] { -1, 0, 1, 4, 16, 50, 100, 200, 400 }, () => killedMidSave > 0))
        {
            Assert.That(XmrCli.WaitForExit(XmrCli.Start(Args(oldQueries, oldItems))), Is.Zero, "the old model is saved");
            var earlier = Directory.GetFileSystemEntries(model, ".v-*").ToHashSet();
            // A save writes a hidden version folder first; a new one means the save has started.
            if (SaveKill.Run(Args(queries, items), () => Directory.GetFileSystemEntries(model, ".v-*").Any(e => !earlier.Contains(e)), delayMs))
                killedMidSave++;
            var loaded = ProductRetrievalModel.Load(model);
            Assert.That(loaded.ItemCount, Is.AnyOf(small.Items.Length, big.Items.Length), $"killed {delayMs} ms into the save");
            if (loaded.ItemCount == small.Items.Length) asOld++;
            else asNew++;
            Assert.That(loaded.Predict(loaded.Items[0], 3), Is.Not.Empty);
        }
        TestContext.Out.WriteLine($"xmr text2text train: {asOld + asNew} kills ({killedMidSave} during the save): {asOld} old model, {asNew} new model, 0 unloadable");
        Assert.That(killedMidSave, Is.GreaterThan(0), "no kill landed inside a save; the test proved nothing");
        Assert.That(XmrCli.WaitForExit(XmrCli.Start(Args(queries, items))), Is.Zero, "a later save is not tripped up");
        Assert.That(ProductRetrievalModel.Load(model).ItemCount, Is.EqualTo(big.Items.Length));
    }
}
