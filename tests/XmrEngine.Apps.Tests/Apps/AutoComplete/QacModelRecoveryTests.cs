using XmrEngine.Apps.AutoComplete;
using XmrEngine.Tests.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Apps.AutoComplete;

/// <summary>
/// <see cref="QacModelFile.Load"/> after each way a save can be interrupted: it must find the last complete
/// model (trie = the old one, k-means = the new one), and the next save must leave a clean directory.
/// </summary>
public class QacModelRecoveryTests
{
    private TempDir _dir = null!;
    private QacModel _trie = null!, _kmeans = null!;

    [OneTimeSetUp]
    public void Train()
    {
        _dir = new TempDir();
        string log = _dir.File("log.tsv");
        SyntheticQueryLog.WriteTsv(log, sessions: 600, seed: 2);
        var pairs = QacSplit.Load(log, new QacDataOptions()).TrainPairs;
        QacModel With(QacIndexerKind kind) =>
            QacTrainer.Train(pairs, new QacTrainOptions { Indexer = kind, TrieDepth = 1, PrefixesPerPair = 2, Threads = 1 });
        _trie = With(QacIndexerKind.Trie);
        _kmeans = With(QacIndexerKind.KMeans);
    }

    [OneTimeTearDown]
    public void Remove() => _dir.Dispose();

    [TestCaseSource(typeof(InterruptedSave), nameof(InterruptedSave.All))]
    public void AnInterruptedSaveLeavesTheLastCompleteModelLoadable(Interruption point)
    {
        using var tmp = new TempDir();
        string model = tmp.File("qacgood"), newSave = tmp.File("new");
        QacModelFile.Save(model, _trie);
        QacModelFile.Save(newSave, _kmeans);
        bool isNew = InterruptedSave.Simulate(model, newSave, "qac.json", point);
        Assert.That(QacModelFile.Load(model).Settings.Indexer, Is.EqualTo(isNew ? QacIndexerKind.KMeans : QacIndexerKind.Trie));
        QacModelFile.Save(model, _kmeans);
        Assert.That(QacModelFile.Load(model).Settings.Indexer, Is.EqualTo(QacIndexerKind.KMeans));
        InterruptedSave.AssertClean(model);
    }

    /// <summary>
    /// What the rename-aside save left when killed between its renames (the issue's <c>strace ... when=5</c>):
    /// no <c>qacgood</c>, the old model as <c>.qacgood.&lt;guid&gt;.old</c> and the new one, maybe partial, as
    /// <c>.qacgood.&lt;guid&gt;.tmp</c>. Built with plain file operations, so this runs against any build.
    /// </summary>
    [Test]
    public void TheBackupOfAKilledRenameAsideSaveIsLoadedAndTheNextSaveCleansUp()
    {
        using var tmp = new TempDir();
        string model = tmp.File("qacgood"), scratch = tmp.File("scratch");
        QacModelFile.Save(scratch, _trie);
        string oldFiles = Path.GetDirectoryName(Directory.GetFiles(scratch, "qac.json", SearchOption.AllDirectories).Single())!;
        Directory.Move(oldFiles, tmp.File($".qacgood.{Guid.NewGuid():N}.old"));
        string partial = tmp.File($".qacgood.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(partial);
        File.WriteAllText(Path.Combine(partial, "qac.json"), "{");
        File.SetLastWriteTimeUtc(Path.Combine(partial, "qac.json"), DateTime.UtcNow.AddMinutes(-5));
        Directory.SetLastWriteTimeUtc(partial, DateTime.UtcNow.AddMinutes(-5));

        Assert.That(QacModelFile.Load(model).Settings.Indexer, Is.EqualTo(QacIndexerKind.Trie));
        QacModelFile.Save(model, _kmeans);
        Assert.That(QacModelFile.Load(model).Settings.Indexer, Is.EqualTo(QacIndexerKind.KMeans));
        Assert.That(Directory.GetFileSystemEntries(tmp.Path, ".qacgood*"), Is.Empty, "the backup and the temporary are gone");
    }

    [Test]
    public void NothingUsableIsReportedWithThePath()
    {
        using var tmp = new TempDir();
        string model = tmp.File("qacgood");
        var e = Assert.Throws<DirectoryNotFoundException>(() => QacModelFile.Load(model))!;
        Assert.That(e.Message, Does.Contain(model));
    }

    [Test]
    public void AForeignDirectoryIsNotReplaced()
    {
        using var tmp = new TempDir();
        string foreign = tmp.File("photos");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "keep.txt"), "precious");
        Assert.Throws<IOException>(() => QacModelFile.Save(foreign, _trie));
        Assert.That(Directory.GetFileSystemEntries(foreign), Is.EqualTo(new[] { Path.Combine(foreign, "keep.txt") }));
    }
}
