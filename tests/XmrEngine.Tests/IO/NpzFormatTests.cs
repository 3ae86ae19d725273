using System.Text;
using XmrEngine.IO;
using XmrEngine.Sparse;
using static XmrEngine.Tests.IO.NpzTestArchive;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

public class NpzFormatTests
{
    private static CsrMatrix Read(byte[] npz) => NpzFormat.ReadCsr(new MemoryStream(npz), "test.npz");

    private static XmrDataException Malformed(byte[] npz) => Assert.Throws<XmrDataException>(() => Read(npz))!;

    // 2 x 3: [[0, 1.5, 0], [2, 0, -3]]
    private static (string, byte[])[] Small() => Members("csr", 2, 3, [0, 1, 3], [1, 0, 2], [1.5f, 2f, -3f]);

    [TestCase(0, 0, 1, true)]
    [TestCase(4, 0, 2, false)]
    [TestCase(0, 6, 3, true)]
    [TestCase(1, 1, 4, false)]
    [TestCase(50, 80, 5, true)]
    [TestCase(200, 30, 6, false)]
    public void CsrRoundTripThroughFile(int rows, int cols, int seed, bool compressed)
    {
        var m = IoTestData.Features(rows, cols, seed);
        using var dir = new TempDir();
        string path = dir.File("m.npz");
        NpzFormat.Write(path, m, compressed);
        MatrixAssert.Equal(m, NpzFormat.ReadCsr(path));
        MatrixAssert.Equal(m.ToCsc(), NpzFormat.ReadCsc(path));
        Assert.That(Directory.GetFiles(dir.Path), Has.Length.EqualTo(1));
    }

    [Test]
    public void EveryCompressionReadsBackTheSameAndOnlyNoneIsStored([Values] NpzCompression compression)
    {
        var m = IoTestData.Features(300, 500, 9);
        using var dir = new TempDir();
        string path = dir.File("m.npz");
        NpzFormat.Write(path, m, compression);
        MatrixAssert.Equal(m, NpzFormat.ReadCsr(path));
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        // Column ids compress well (random floats may not, at the fastest level): they shrink unless stored.
        var indices = zip.GetEntry("indices.npy")!;
        Assert.That(indices.CompressedLength < indices.Length, Is.EqualTo(compression != NpzCompression.None), "deflated unless None");
    }

    [TestCase(0, 0, 1, true)]
    [TestCase(7, 40, 2, false)]
    [TestCase(40, 7, 3, true)]
    public void CscRoundTripThroughFile(int rows, int cols, int seed, bool compressed)
    {
        var m = IoTestData.Features(rows, cols, seed).ToCsc();
        using var dir = new TempDir();
        string path = dir.File("m.npz");
        NpzFormat.Write(path, m, compressed);
        MatrixAssert.Equal(m, NpzFormat.ReadCsc(path));
        MatrixAssert.Equal(m.ToCsr(), NpzFormat.ReadCsr(path));
    }

    [Test]
    public void AwkwardValuesSurviveBitForBit()
    {
        var m = IoTestData.AwkwardValues();
        var stream = new MemoryStream();
        NpzFormat.Write(stream, m);
        MatrixAssert.Equal(m, Read(stream.ToArray()));
    }

    [Test]
    public void WritingTheSameMatrixTwiceGivesTheSameBytes()
    {
        var m = IoTestData.Features(30, 30, 9);
        var a = new MemoryStream();
        var b = new MemoryStream();
        NpzFormat.Write(a, m);
        NpzFormat.Write(b, m);
        Assert.That(a.ToArray(), Is.EqualTo(b.ToArray()));
    }

    [Test]
    public void StoredArchiveIsLargerThanCompressedForRedundantData()
    {
        var m = SparseOps.FromDense(new float[200, 50]).Binarize();
        var b = new CooBuilder(200, 50);
        for (int r = 0; r < 200; r++) b.Add(r, r % 50, 1f);
        m = b.ToCsr();
        var stored = new MemoryStream();
        var deflated = new MemoryStream();
        NpzFormat.Write(stored, m, compressed: false);
        NpzFormat.Write(deflated, m, compressed: true);
        Assert.That(deflated.Length, Is.LessThan(stored.Length));
    }

    [Test]
    public void ReadsTheHandBuiltReferenceFile()
    {
        var m = Read(Zip(true, Small()));
        Assert.That(m.ToDense(), Is.EqualTo(new float[,] { { 0, 1.5f, 0 }, { 2, 0, -3 } }));
    }

