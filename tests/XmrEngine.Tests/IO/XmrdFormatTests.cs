using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

public class XmrdFormatTests
{
    private static readonly string[] Sections =
        ["X row pointers", "X column indices", "X values", "Y row pointers", "Y column indices", "Y values"];

    [TestCase(0, 0, 0, 1)]
    [TestCase(0, 5, 3, 2)]
    [TestCase(1, 1, 1, 3)]
    [TestCase(1, 9, 0, 4)]
    [TestCase(7, 0, 4, 5)]
    [TestCase(60, 200, 30, 6)]
    [TestCase(300, 40, 500, 7)]
    public void RoundTripWithAndWithoutLabels(int rows, int features, int labels, int seed)
    {
        var x = IoTestData.Features(rows, features, seed);
        var y = IoTestData.Labels(rows, labels, seed + 100, weighted: true);
        using var dir = new TempDir();
        string both = dir.File("both.xmrd"), only = dir.File("only.xmrd");
        XmrdFormat.Write(both, x, y);
        XmrdFormat.Write(only, x);
        var back = XmrdFormat.Read(both);
        MatrixAssert.Equal(x, back.Features, "X");
        MatrixAssert.Equal(y, back.Labels!, "Y");
        var single = XmrdFormat.Read(only);
        MatrixAssert.Equal(x, single.Features, "X only");
        Assert.That(single.Labels, Is.Null);
    }

    [Test]
    public void RoundTripKeepsAwkwardValuesHugeColumnCountsAndEmptyRowsBitForBit()
    {
        var awkward = IoTestData.AwkwardValues();
        var wide = new CooBuilder(5, int.MaxValue);
        wide.Add(0, 0, 1f);
        wide.Add(0, int.MaxValue - 1, -2f);
        wide.Add(3, 123_456_789, 3.5f);
        using var dir = new TempDir();
        foreach (var m in new[] { awkward, wide.ToCsr(), CsrMatrix.Empty(4, 10) })
        {
            string path = dir.File("m.xmrd");
            XmrdFormat.Write(path, m, m);
            var back = XmrdFormat.Read(path);
            MatrixAssert.Equal(m, back.Features, "X");
            MatrixAssert.Equal(m, back.Labels!, "Y");
        }
    }

    [Test]
    public void ArraysStartOn64ByteBoundaries()
    {
        using var dir = new TempDir();
        string path = dir.File("d.xmrd");
        XmrdFormat.Write(path, IoTestData.Features(13, 7, 1), IoTestData.Labels(13, 5, 2));
        var bytes = File.ReadAllBytes(path);
        for (int i = 0; i < 6; i++)
        {
            long offset = BitConverter.ToInt64(bytes, 64 + 32 * i + 8);
            Assert.That(offset % 64, Is.EqualTo(0), Sections[i]);
        }
        Assert.That(bytes.Length % 64, Is.EqualTo(16), "sections padded to 64 bytes, then the 16-byte trailer");
    }

    [Test]
    public void AFlippedByteInEverySectionIsReportedWithTheSectionName()
    {
        using var dir = new TempDir();
        string path = dir.File("d.xmrd");
        XmrdFormat.Write(path, IoTestData.Features(40, 30, 3), IoTestData.Labels(40, 9, 4));
        var original = File.ReadAllBytes(path);
        for (int i = 0; i < 6; i++)
        {
            long offset = BitConverter.ToInt64(original, 64 + 32 * i + 8);
            long length = BitConverter.ToInt64(original, 64 + 32 * i + 16);
            foreach (long at in new[] { offset, offset + length / 2, offset + length - 1 })
            {
                var bad = (byte[])original.Clone();
                bad[at] ^= 0x10;
                File.WriteAllBytes(path, bad);
                var e = Assert.Throws<XmrDataException>(() => XmrdFormat.Read(path))!;
                Assert.That(e.Field, Is.EqualTo(Sections[i]), e.Message);
                Assert.That(e.Message, Does.StartWith(path).And.Contain("checksum"));
            }
        }
    }

