using XmrEngine.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

public class AtomicFileTests
{
    [Test]
    public void FailureMidWriteKeepsTheOldFileAndLeavesNoTemporary()
    {
        using var dir = new TempDir();
        string path = dir.File("target.bin");
        File.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100_000]);
            throw new IOException("disk full");
        }));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(dir.Path), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void SuccessReplacesTheFileWholly()
    {
        using var dir = new TempDir();
        string path = dir.File("target.bin");
        File.WriteAllBytes(path, new byte[1000]);
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(Directory.GetFiles(dir.Path), Has.Length.EqualTo(1));
    }

    [Test]
    public void AbandonedTemporariesOfTheSameTargetAreRemovedByTheNextSaveButNotOnesInUse()
    {
        using var dir = new TempDir();
        string path = dir.File("target.bin");
        var old = DateTime.UtcNow - TimeSpan.FromMinutes(5);
        string Temp(string target, string id, DateTime written)
        {
            string p = dir.Write($".{target}.{id}.tmp", new byte[4096]);
            File.SetLastWriteTimeUtc(p, written);
            return p;
        }
        string abandoned = Temp("target.bin", Guid.NewGuid().ToString("N"), old);
        string inUse = Temp("target.bin", Guid.NewGuid().ToString("N"), old);
        string fresh = Temp("target.bin", Guid.NewGuid().ToString("N"), DateTime.UtcNow);
        string otherTarget = Temp("other.bin", Guid.NewGuid().ToString("N"), old);
        string notOurs = Temp("target.bin", "backup", old);

        // Another save in progress holds its temporary exactly like AtomicFile does.
        using (new FileStream(inUse, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            AtomicFile.Write(path, s => s.Write([1, 2, 3]));

        Assert.That(File.Exists(abandoned), Is.False, "an old, unlocked temporary of this target is abandoned");
        Assert.That(File.Exists(inUse), Is.True, "a locked temporary belongs to a save in progress");
        Assert.That(File.Exists(fresh), Is.True, "a temporary written moments ago may be between creation and lock");
        Assert.That(File.Exists(otherTarget), Is.True);
        Assert.That(File.Exists(notOurs), Is.True);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void AnUnwritableLocationIsReportedWithTheTargetPathNotTheTemporary()
    {
        using var dir = new TempDir();
        string notADirectory = dir.Write("plain-file", "x");
        string path = Path.Combine(notADirectory, "target.bin");
        var e = Assert.Catch<IOException>(() => AtomicFile.Write(path, s => s.Write([1])))!;
        Assert.That(e.Message, Does.Contain(path).And.Not.Contain(".tmp"));

        if (Environment.UserName == "root" || OperatingSystem.IsWindows()) return; // root writes anywhere
        string readOnly = Path.Combine(dir.Path, "ro");
        Directory.CreateDirectory(readOnly);
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            string target = Path.Combine(readOnly, "target.bin");
            var denied = Assert.Throws<UnauthorizedAccessException>(() => AtomicFile.Write(target, s => s.Write([1])))!;
            Assert.That(denied.Message, Does.Contain(target).And.Not.Contain(".tmp"));
        }
        finally
        {
            File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
