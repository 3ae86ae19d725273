using XmrEngine.IO;
using XmrEngine.Tests.Support;
using static XmrEngine.IO.VersionedDirectoryLayout;

namespace XmrEngine.Tests.IO;

public class VersionedDirectoryTests
{
    private const string Marker = "model.txt";

    /// <summary>A two-file "model": the marker holds its name, data.bin a payload that must match it.</summary>
    private static void Save(string path, string content) => VersionedDirectory.Write(path, Marker, dir =>
    {
        File.WriteAllText(Path.Combine(dir, "data.bin"), content + "-data");
        File.WriteAllText(Path.Combine(dir, Marker), content);
    });

    private static string Load(string path) => VersionedDirectory.Load(path, Marker, dir =>
    {
        string content = File.ReadAllText(Path.Combine(dir, Marker));
        Assert.That(File.ReadAllText(Path.Combine(dir, "data.bin")), Is.EqualTo(content + "-data"), "a mixed model");
        return content;
    });

    [TestCaseSource(typeof(InterruptedSave), nameof(InterruptedSave.All))]
    public void EveryInterruptionLeavesTheOldOrTheNewModelAndTheNextSaveCleansUp(Interruption point)
    {
        using var tmp = new TempDir();
        string model = tmp.File("model"), other = tmp.File("other");
        Save(model, "A");
        Save(other, "B");
        bool isNew = InterruptedSave.Simulate(model, other, Marker, point);
        Assert.That(Load(model), Is.EqualTo(isNew ? "B" : "A"));
        Save(model, "C");
        Assert.That(Load(model), Is.EqualTo("C"));
        InterruptedSave.AssertClean(model);
    }

    [Test]
    public void SavesReplaceTheModelAndKeepOnlyTheCurrentVersion()
    {
        using var tmp = new TempDir();
        string model = tmp.File("model");
        Save(model, "A");
        string first = VersionedDirectory.Resolve(model, Marker);
        Save(model, "B");
        Assert.That(Load(model), Is.EqualTo("B"));
        Assert.That(Directory.Exists(first), Is.False);
        Assert.That(Sequence(Path.GetFileName(VersionedDirectory.Resolve(model, Marker))), Is.EqualTo(2));
        InterruptedSave.AssertClean(model);
        Assert.That(Directory.GetFileSystemEntries(tmp.Path), Has.Length.EqualTo(1), "nothing next to the model");
    }

    [Test]
    public void AModelInTheFlatLayoutLoadsAndIsConvertedByTheNextSave()
    {
        using var tmp = new TempDir();
        string model = tmp.File("model");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, Marker), "A");
        File.WriteAllText(Path.Combine(model, "data.bin"), "A-data");
        Assert.That(Load(model), Is.EqualTo("A"));
        Save(model, "B");
        Assert.That(Load(model), Is.EqualTo("B"));
        InterruptedSave.AssertClean(model);
    }

    [Test]
    public void AForeignDirectoryIsNeverReplaced()
    {
        using var tmp = new TempDir();
        string foreign = tmp.File("photos");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "keep.txt"), "precious");
        var e = Assert.Throws<IOException>(() => Save(foreign, "A"))!;
        Assert.That(e.Message, Does.Contain(foreign).And.Contain("refusing"));
        Assert.That(Directory.GetFileSystemEntries(foreign), Is.EqualTo(new[] { Path.Combine(foreign, "keep.txt") }));
    }

    [Test]
    public void APointerToAMissingVersionWithNothingLeftFailsNamingThePointerAndCanBeSavedOver()
    {
        using var tmp = new TempDir();
        string model = tmp.File("model");
        Save(model, "A");
        Directory.Delete(VersionedDirectory.Resolve(model, Marker), recursive: true);
        var e = Assert.Throws<XmrDataException>(() => Load(model))!;
        Assert.That(e.FilePath, Is.EqualTo(Path.Combine(model, PointerFile)));
        Save(model, "B");
        Assert.That(Load(model), Is.EqualTo("B"));
    }

    [Test]
    public void NothingAtThePathIsDirectoryNotFound()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<DirectoryNotFoundException>(() => Load(tmp.File("missing")))!;
        Assert.That(e.Message, Does.Contain(tmp.File("missing")));
        Assert.Throws<DirectoryNotFoundException>(() => Save(tmp.File("missing/parent/model"), "A"));
    }

    [Test]
    public void ASecondSaveWhileOneHoldsTheLockFailsAndChangesNothing()
    {
        using var tmp = new TempDir();
        string model = tmp.File("model");
        Save(model, "A");
        using (new FileStream(Path.Combine(model, LockFile), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var e = Assert.Throws<IOException>(() => Save(model, "B"))!;
            Assert.That(e.Message, Does.Contain(model).And.Contain("in progress"));
        }
        Assert.That(Load(model), Is.EqualTo("A"));
        InterruptedSave.AssertClean(model);
    }

    [Test]
    public void AReaderKeepsReadingAVersionThatALaterSaveRemoves()
    {
        using var tmp = new TempDir();
        string model = tmp.File("model");
        Save(model, "A");
        string data = Path.Combine(VersionedDirectory.Resolve(model, Marker), "data.bin");
        using var open = new FileStream(data, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Save(model, "B");
        Assert.That(new StreamReader(open).ReadToEnd(), Is.EqualTo("A-data"));
        Assert.That(Load(model), Is.EqualTo("B"));
    }

    [Test]
    public void ALoadWhoseVersionIsRemovedMidwayByASaveLoadsTheNewVersion()
    {
        using var tmp = new TempDir();
        string model = tmp.File("model");
        Save(model, "A");
        int calls = 0;
        string loaded = VersionedDirectory.Load(model, Marker, dir =>
        {
            if (++calls == 1) Save(model, "B"); // the race: a save completes between resolving and reading
            return File.ReadAllText(Path.Combine(dir, Marker));
        });
        Assert.That(loaded, Is.EqualTo("B"));
        Assert.That(calls, Is.EqualTo(2));
    }

    [Test]
    public void AFailedWriteLeavesTheOldModelAndNoTemporary()
    {
        using var tmp = new TempDir();
        string model = tmp.File("model");
        Save(model, "A");
        Assert.Throws<IOException>(() => VersionedDirectory.Write(model, Marker, dir =>
        {
            File.WriteAllText(Path.Combine(dir, Marker), "B");
            throw new IOException("disk full");
        }));
        Assert.That(Load(model), Is.EqualTo("A"));
        InterruptedSave.AssertClean(model);
    }

    [Test]
    public void AnUnwritableModelDirectoryIsReportedWithThePathGiven()
    {
        using var tmp = new TempDir();
        string model = tmp.File("model");
        Save(model, "A");
        using (ReadOnlyDirectory.Lock(model))
        {
            var e = Assert.Throws<UnauthorizedAccessException>(() => Save(model, "B"))!;
            Assert.That(e.Message, Does.StartWith(model).And.Not.Contain(".tmp"));
        }
        Assert.That(Load(model), Is.EqualTo("A"));
    }

    [Test]
    public void AModelUnderAFileIsReportedWithThePathGiven()
    {
        using var tmp = new TempDir();
        string model = Path.Combine(tmp.Write("plain-file", "x"), "model");
        var e = Assert.Catch<IOException>(() => Save(model, "A"))!;
        Assert.That(e.Message, Does.Contain(model).And.Not.Contain(".tmp"));
    }
}