    [Test]
    public void CorruptHeaderTableTrailerAndPaddingAreReported()
    {
        using var dir = new TempDir();
        string path = dir.File("d.xmrd");
        XmrdFormat.Write(path, IoTestData.Features(5, 6, 3), IoTestData.Labels(5, 4, 4));
        var original = File.ReadAllBytes(path);
        long firstSection = BitConverter.ToInt64(original, 64 + 8);
        long xPtrEnd = firstSection + BitConverter.ToInt64(original, 64 + 16);
        foreach (var (at, field) in new (long, string)[] { (0, "header"), (20, "header"), (70, "section table"), (original.Length - 12, "trailer"), (original.Length - 1, "trailer"), (xPtrEnd + 1, "trailer") })
        {
            var bad = (byte[])original.Clone();
            bad[at] ^= 0x01;
            File.WriteAllBytes(path, bad);
            var e = Assert.Throws<XmrDataException>(() => XmrdFormat.Read(path))!;
            Assert.That(e.Field, Is.EqualTo(field), $"byte {at}: {e.Message}");
        }
    }

    [Test]
    public void EveryTruncationAndAppendedBytesAreRejected()
    {
        using var dir = new TempDir();
        string path = dir.File("d.xmrd");
        XmrdFormat.Write(path, IoTestData.Features(6, 5, 3), IoTestData.Labels(6, 3, 4));
        var original = File.ReadAllBytes(path);
        for (int length = 0; length < original.Length; length++)
        {
            File.WriteAllBytes(path, original[..length]);
            var e = Assert.Throws<XmrDataException>(() => XmrdFormat.Read(path), $"length {length}")!;
            Assert.That(e.FilePath, Is.EqualTo(path));
        }
        File.WriteAllBytes(path, [.. original, 0]);
        Assert.That(Assert.Throws<XmrDataException>(() => XmrdFormat.Read(path))!.Message, Does.Contain("unexpected bytes"));
    }

    [Test]
    public void WithoutChecksumsStructureIsStillValidatedPerSection()
    {
        using var dir = new TempDir();
        string path = dir.File("d.xmrd");
        var x = new CsrMatrix(2, 4, [0, 2, 3], [1, 3, 0], [1f, 2f, 3f]);
        XmrdFormat.Write(path, x);
        var original = File.ReadAllBytes(path);
        long Offset(int section) => BitConverter.ToInt64(original, 64 + 32 * section + 8);
        void Expect(Action<byte[]> corrupt, string section, string fragment)
        {
            var bad = (byte[])original.Clone();
            corrupt(bad);
            File.WriteAllBytes(path, bad);
            var e = Assert.Throws<XmrDataException>(() => XmrdFormat.Read(path, verifyChecksums: false))!;
            Assert.That(e.Field, Is.EqualTo(section), e.Message);
            Assert.That(e.Message, Does.Contain(fragment));
        }
        Expect(b => BitConverter.TryWriteBytes(b.AsSpan((int)Offset(0) + 8), 4L), "X row pointers", "decrease");
        Expect(b => BitConverter.TryWriteBytes(b.AsSpan((int)Offset(0) + 16), 2L), "X row pointers", "last pointer");
        Expect(b => BitConverter.TryWriteBytes(b.AsSpan((int)Offset(1) + 4), 9), "X column indices", "out of range");
        Expect(b => BitConverter.TryWriteBytes(b.AsSpan((int)Offset(1) + 4), 1), "X column indices", "strictly increasing");
        Expect(b => BitConverter.TryWriteBytes(b.AsSpan((int)Offset(2) + 8), float.NaN), "X values", "finite");
    }

    [Test]
    public void NotAnXmrdFileAndAFeaturesOnlyFileAsADataSetAreNamed()
    {
        using var dir = new TempDir();
        string text = dir.Write("t.xmrd", "3 4 5\n");
        Assert.That(Assert.Throws<XmrDataException>(() => XmrdFormat.Read(text))!.Message, Does.Contain("bad magic"));
        string only = dir.File("only.xmrd");
        XmrdFormat.Write(only, IoTestData.Features(3, 4, 1));
        Assert.That(Assert.Throws<XmrDataException>(() => SparseFileFormat.ReadDataset(only))!.Field, Is.EqualTo("labels"));
        Assert.That(SparseFileFormat.Detect("a/B.XMRD"), Is.EqualTo(SparseFileKind.Xmrd));
    }

    [Test]
    public void MismatchedRowCountsAreRefusedOnWrite()
    {
        using var dir = new TempDir();
        Assert.Throws<ArgumentException>(() => XmrdFormat.Write(dir.File("d.xmrd"), IoTestData.Features(3, 4, 1), IoTestData.Labels(4, 2, 1)));
    }
}
