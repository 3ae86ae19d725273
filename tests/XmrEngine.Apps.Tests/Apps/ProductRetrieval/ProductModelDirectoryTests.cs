using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Training;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

public class ProductModelDirectoryTests
{
    private static ProductRetrievalModel Trained(ItemEmbedding embedding = ItemEmbedding.PifaText)
    {
        var catalog = new SyntheticCatalog(categories: 4, perCategory: 6);
        return ProductRetrievalModel.Train(catalog.Queries, catalog.Items, new ProductRetrievalOptions
        {
            ItemEmbedding = embedding,
            Training = new XLinearTrainOptions { Threads = 1, Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 4 } },
            Prediction = new PredictOptions { BeamSize = 3, TopK = 7 },
        });
    }

    [Test]
    public void SaveThenLoadGivesIdenticalPredictionsAndSettings()
    {
        using var tmp = new TempDir();
        var model = Trained();
        string dir = tmp.File("model");
        model.Save(dir);
        var loaded = ProductRetrievalModel.Load(dir);
        Assert.That(loaded.Items, Is.EqualTo(model.Items));
        Assert.That(loaded.Info, Is.EqualTo(model.Info));
        Assert.That(loaded.Vectorizer.FeatureCount, Is.EqualTo(model.Vectorizer.FeatureCount));
        foreach (var q in model.Items.Concat(["", "nothing known", model.Items[3][..4]]))
            Assert.That(loaded.Predict(q), Is.EqualTo(model.Predict(q)), q);
        Assert.That(Directory.GetFileSystemEntries(tmp.Path), Has.Length.EqualTo(1), "no temporary directory may be left behind");
    }

    [Test]
    public void SavingOverAnExistingModelReplacesIt()
    {
        using var tmp = new TempDir();
        string dir = tmp.File("model");
        Trained(ItemEmbedding.Pifa).Save(dir);
        var second = Trained(ItemEmbedding.PifaText);
        second.Save(dir);
        Assert.That(ProductRetrievalModel.Load(dir).Info.ItemEmbedding, Is.EqualTo(ItemEmbedding.PifaText));
        Assert.That(Directory.GetFileSystemEntries(tmp.Path), Has.Length.EqualTo(1));
    }

    [Test]
    public void AForeignDirectoryOrAFileIsNeverOverwritten()
    {
        using var tmp = new TempDir();
        string foreign = tmp.File("photos");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "keep.txt"), "precious");
        var model = Trained();
        Assert.Throws<IOException>(() => model.Save(foreign));
        Assert.That(File.ReadAllText(Path.Combine(foreign, "keep.txt")), Is.EqualTo("precious"));
        string file = tmp.Write("model.bin", "x");
        Assert.Throws<IOException>(() => model.Save(file));
        Assert.Throws<DirectoryNotFoundException>(() => model.Save(tmp.File("missing/parent/model")));
    }

    [Test]
    public void DamagedOrIncompleteDirectoriesFailWithTheFileNamed()
    {
        using var tmp = new TempDir();
        string dir = tmp.File("model");
        Trained().Save(dir);
        string Files() => VersionedDirectory.Resolve(dir, "manifest.json");

        File.Delete(Path.Combine(Files(), "items.bin"));
        var ex = Assert.Throws<XmrDataException>(() => ProductRetrievalModel.Load(dir));
        Assert.That(ex!.Message, Does.Contain("items.bin"));

        Trained().Save(dir);
        var bytes = File.ReadAllBytes(Path.Combine(Files(), "items.bin"));
        File.WriteAllBytes(Path.Combine(Files(), "items.bin"), bytes[..(bytes.Length - 5)]);
        ex = Assert.Throws<XmrDataException>(() => ProductRetrievalModel.Load(dir));
        Assert.That(ex!.Message, Does.Contain("items.bin"));

        Trained().Save(dir);
        File.WriteAllText(Path.Combine(Files(), "manifest.json"), "{\"format\": \"something else\"}");
        ex = Assert.Throws<XmrDataException>(() => ProductRetrievalModel.Load(dir));
        Assert.That(ex!.Message, Does.Contain("manifest.json"));

        Trained().Save(dir);
        string manifest = File.ReadAllText(Path.Combine(Files(), "manifest.json"));
        File.WriteAllText(Path.Combine(Files(), "manifest.json"), manifest.Replace("\"item_count\": 24", "\"item_count\": 25"));
        ex = Assert.Throws<XmrDataException>(() => ProductRetrievalModel.Load(dir));
        Assert.That(ex!.Message, Does.Contain("inconsistent"));

        Assert.Throws<DirectoryNotFoundException>(() => ProductRetrievalModel.Load(tmp.File("nope")));
        Assert.Throws<XmrDataException>(() => ProductRetrievalModel.Load(tmp.Write("file", "x")));
    }
}
