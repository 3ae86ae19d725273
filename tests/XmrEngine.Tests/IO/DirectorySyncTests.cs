using XmrEngine.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

/// <summary>
/// The directory sync after a save's rename (the order of the system calls is checked on a real save by
/// QacSaveCrashTests under strace): it must work on an ordinary folder, skip quietly what it cannot open,
/// and leave saves and loads as they were.
/// </summary>
public class DirectorySyncTests
{
    [Test]
    public void SyncingAFolderOrAMissingOneDoesNotThrow()
    {
        using var dir = new TempDir();
        Assert.DoesNotThrow(() => DirectorySync.Flush(dir.Path));
        Assert.DoesNotThrow(() => DirectorySync.Flush(dir.File("missing")));
    }

    [Test]
    public void AVersionedSaveLoadsBackAndLeavesNoTemporaries()
    {
        using var dir = new TempDir();
        string model = dir.File("model");
        for (int save = 1; save <= 2; save++)
        {
            int content = save;
            VersionedDirectory.Write(model, "marker.txt", temp =>
            {
                File.WriteAllText(Path.Combine(temp, "marker.txt"), $"save {content}");
                AtomicFile.Write(Path.Combine(temp, "data.bin"), s => s.Write([(byte)content]));
            });
        }
        string resolved = VersionedDirectory.Resolve(model, "marker.txt");
        Assert.That(File.ReadAllText(Path.Combine(resolved, "marker.txt")), Is.EqualTo("save 2"));
        Assert.That(File.ReadAllBytes(Path.Combine(resolved, "data.bin")), Is.EqualTo(new byte[] { 2 }));
        var leftovers = Directory.GetFileSystemEntries(dir.Path, "*.tmp", SearchOption.AllDirectories);
        Assert.That(leftovers, Is.Empty);
    }
}
