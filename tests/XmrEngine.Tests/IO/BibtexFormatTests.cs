using System.Diagnostics;
using XmrEngine.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

/// <summary>Real-data checks on the Bibtex set from ../shared/data (skipped when the folder is absent).</summary>
public class BibtexFormatTests
{
    [Test]
    public void TrainSetHasThePublishedShape()
    {
        var d = XmcTextFormat.Read(SharedData.RequireFile("bibtex/train.txt"));
        Assert.That((d.Count, d.Features.Cols, d.Labels.Cols), Is.EqualTo((4880, 1836, 159)));
        Assert.That(d.Features.Values.ToArray(), Is.All.EqualTo(1f), "bibtex features are binary");
        Assert.That(d.Labels.Values.ToArray(), Is.All.EqualTo(1f));
    }

    [Test]
    public void TextToNpzAndBackIsLossless()
    {
        string train = SharedData.RequireFile("bibtex/train.txt");
        var original = XmcTextFormat.Read(train);
        using var dir = new TempDir();
        string x = dir.File("X.npz"), y = dir.File("Y.npz"), text = dir.File("train.txt");
        SparseFileFormat.WriteDataset(original, x, y);
        var fromNpz = SparseFileFormat.ReadDataset(x, y);
        MatrixAssert.Equal(original.Features, fromNpz.Features, "X via npz");
        MatrixAssert.Equal(original.Labels, fromNpz.Labels, "Y via npz");
        SparseFileFormat.WriteDataset(fromNpz, text);
        var back = SparseFileFormat.ReadDataset(text);
        MatrixAssert.Equal(original.Features, back.Features, "X via npz and text");
        MatrixAssert.Equal(original.Labels, back.Labels, "Y via npz and text");
        // The only difference to the original file is the trailing space the original puts on each line.
        var originalLines = File.ReadAllLines(train).Select(l => l.TrimEnd()).ToArray();
        Assert.That(File.ReadAllLines(text), Is.EqualTo(originalLines));
    }

    [Test]
    public void ReadingAllocatesForTheResultNotPerToken()
    {
        string train = SharedData.RequireFile("bibtex/train.txt");
        XmcTextFormat.Read(train); // Warm up (JIT).
        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var d = XmcTextFormat.Read(train);
        watch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long nnz = d.Features.Nnz + d.Labels.Nnz;
        long resultBytes = nnz * 8 + (d.Count + 1) * 16L;
        long tokens = nnz;
        TestContext.Out.WriteLine($"bibtex train: {new FileInfo(train).Length} bytes, {nnz} entries, read in {watch.Elapsed.TotalMilliseconds:F1} ms, allocated {allocated / 1024} KiB (result {resultBytes / 1024} KiB)");
        // Growth by doubling plus the final trim costs a small multiple of the result; one string per token
        // (at least 24 bytes each) would add more than the whole bound on top of it.
        Assert.That(allocated, Is.LessThan(4 * resultBytes + (256 << 10)));
        Assert.That(allocated - 4 * resultBytes, Is.LessThan(tokens * 24));
    }
}
