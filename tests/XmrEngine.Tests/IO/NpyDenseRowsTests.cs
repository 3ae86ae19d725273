using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using static XmrEngine.Tests.IO.NpzTestArchive;

namespace XmrEngine.Tests.IO;

/// <summary><see cref="NpyFormat.ReadCsr"/>: dense .npy feature matrices read as sparse rows (mapped for float32/float64).</summary>
public class NpyDenseRowsTests
{
    private static CsrMatrix ReadFile(byte[] npy, out string path, TempDir dir)
    {
        path = dir.Write("x.npy", npy);
        return NpyFormat.ReadCsr(path);
    }

    private static void AssertRows(CsrMatrix m, float[,] dense)
    {
        Assert.That((m.Rows, m.Cols), Is.EqualTo((dense.GetLength(0), dense.GetLength(1))));
        for (int r = 0; r < m.Rows; r++)
        {
            var expected = Enumerable.Range(0, m.Cols).Where(c => dense[r, c] != 0).ToArray();
            Assert.That(m.Row(r).Indices.ToArray(), Is.EqualTo(expected), $"row {r}");
            Assert.That(m.Row(r).Values.ToArray(), Is.EqualTo(expected.Select(c => dense[r, c]).ToArray()), $"row {r}");
        }
    }

    [Test]
    public void Float32AndFloat64RowsKeepTheirNonZeros()
    {
        using var dir = new TempDir();
        var dense = new float[,] { { 0, 1.5f, 0, -2 }, { 0, 0, 0, 0 }, { 3, 0, 0.25f, 0 } };
        string f4 = dir.File("f4.npy");
        NpyFormat.Write(f4, dense);
        AssertRows(NpyFormat.ReadCsr(f4), dense);
        AssertRows(ReadFile(Npy("<f8", "(3, 4)", Bytes(0.0, 1.5, 0.0, -2.0, 0.0, 0.0, 0.0, 0.0, 3.0, 0.0, 0.25, 0.0)), out _, dir), dense);
        // Through the data-set reader, as the commands read it.
        Assert.That(SparseFileFormat.Detect(f4), Is.EqualTo(SparseFileKind.Npy));
        AssertRows(SparseFileFormat.ReadContent(f4).Features, dense);
    }

    [Test]
    public void OtherDtypesFortranOrderAndEmptyMatricesAreRead()
    {
        using var dir = new TempDir();
        AssertRows(ReadFile(Npy("<i4", "(2, 2)", Bytes(0, 3, -4, 0)), out _, dir), new float[,] { { 0, 3 }, { -4, 0 } });
        var fortran = Npy("<f4", "(2, 3)", Bytes(1f, 4f, 0f, 5f, 3f, 0f), dict: "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }");
        AssertRows(ReadFile(fortran, out _, dir), new float[,] { { 1, 0, 3 }, { 4, 5, 0 } });
        AssertRows(ReadFile(Npy("<f4", "(0, 5)", []), out _, dir), new float[0, 5]);
    }

    [TestCase("<f4", "NaN", "row 1, column 0")]
    [TestCase("<f8", "NaN", "row 1, column 0")]
    [TestCase("<f8", "Huge", "outside the float32 range")]
    public void ABadValueNamesItsRowAndColumn(string descr, string kind, string fragment)
    {
        using var dir = new TempDir();
        byte[] data = descr == "<f4"
            ? Bytes(1f, 2f, float.NaN, 4f)
            : Bytes(1.0, 2.0, kind == "NaN" ? double.NaN : 1e300, 4.0);
        var e = Assert.Throws<XmrDataException>(() => ReadFile(Npy(descr, "(2, 2)", data), out _, dir))!;
        Assert.That(e.Field, Is.EqualTo("data"));
        Assert.That(e.Message, Does.Contain("x.npy").And.Contain(fragment));
    }

    [TestCase("(3,)", "shape")]
    [TestCase("(1, 1, 3)", "shape")]
    public void NonMatricesAreRejectedNamingTheField(string shape, string field)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<XmrDataException>(() => ReadFile(Npy("<f4", shape, Bytes(1f, 2f, 3f)), out _, dir))!;
        Assert.That(e.Field, Is.EqualTo(field));
    }

    [Test]
    public void BadHeadersAndSizesNameTheFileAndField()
    {
        using var dir = new TempDir();
        var truncated = Npy("<f4", "(2, 2)", Bytes(1f, 2f, 3f));
        Assert.That(Assert.Throws<XmrDataException>(() => ReadFile(truncated, out _, dir))!.Field, Is.EqualTo("data"));
        var longer = Npy("<f4", "(1, 2)", Bytes(1f, 2f, 3f));
        Assert.That(Assert.Throws<XmrDataException>(() => ReadFile(longer, out _, dir))!.Field, Is.EqualTo("data"));
        var strings = Npy("|S4", "(1, 1)", Bytes((byte)'a', (byte)'b', (byte)'c', (byte)'d'));
        Assert.That(Assert.Throws<XmrDataException>(() => ReadFile(strings, out _, dir))!.Field, Is.EqualTo("descr"));
        var e = Assert.Throws<XmrDataException>(() => ReadFile("not numpy at all"u8.ToArray(), out _, dir))!;
        Assert.That(e.Field, Is.EqualTo("magic"));
        Assert.That(e.Message, Does.StartWith(dir.File("x.npy")));
        var noShape = Npy("<f4", "(1, 1)", Bytes(1f), dict: "{'descr': '<f4', 'fortran_order': False, }");
        Assert.That(Assert.Throws<XmrDataException>(() => ReadFile(noShape, out _, dir))!.Message, Does.Contain("shape"));
    }
}
