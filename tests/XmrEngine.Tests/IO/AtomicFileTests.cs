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
}