    [Test]
    public void ReadsOtherDtypesAndHeaderVersions()
    {
        var members = Small()
            .With("indices.npy", Npy("<i8", "(3,)", Bytes(1L, 0L, 2L), major: 2))
            .With("indptr.npy", Npy("<i8", "(3,)", Bytes(0L, 1L, 3L), major: 3))
            .With("data.npy", Npy("<f8", "(3L,)", Bytes(1.5, 2.0, -3.0)))
            .With("format.npy", Npy("<U3", "()", Encoding.UTF32.GetBytes("csr")));
        var m = Read(Zip(false, members));
        Assert.That(m.ToDense(), Is.EqualTo(new float[,] { { 0, 1.5f, 0 }, { 2, 0, -3 } }));
    }

    [TestCase("<i2", 2)]
    [TestCase("|u1", 1)]
    [TestCase("|b1", 1)]
    [TestCase("<f2", 2)]
    public void ReadsSmallNumericDataTypes(string descr, int size)
    {
        byte[] data = size == 1 ? [1, 1, 1] : descr == "<f2" ? Bytes((Half)1, (Half)1, (Half)1) : Bytes((short)1, (short)1, (short)1);
        var m = Read(Zip(true, Small().With("data.npy", Npy(descr, "(3,)", data))));
        Assert.That(m.Values.ToArray(), Is.EqualTo(new[] { 1f, 1f, 1f }));
    }

