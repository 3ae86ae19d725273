using System.Text;
using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

public class LibSvmFormatTests
{
    private static XmcDataset ReadText(string text, int? featureCount = null, int? labelCount = null, int featureIndexBase = 0) =>
        LibSvmFormat.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test.svm", featureCount, labelCount, featureIndexBase);

    [TestCase(0, 0, 0, 1, 0)]
    [TestCase(6, 9, 4, 2, 0)]
    [TestCase(6, 9, 4, 3, 1)]
    [TestCase(120, 300, 50, 4, 1)]
    [TestCase(3, 0, 0, 5, 0)]
    public void RoundTripWithGivenDimensions(int rows, int features, int labels, int seed, int indexBase)
    {
        var x = IoTestData.Features(rows, features, seed);
        var y = IoTestData.Labels(rows, labels, seed + 7, weighted: seed % 2 == 0);
        using var dir = new TempDir();
        string path = dir.File("data.svm");
        LibSvmFormat.Write(path, x, y, indexBase);
        var back = LibSvmFormat.Read(path, features, labels, indexBase);
        MatrixAssert.Equal(x, back.Features, "features");
        MatrixAssert.Equal(y, back.Labels, "labels");
    }

    [Test]
    public void RoundTripKeepsEmptyRowsIncludingTrailingOnes()
    {
        var x = SparseOps.FromDense(new float[,] { { 0, 0 }, { 1, 0 }, { 0, 0 }, { 0, 0 } });
        var y = SparseOps.FromDense(new float[,] { { 0 }, { 0 }, { 1 }, { 0 } });
        var stream = new MemoryStream();
        LibSvmFormat.Write(stream, x, y);
        Assert.That(Encoding.UTF8.GetString(stream.ToArray()), Is.EqualTo("\n 0:1\n0\n\n"));
        stream.Position = 0;
        var back = LibSvmFormat.Read(stream, "mem", 2, 1);
        MatrixAssert.Equal(x, back.Features);
        MatrixAssert.Equal(y, back.Labels);
    }

    [Test]
    public void InfersDimensionsFromTheLargestIds()
    {
        var d = ReadText("3,1 4:1 2:0.5\n0 7:2\n");
        Assert.That(d.Features.Cols, Is.EqualTo(8));
        Assert.That(d.Labels.Cols, Is.EqualTo(4));
        Assert.That(d.Count, Is.EqualTo(2));
    }

    [Test]
    public void EmptyFileIsAnEmptyDataSet()
    {
        var d = ReadText("");
        Assert.That((d.Count, d.Features.Cols, d.Labels.Cols), Is.EqualTo((0, 0, 0)));
    }

    [Test]
    public void OneBasedFeaturesAreShiftedToColumnZero()
    {
        var d = ReadText("0 1:5 3:6\n", featureIndexBase: 1);
        Assert.That(d.Features.Cols, Is.EqualTo(3));
        Assert.That(d.Features[0, 0], Is.EqualTo(5f));
        Assert.That(d.Features[0, 2], Is.EqualTo(6f));
    }

    [Test]
    public void CommentsAreSkipped()
    {
        var d = ReadText("# a comment line\n1 0:1 # trailing comment\n   # indented comment\n0 1:1\n");
        Assert.That(d.Count, Is.EqualTo(2));
        Assert.That(d.Labels[0, 1], Is.EqualTo(1f));
    }

    [Test]
    public void IdAtOrAboveAGivenCountIsRejected()
    {
        var e = Assert.Throws<XmrDataException>(() => ReadText("0 1:1\n0 5:1\n", featureCount: 5))!;
        Assert.That(e.LineNumber, Is.EqualTo(2));
        Assert.That(e.Field, Is.EqualTo("feature id"));
        Assert.That(e.Problem, Does.Contain("featureCount = 5"));
        var e2 = Assert.Throws<XmrDataException>(() => ReadText("2 1:1\n", labelCount: 2))!;
        Assert.That(e2.Field, Is.EqualTo("label id"));
    }

    [Test]
    public void FeatureIdBelowTheIndexBaseIsRejected()
    {
        var e = Assert.Throws<XmrDataException>(() => ReadText("0 0:1\n", featureIndexBase: 1))!;
        Assert.That(e.Problem, Does.Contain("below the index base 1"));
    }

    [TestCase("-1 1:1\n", "label id")]
    [TestCase("+1 1:1\n", "label id")]
    [TestCase("0.5 1:1\n", "label id")]
    [TestCase("0 qid:3 1:1\n", "feature id")]
    [TestCase("0 1:1 1:1\n", "feature id")]
    public void NonMultiLabelSyntaxIsRejected(string text, string field)
    {
        var e = Assert.Throws<XmrDataException>(() => ReadText(text))!;
        Assert.That(e.Field, Is.EqualTo(field));
        Assert.That(e.LineNumber, Is.EqualTo(1));
    }

    [Test]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadText("", featureIndexBase: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadText("", featureCount: -1));
    }

    [Test]
    public void GarbageBytesAreRejectedNotCrashed()
    {
        var rng = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            var bytes = new byte[rng.Next(0, 300)];
            rng.NextBytes(bytes);
            try
            {
                LibSvmFormat.Read(new MemoryStream(bytes), "garbage.svm");
            }
            catch (XmrDataException e)
            {
                Assert.That(e.FilePath, Is.EqualTo("garbage.svm"));
            }
        }
    }
}
