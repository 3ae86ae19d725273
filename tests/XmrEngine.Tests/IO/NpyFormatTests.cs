using XmrEngine.IO;
using static XmrEngine.Tests.IO.NpzTestArchive;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

public class NpyFormatTests
{
    private static float[,] Read(byte[] npy) => NpyFormat.ReadMatrix(new MemoryStream(npy), "test.npy");

    private static float[,] RandomMatrix(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var m = new float[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) m[r, c] = (float)(rng.NextDouble() * 200 - 100);
        return m;
    }

    [TestCase(0, 0)]
    [TestCase(0, 7)]
    [TestCase(7, 0)]
    [TestCase(1, 5)]
    [TestCase(5, 1)]
    [TestCase(37, 13)]
    public void RoundTripThroughFile(int rows, int cols)
    {
        var m = RandomMatrix(rows, cols, rows * 31 + cols);
        using var dir = new TempDir();
        string path = dir.File("m.npy");
        NpyFormat.Write(path, m);
        Assert.That(NpyFormat.ReadMatrix(path), Is.EqualTo(m));
        Assert.That(new FileInfo(path).Length % 4, Is.Zero);
    }

    [Test]
    public void FortranOrderIsConvertedToRowMajor()
    {
        // [[1, 2, 3], [4, 5, 6]] stored column by column.
        var npy = Npy("<f4", "(2, 3)", Bytes(1f, 4f, 2f, 5f, 3f, 6f), dict: "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }");
        Assert.That(Read(npy), Is.EqualTo(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }));
    }

    [Test]
    public void OtherDtypesAreConverted()
    {
        Assert.That(Read(Npy("<f8", "(1, 2)", Bytes(0.5, -2.0))), Is.EqualTo(new float[,] { { 0.5f, -2f } }));
        Assert.That(Read(Npy("<i4", "(2, 1)", Bytes(3, -4), major: 2)), Is.EqualTo(new float[,] { { 3f }, { -4f } }));
    }

    [TestCase("(3,)", "dimensions")]
    [TestCase("(1, 1, 3)", "dimensions")]
    public void NonMatrixShapesAreRejected(string shape, string problem)
    {
        var e = Assert.Throws<XmrDataException>(() => Read(Npy("<f4", shape, Bytes(1f, 2f, 3f))))!;
        Assert.That(e.Field, Is.EqualTo("shape"));
        Assert.That(e.Problem, Does.Contain(problem));
    }

    [Test]
    public void MalformedFilesAreRejected()
    {
        var good = Npy("<f4", "(1, 3)", Bytes(1f, 2f, 3f));
        Assert.That(Assert.Throws<XmrDataException>(() => Read([]))!.Field, Is.EqualTo("magic"));
        Assert.That(Assert.Throws<XmrDataException>(() => Read(good[..^1]))!.Problem, Does.Contain("truncated"));
        Assert.That(Assert.Throws<XmrDataException>(() => Read([.. good, 0]))!.Field, Is.EqualTo("data"));
        Assert.That(Assert.Throws<XmrDataException>(() => Read(Npy("<f4", "(1, 3)", Bytes(1f, float.NaN, 3f))))!.Problem, Does.Contain("NaN"));
        for (int cut = 0; cut < good.Length; cut++)
        {
            var bytes = good[..cut];
            Assert.Throws<XmrDataException>(() => NpyFormat.ReadMatrix(new NonSeekableStream(bytes), "pipe.npy"), $"cut {cut}");
        }
    }

    [Test]
    public void NumPyReadsWhatWeWriteAndWeReadWhatNumPyWrites()
    {
        PythonSciPy.RequireOrIgnore();
        using var dir = new TempDir();
        var ours = RandomMatrix(4, 6, 1);
        NpyFormat.Write(dir.File("ours.npy"), ours);
        PythonSciPy.Run("""
import sys, os
import numpy as np
d = sys.argv[1]
a = np.load(os.path.join(d, 'ours.npy'))
assert a.dtype == np.float32 and a.shape == (4, 6), (a.dtype, a.shape)
np.save(os.path.join(d, 'back.npy'), a)
np.save(os.path.join(d, 'fortran.npy'), np.asfortranarray(a.astype(np.float64)))
""", dir.Path);
        Assert.That(NpyFormat.ReadMatrix(dir.File("back.npy")), Is.EqualTo(ours));
        Assert.That(NpyFormat.ReadMatrix(dir.File("fortran.npy")), Is.EqualTo(ours));
    }

    /// <summary>A stream that cannot seek, like a pipe, so the reader cannot check sizes up front.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