    [Test]
    public void CscFileIsConvertedWhenReadAsCsr()
    {
        // CSC of [[0, 1.5, 0], [2, 0, -3]]: columns 0: row 1; 1: row 0; 2: row 1.
        var members = Members("csc", 2, 3, [0, 1, 2, 3], [1, 0, 1], [2f, 1.5f, -3f]);
        Assert.That(Read(Zip(true, members)).ToDense(), Is.EqualTo(new float[,] { { 0, 1.5f, 0 }, { 2, 0, -3 } }));
        var csc = NpzFormat.ReadCsc(new MemoryStream(Zip(true, members)), "csc.npz");
        Assert.That(csc.Column(2).Indices.ToArray(), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void CooFileIsRead()
    {
        var members = new (string, byte[])[]
        {
            ("row.npy", Npy("<i4", "(4,)", Bytes(1, 0, 1, 1))),
            ("col.npy", Npy("<i4", "(4,)", Bytes(2, 1, 0, 2))),
            ("format.npy", Npy("|S3", "()", "coo"u8.ToArray())),
            ("shape.npy", Npy("<i8", "(2,)", Bytes(2L, 3L))),
            ("data.npy", Npy("<f4", "(4,)", Bytes(-1f, 1.5f, 2f, -2f))),
        };
        Assert.That(Read(Zip(true, members)).ToDense(), Is.EqualTo(new float[,] { { 0, 1.5f, 0 }, { 2, 0, -3 } }));
    }

    [Test]
    public void UnsortedIndicesAreSortedAndDuplicatesSummed()
    {
        // Row 0: columns 2, 0, 2 (duplicate), row 1: columns 1, 0.
        var members = Members("csr", 2, 3, [0, 3, 5], [2, 0, 2, 1, 0], [1f, 5f, 0.5f, 7f, 8f]);
        var m = Read(Zip(true, members));
        Assert.That(m.Row(0).Indices.ToArray(), Is.EqualTo(new[] { 0, 2 }));
        Assert.That(m.Row(0).Values.ToArray(), Is.EqualTo(new[] { 5f, 1.5f }));
        Assert.That(m.Row(1).Indices.ToArray(), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(m.Row(1).Values.ToArray(), Is.EqualTo(new[] { 8f, 7f }));
        Assert.That(m.Nnz, Is.EqualTo(4));
    }

    [Test]
    public void EntriesBeyondTheLastPointerAreIgnoredLikeSciPy()
    {
        var members = Members("csr", 2, 3, [0, 1, 2], [1, 0, 7], [1.5f, 2f, 9f]);
        var m = Read(Zip(true, members));
        Assert.That(m.Nnz, Is.EqualTo(2));
        Assert.That(m[1, 0], Is.EqualTo(2f));
    }

    [Test]
    public void EmptyFileIsRejected()
    {
        var e = Malformed([]);
        Assert.That(e.Message, Does.Contain("test.npz").And.Contain("empty"));
    }

    [Test]
    public void GarbageBytesAreRejected()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 100; trial++)
        {
            var bytes = new byte[rng.Next(1, 2000)];
            rng.NextBytes(bytes);
            Assert.Throws<XmrDataException>(() => Read(bytes));
        }
    }

    [Test]
    public void EveryTruncationIsRejected()
    {
        var stream = new MemoryStream();
        NpzFormat.Write(stream, IoTestData.Features(8, 9, 3));
        byte[] full = stream.ToArray();
        for (int cut = 0; cut < full.Length; cut++)
            Assert.Throws<XmrDataException>(() => Read(full[..cut]), $"cut at {cut} of {full.Length}");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void RandomCorruptionNeverEscapesAsAnotherException(bool compressed)
    {
        var stream = new MemoryStream();
        NpzFormat.Write(stream, IoTestData.Features(12, 15, 8), compressed);
        byte[] original = stream.ToArray();
        var rng = new Random(compressed ? 1 : 2);
        for (int trial = 0; trial < 1500; trial++)
        {
            var bytes = (byte[])original.Clone();
            int edits = 1 + rng.Next(3);
            for (int k = 0; k < edits; k++) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
            try
            {
                Read(bytes);
            }
            catch (XmrDataException)
            {
                // Expected for most corruptions.
            }
        }
    }

    [TestCase("format.npy")]
    [TestCase("shape.npy")]
    [TestCase("indices.npy")]
    [TestCase("indptr.npy")]
    [TestCase("data.npy")]
    public void MissingMemberIsNamed(string member)
    {
        var e = Malformed(Zip(true, Small().With(member, null)));
        Assert.That(e.Member, Is.EqualTo(member));
        Assert.That(e.Problem, Does.Contain("missing"));
    }

    [Test]
    public void TruncatedMemberIsRejected()
    {
        var data = Npy("<f4", "(3,)", Bytes(1.5f, 2f, -3f));
        var e = Malformed(Zip(true, Small().With("data.npy", data[..^2])));
        Assert.That(e.Member, Is.EqualTo("data.npy"));
        Assert.That(e.Problem, Does.Contain("truncated"));
    }

    [Test]
    public void MemberWithTrailingBytesIsRejected()
    {
        var data = Npy("<f4", "(3,)", Bytes(1.5f, 2f, -3f, 4f));
        var e = Malformed(Zip(true, Small().With("data.npy", Npy("<f4", "(3,)", Bytes(1.5f, 2f, -3f)).Concat(new byte[] { 1 }).ToArray())));
        Assert.That(e.Member, Is.EqualTo("data.npy"));
        Assert.That(data, Is.Not.Empty);
    }

    [TestCase("not numpy", "magic")]
    [TestCase("header-version", "version")]
    [TestCase("{'descr': '<f4', 'fortran_order': False}", "header")]
    [TestCase("{'descr': '<f4', 'shape': (3,), }", "header")]
    [TestCase("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (3,), }", "header")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'descr': '<f4'}", "header")]
    [TestCase("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }", "header")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), } junk", "header")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }", "shape")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1), }", "shape")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': 3, }", "shape")]
    [TestCase("{'descr': '<f4', 'fortran_order': 1, 'shape': (3,), }", "fortran_order")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), ", "header")]
    [TestCase("{'descr': '<f4, 'fortran_order': False, 'shape': (3,), }", "header")]
    public void BadNpyHeaderIsRejected(string header, string field)
    {
        byte[] npy = header switch
        {
            "not numpy" => "NOTNUMPY and more bytes"u8.ToArray(),
            "header-version" => Npy("<f4", "(3,)", Bytes(1f, 2f, 3f), major: 7),
            _ => Npy("<f4", "(3,)", Bytes(1f, 2f, 3f), dict: header),
        };
        var e = Malformed(Zip(true, Small().With("data.npy", npy)));
        Assert.That(e.Member, Is.EqualTo("data.npy"));
        Assert.That(e.Field, Is.EqualTo(field));
    }

    [TestCase(">f4", "big-endian")]
    [TestCase(">i8", "big-endian")]
    [TestCase("<c8", "not supported")]
    [TestCase("<f3", "not supported")]
    [TestCase("|O", "not a simple")]
    [TestCase("<U3", "string type")]
    [TestCase("<x4", "not supported")]
    public void UnsupportedDataTypeIsRejected(string descr, string problem)
    {
        var e = Malformed(Zip(true, Small().With("data.npy", Npy(descr, "(3,)", new byte[descr == "<U3" ? 36 : 12]))));
        Assert.That(e.Member, Is.EqualTo("data.npy"));
        Assert.That(e.Field, Is.EqualTo("descr"));
        Assert.That(e.Problem, Does.Contain(problem));
    }

    [Test]
    public void FloatIndicesAreRejected()
    {
        var e = Malformed(Zip(true, Small().With("indices.npy", Npy("<f4", "(3,)", Bytes(1f, 0f, 2f)))));
        Assert.That(e.Member, Is.EqualTo("indices.npy"));
        Assert.That(e.Problem, Does.Contain("not an integer type"));
    }

    [TestCase(float.NaN, "NaN")]
    [TestCase(float.PositiveInfinity, "infinite")]
    public void NonFiniteValuesAreRejected(float bad, string problem)
    {
        var e = Malformed(Zip(true, Small().With("data.npy", Npy("<f4", "(3,)", Bytes(1f, bad, 3f)))));
        Assert.That(e.Member, Is.EqualTo("data.npy"));
        Assert.That(e.Problem, Does.Contain("element 1").And.Contain(problem));
    }

    [Test]
    public void Float64OutsideFloat32RangeIsRejected()
    {
        var e = Malformed(Zip(true, Small().With("data.npy", Npy("<f8", "(3,)", Bytes(1.0, 1e300, 3.0)))));
        Assert.That(e.Problem, Does.Contain("element 1").And.Contain("float32 range"));
    }

    [Test]
    public void DuplicatesSummingBeyondFloatRangeAreRejected()
    {
        var members = Members("csr", 1, 2, [0, 2], [1, 1], [float.MaxValue, float.MaxValue]);
        var e = Malformed(Zip(true, members));
        Assert.That(e.Problem, Does.Contain("sum to a value outside"));
    }

    [Test]
    public void Int64IndexOutsideInt32IsRejected()
    {
        var e = Malformed(Zip(true, Small().With("indices.npy", Npy("<i8", "(3,)", Bytes(1L, 1L << 40, 2L)))));
        Assert.That(e.Member, Is.EqualTo("indices.npy"));
        Assert.That(e.Problem, Does.Contain("int32 range"));
    }

    [TestCase(new[] { 0, 1, 4 }, "indptr.npy", "only 3 indices")]
    [TestCase(new[] { 1, 1, 3 }, "indptr.npy", "must be 0")]
    [TestCase(new[] { 0, 2, 1 }, "indptr.npy", "must not decrease")]
    [TestCase(new[] { 0, 3 }, "indptr.npy", "2 rows")]
    public void BadPointersAreRejected(int[] indptr, string member, string problem)
    {
        var e = Malformed(Zip(true, Members("csr", 2, 3, indptr, [1, 0, 2], [1.5f, 2f, -3f])));
        Assert.That(e.Member, Is.EqualTo(member));
        Assert.That(e.Problem, Does.Contain(problem));
    }

    [Test]
    public void IndexOutOfRangeIsRejectedNamingTheRow()
    {
        var e = Malformed(Zip(true, Members("csr", 2, 3, [0, 1, 3], [1, 0, 3], [1.5f, 2f, -3f])));
        Assert.That(e.Member, Is.EqualTo("indices.npy"));
        Assert.That(e.Field, Is.EqualTo("row 1"));
        Assert.That(e.Problem, Does.Contain("column index 3").And.Contain("[0, 3)"));
    }

    [Test]
    public void MismatchedIndicesAndDataLengthsAreRejected()
    {
        var e = Malformed(Zip(true, Small().With("data.npy", Npy("<f4", "(2,)", Bytes(1f, 2f)))));
        Assert.That(e.Member, Is.EqualTo("data.npy"));
    }

    [TestCase("(3,)", "3 numbers")]
    [TestCase("(-1, 3)", "outside the supported range")]
    public void BadShapeIsRejected(string shapeText, string problem)
    {
        byte[] data = shapeText == "(3,)" ? Bytes(2L, 3L, 4L) : Bytes(-1L, 3L);
        var shape = Npy("<i8", shapeText == "(3,)" ? "(3,)" : "(2,)", data);
        var e = Malformed(Zip(true, Small().With("shape.npy", shape)));
        Assert.That(e.Member, Is.EqualTo("shape.npy"));
        Assert.That(e.Problem, Does.Contain(problem));
    }

    [TestCase("dia")]
    [TestCase("bsr")]
    public void UnsupportedSparseFormatIsRejected(string format)
    {
        var e = Malformed(Zip(true, Small().With("format.npy", Npy("|S3", "()", Encoding.ASCII.GetBytes(format)))));
        Assert.That(e.Member, Is.EqualTo("format.npy"));
        Assert.That(e.Problem, Does.Contain(format));
    }

    [Test]
    public void PointerAllocationsBeyondTheLimitsAreRefused()
    {
        var e = Assert.Throws<XmrDataException>(() => MemoryGuard.EnsurePointers(Array.MaxLength + 1L, "f.npz", "shape.npy", "rows"))!;
        Assert.That(e.Message, Does.StartWith("f.npz: member 'shape.npy': rows: the matrix needs"));
        Assert.Throws<XmrDataException>(() => MemoryGuard.EnsurePointers(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8 + 1, "f.npz", null, "rows"));
        Assert.DoesNotThrow(() => MemoryGuard.EnsurePointers(1000, "f.npz", null, "rows"));
    }

    [Test]
    public void HugeClaimedShapeDoesNotAllocate()
    {
        var e = Malformed(Zip(true, Small().With("data.npy", Npy("<f4", "(4000000000000,)", Bytes(1f, 2f, 3f)))));
        Assert.That(e.Member, Is.EqualTo("data.npy"));
    }
}
