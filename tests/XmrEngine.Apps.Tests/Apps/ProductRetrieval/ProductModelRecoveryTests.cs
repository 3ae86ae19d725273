using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Indexing;
using XmrEngine.Tests.IO;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

/// <summary>
/// <see cref="ProductRetrievalModel.Load"/> after each way a save can be interrupted: it must find the last
/// complete model (PIFA = the old one, PIFA+text = the new one), and the next save must leave a clean directory.
/// </summary>
public class ProductModelRecoveryTests
{
    private ProductRetrievalModel _pifa = null!, _pifaText = null!;

    [OneTimeSetUp]
    public void Train()
    {
        var catalog = new SyntheticCatalog(categories: 4, perCategory: 6);
        ProductRetrievalModel With(ItemEmbedding embedding) => ProductRetrievalModel.Train(catalog.Queries, catalog.Items, new ProductRetrievalOptions
        {
            ItemEmbedding = embedding,
            Training = new XLinearTrainOptions { Threads = 1, Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 4 } },
        });
        _pifa = With(ItemEmbedding.Pifa);
        _pifaText = With(ItemEmbedding.PifaText);
    }

    [TestCaseSource(typeof(InterruptedSave), nameof(InterruptedSave.All))]
    public void AnInterruptedSaveLeavesTheLastCompleteModelLoadable(Interruption point)
    {
        using var tmp = new TempDir();
        string model = tmp.File("products"), newSave = tmp.File("new");
        _pifa.Save(model);
        _pifaText.Save(newSave);
        bool isNew = InterruptedSave.Simulate(model, newSave, "manifest.json", point);
        Assert.That(ProductRetrievalModel.Load(model).Info.ItemEmbedding, Is.EqualTo(isNew ? ItemEmbedding.PifaText : ItemEmbedding.Pifa));
        _pifaText.Save(model);
        Assert.That(ProductRetrievalModel.Load(model).Info.ItemEmbedding, Is.EqualTo(ItemEmbedding.PifaText));
        InterruptedSave.AssertClean(model);
    }

    /// <summary>The rename-aside save killed between its renames left only <c>.products.&lt;guid&gt;.old</c>; built with plain file operations.</summary>
    [Test]
    public void TheBackupOfAKilledRenameAsideSaveIsLoadedAndTheNextSaveCleansUp()
    {
        using var tmp = new TempDir();
        string model = tmp.File("products"), scratch = tmp.File("scratch");
        _pifa.Save(scratch);
        string oldFiles = Path.GetDirectoryName(Directory.GetFiles(scratch, "manifest.json", SearchOption.AllDirectories).Single())!;
        Directory.Move(oldFiles, tmp.File($".products.{Guid.NewGuid():N}.old"));

        Assert.That(ProductRetrievalModel.Load(model).Info.ItemEmbedding, Is.EqualTo(ItemEmbedding.Pifa));
        _pifaText.Save(model);
        Assert.That(ProductRetrievalModel.Load(model).Info.ItemEmbedding, Is.EqualTo(ItemEmbedding.PifaText));
        Assert.That(Directory.GetFileSystemEntries(tmp.Path, ".products*"), Is.Empty);
    }
}
