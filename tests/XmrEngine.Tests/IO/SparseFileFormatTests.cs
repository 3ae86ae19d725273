using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

public class SparseFileFormatTests
{
    [TestCase("a/train.txt", SparseFileKind.XmcText)]
    [TestCase("TRAIN.TXT", SparseFileKind.XmcText)]
    [TestCase("x.svm", SparseFileKind.LibSvm)]
    [TestCase("x.LibSVM", SparseFileKind.LibSvm)]
    [TestCase("/tmp/X.npz", SparseFileKind.Npz)]
    public void DetectsByExtension(string path, SparseFileKind kind) =>
        Assert.That(SparseFileFormat.Detect(path), Is.EqualTo(kind));

    [TestCase("data.csv")]
    [TestCase("data")]
    public void UnknownExtensionIsRejected(string path)
    {
        var e = Assert.Throws<XmrDataException>(() => SparseFileFormat.Detect(path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain(".npz"));
    }

    [TestCase("d.txt", null)]
    [TestCase("d.svm", null)]
    [TestCase("x.npz", "y.npz")]
    public void DatasetRoundTripInEveryFormat(string file, string? labels)
    {
        // The last feature column and label occur, so LIBSVM's inferred dimensions equal the real ones.
        var x = SparseOps.FromDense(new float[,] { { 0, 1.5f, 0, 0 }, { 0, 0, 0, 0 }, { 2, 0, 0, -1 } });
        var y = SparseOps.FromDense(new float[,] { { 1, 0, 0 }, { 0, 0, 1 }, { 0, 0, 0 } });
        var data = new XmcDataset(x, y);
        using var dir = new TempDir();
        string path = dir.File(file);
        string? labelsPath = labels is null ? null : dir.File(labels);
        SparseFileFormat.WriteDataset(data, path, labelsPath);
        var back = SparseFileFormat.ReadDataset(path, labelsPath);
        MatrixAssert.Equal(x, back.Features, "features");
        MatrixAssert.Equal(y, back.Labels, "labels");
        MatrixAssert.Equal(x, SparseFileFormat.ReadMatrix(path), "ReadMatrix");
    }

    [Test]
    public void WrongPathCombinationsAreRejected()
    {
        var data = new XmcDataset(IoTestData.Features(2, 2, 1), IoTestData.Labels(2, 2, 1));
        using var dir = new TempDir();
        Assert.Throws<ArgumentException>(() => SparseFileFormat.WriteDataset(data, dir.File("x.npz")));
        Assert.Throws<ArgumentException>(() => SparseFileFormat.WriteDataset(data, dir.File("x.npz"), dir.File("y.txt")));
        Assert.Throws<ArgumentException>(() => SparseFileFormat.WriteDataset(data, dir.File("x.txt"), dir.File("y.npz")));
        Assert.Throws<ArgumentException>(() => SparseFileFormat.ReadDataset(dir.File("x.npz")));
        Assert.Throws<ArgumentException>(() => SparseFileFormat.ReadDataset(dir.File("x.svm"), dir.File("y.npz")));
    }

    [Test]
    public void NpzDatasetWithDifferentRowCountsIsRejected()
    {
        using var dir = new TempDir();
        XmrEngine.IO.NpzFormat.Write(dir.File("x.npz"), IoTestData.Features(3, 2, 1));
        XmrEngine.IO.NpzFormat.Write(dir.File("y.npz"), IoTestData.Labels(4, 2, 1));
        var e = Assert.Throws<XmrDataException>(() => SparseFileFormat.ReadDataset(dir.File("x.npz"), dir.File("y.npz")))!;
        Assert.That(e.Problem, Does.Contain("4 rows").And.Contain("3"));
    }
}
