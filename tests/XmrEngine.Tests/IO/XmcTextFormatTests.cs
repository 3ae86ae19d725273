using System.Text;
using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

public class XmcTextFormatTests
{
    private static XmcDataset ReadText(string text) =>
        XmcTextFormat.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test.txt");

    private static XmrDataException Malformed(string text) =>
        Assert.Throws<XmrDataException>(() => ReadText(text))!;

    [TestCase(0, 0, 0, 1)]
    [TestCase(5, 0, 0, 2)]
    [TestCase(7, 10, 0, 3)]
    [TestCase(7, 0, 4, 4)]
    [TestCase(1, 1, 1, 5)]
    [TestCase(60, 200, 30, 6)]
    [TestCase(300, 40, 500, 7)]
    public void RoundTripThroughFile(int rows, int features, int labels, int seed)
    {
        var x = IoTestData.Features(rows, features, seed);
        var y = IoTestData.Labels(rows, labels, seed + 100);
        using var dir = new TempDir();
        string path = dir.File("data.txt");
        XmcTextFormat.Write(path, x, y);
        var back = XmcTextFormat.Read(path);
        MatrixAssert.Equal(x, back.Features, "features");
        MatrixAssert.Equal(y, back.Labels, "labels");
        Assert.That(Directory.GetFiles(dir.Path), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public void RoundTripKeepsAwkwardFloatsAndLabelWeightsBitForBit()
    {
        var x = IoTestData.AwkwardValues();
        var y = IoTestData.Labels(2, 9, 3, weighted: true);
        var stream = new MemoryStream();
        XmcTextFormat.Write(stream, x, y);
        stream.Position = 0;
        var back = XmcTextFormat.Read(stream, "mem");
        MatrixAssert.Equal(x, back.Features, "features");
        MatrixAssert.Equal(y, back.Labels, "labels");
    }

    [Test]
    public void WritesTheStandardLayout()
    {
        var x = SparseOps.FromDense(new float[,] { { 0, 1, 0 }, { 0.5f, 0, 2 }, { 0, 0, 0 }, { 0, 0, 0 } });
        var y = SparseOps.FromDense(new float[,] { { 1, 0 }, { 0, 0 }, { 1, 1 }, { 0, 0 } });
        var stream = new MemoryStream();
        XmcTextFormat.Write(stream, x, y);
        Assert.That(Encoding.UTF8.GetString(stream.ToArray()), Is.EqualTo("4 3 2\n0 1:1\n 0:0.5 2:2\n0,1\n\n"));
    }

    [Test]
    public void ParsesRowsWithoutLabelsFeaturesOrBoth()
    {
        var d = ReadText("4 5 3\n 1:2 4:0.25\n2\n\n0,2 0:1\n");
        Assert.That(d.Count, Is.EqualTo(4));
        Assert.That(d.Features.RowLength(0), Is.EqualTo(2));
        Assert.That(d.Labels.RowLength(0), Is.Zero);
        Assert.That(d.Features.RowLength(1), Is.Zero);
        Assert.That(d.Labels.Row(1).Indices.ToArray(), Is.EqualTo(new[] { 2 }));
        Assert.That(d.Features.RowLength(2) + d.Labels.RowLength(2), Is.Zero);
        Assert.That(d.Labels.Row(3).Indices.ToArray(), Is.EqualTo(new[] { 0, 2 }));
        Assert.That(d.Features[0, 4], Is.EqualTo(0.25f));
    }

    [Test]
    public void SortsUnorderedIdsAndKeepsValuesAttached()
    {
        var d = ReadText("1 10 10\n7,2,5 9:9 1:1 5:5 3:3\n");
        Assert.That(d.Features.Row(0).Indices.ToArray(), Is.EqualTo(new[] { 1, 3, 5, 9 }));
        Assert.That(d.Features.Row(0).Values.ToArray(), Is.EqualTo(new[] { 1f, 3f, 5f, 9f }));
        Assert.That(d.Labels.Row(0).Indices.ToArray(), Is.EqualTo(new[] { 2, 5, 7 }));
    }

    [Test]
    public void AcceptsWindowsLineEndsTabsBomExponentsAndTrailingBlankLines()
    {
        var d = ReadText("\uFEFF2  3\t2 \r\n1\t0:1e-3   2:-2.5E+2 \r\n0 1:.5\r\n\r\n  \n");
        Assert.That(d.Count, Is.EqualTo(2));
        Assert.That(d.Features[0, 0], Is.EqualTo(1e-3f));
        Assert.That(d.Features[0, 2], Is.EqualTo(-250f));
        Assert.That(d.Features[1, 1], Is.EqualTo(0.5f));
    }

    [Test]
    public void FastDecimalPathAgreesWithTheFullParser()
    {
        // The reader parses short plain decimals itself; every value must equal float.Parse's bit for bit.
        var rng = new Random(23);
        const int Count = 20000;
        var texts = new string[Count];
        var sb = new StringBuilder($"1 {Count} 1\n0");
        for (int i = 0; i < Count; i++)
        {
            int intDigits = rng.Next(0, 9), fracDigits = rng.Next(0, 12);
            var t = new StringBuilder(rng.Next(4) == 0 ? "-" : "");
            for (int k = 0; k < intDigits; k++) t.Append((char)('0' + rng.Next(10)));
            if (fracDigits > 0 || intDigits == 0) t.Append('.');
            for (int k = 0; k < Math.Max(fracDigits, intDigits == 0 ? 1 : 0); k++) t.Append((char)('0' + rng.Next(10)));
            texts[i] = t.ToString();
            sb.Append(' ').Append(i).Append(':').Append(texts[i]);
        }
        var d = ReadText(sb.Append('\n').ToString());
        var values = d.Features.Row(0).Values;
        for (int i = 0; i < Count; i++)
        {
            float expected = float.Parse(texts[i], System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(BitConverter.SingleToInt32Bits(values[i]), Is.EqualTo(BitConverter.SingleToInt32Bits(expected)), texts[i]);
        }
    }

    [Test]
    public void ReadsWeightedLabels()
    {
        var d = ReadText("1 1 4\n3:2.5,1 0:1\n");
        Assert.That(d.Labels[0, 3], Is.EqualTo(2.5f));
        Assert.That(d.Labels[0, 1], Is.EqualTo(1f));
    }

    [Test]
    public void FileWithoutFinalNewlineIsRead()
    {
        var d = ReadText("2 2 2\n0 0:1\n1 1:1");
        Assert.That(d.Labels[1, 1], Is.EqualTo(1f));
    }

    [Test]
    public void ReadsLinesLongerThanTheBuffer()
    {
        var sb = new StringBuilder("1 200000 1\n0");
        for (int i = 0; i < 200000; i += 2) sb.Append(' ').Append(i).Append(":1");
        var d = ReadText(sb.Append('\n').ToString());
        Assert.That(d.Features.Nnz, Is.EqualTo(100000));
    }

    [Test]
    public void EmptyFileIsRejected()
    {
        var e = Malformed("");
        Assert.That(e.Message, Does.Contain("test.txt").And.Contain("line 1").And.Contain("empty"));
        Assert.That(e.Field, Is.EqualTo("header"));
    }

    [TestCase("3 4\n")]
    [TestCase("3 4 5 6\n")]
    [TestCase("a b c\n")]
    [TestCase("-1 4 5\n")]
    [TestCase("99999999999 4 5\n")]
    [TestCase("\n")]
    public void BadHeaderIsRejected(string text)
    {
        var e = Malformed(text);
        Assert.That(e.LineNumber, Is.EqualTo(1));
        Assert.That(e.Field, Is.EqualTo("header"));
        Assert.That(e.Message, Does.Contain("N F L"));
    }

    [Test]
    public void HeaderWithMoreRowsThanTheFileIsRejected()
    {
        var e = Malformed("3 4 5\n0 1:1\n1 2:1\n");
        Assert.That(e.Field, Is.EqualTo("row count"));
        Assert.That(e.LineNumber, Is.EqualTo(4));
        Assert.That(e.Message, Does.Contain("3 rows").And.Contain("after 2"));
    }

    [Test]
    public void HugeHeaderRowCountIsRejectedWithoutAllocatingForIt()
    {
        var e = Malformed("2000000000 5 5\n0 1:1\n");
        Assert.That(e.Field, Is.EqualTo("row count"));
        Assert.That(e.Message, Does.Contain("2000000000 rows").And.Contain("after 1"));
    }

    [Test]
    public void ExtraRowsAfterTheHeaderCountAreRejected()
    {
        var e = Malformed("1 4 5\n0 1:1\n1 2:1\n");
        Assert.That(e.Field, Is.EqualTo("row count"));
        Assert.That(e.LineNumber, Is.EqualTo(3));
    }

    [TestCase("1 4 5\n0 4:1\n", "feature id", "4 is out of range")]
    [TestCase("1 4 5\n5 1:1\n", "label id", "5 is out of range")]
    [TestCase("1 4 5\n0 x:1\n", "feature id", "'x'")]
    [TestCase("1 4 5\n0 1\n", "feature", "not an id:value pair")]
    [TestCase("1 4 5\n0 1:\n", "feature value", "not a number")]
    [TestCase("1 4 5\n0 1:abc\n", "feature value", "not a number")]
    [TestCase("1 4 5\n0 1:nan\n", "feature value", "NaN")]
    [TestCase("1 4 5\n0 1:NaN\n", "feature value", "NaN")]
    [TestCase("1 4 5\n0 1:inf\n", "feature value", "infinite")]
    [TestCase("1 4 5\n0 1:-Infinity\n", "feature value", "infinite")]
    [TestCase("1 4 5\n0 1:1e39\n", "feature value", "float range")]
    [TestCase("1 4 5\n0 -1:1\n", "feature id", "not a non-negative integer")]
    [TestCase("1 4 5\n0 1.5:1\n", "feature id", "not a non-negative integer")]
    [TestCase("1 4 5\n-1 1:1\n", "label id", "not a non-negative integer")]
    [TestCase("1 4 5\n0,,1 1:1\n", "label id", "not a non-negative integer")]
    [TestCase("1 4 5\n0, 1:1\n", "label id", "not a non-negative integer")]
    [TestCase("1 4 5\n1:x 1:1\n", "label weight", "not a number")]
    [TestCase("1 4 5\n0 1:1 1:2\n", "feature id", "more than once")]
    [TestCase("1 4 5\n2,2 1:1\n", "label id", "more than once")]
    [TestCase("1 4 5\n0 1:1\u00001\n", "feature value", "not a number")]
    [TestCase("1 4 5\n0 99999999999:1\n", "feature id", "not a non-negative integer")]
    public void BadTokenIsRejectedWithLineAndField(string text, string field, string problem)
    {
        var e = Malformed(text);
        Assert.That(e.LineNumber, Is.EqualTo(2));
        Assert.That(e.Field, Is.EqualTo(field));
        Assert.That(e.Problem, Does.Contain(problem));
        Assert.That(e.Message, Does.StartWith("test.txt: line 2: " + field));
    }

    [Test]
    public void GarbageBytesAreRejectedNotCrashed()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            var bytes = new byte[rng.Next(0, 300)];
            rng.NextBytes(bytes);
            if (trial % 2 == 0 && bytes.Length > 6) "1 9 9\n"u8.CopyTo(bytes);
            try
            {
                XmcTextFormat.Read(new MemoryStream(bytes), "garbage.txt");
            }
            catch (XmrDataException e)
            {
                Assert.That(e.FilePath, Is.EqualTo("garbage.txt"));
            }
        }
    }

    [Test]
    public void MutatedValidFilesEitherParseOrRaiseXmrDataException()
    {
        var x = IoTestData.Features(20, 30, 1);
        var y = IoTestData.Labels(20, 10, 2);
        var stream = new MemoryStream();
        XmcTextFormat.Write(stream, x, y);
        byte[] original = stream.ToArray();
        var rng = new Random(11);
        byte[] alphabet = "0123456789 :,\n\r\t.-eE#x"u8.ToArray();
        for (int trial = 0; trial < 500; trial++)
        {
            var bytes = (byte[])original.Clone();
            int edits = 1 + rng.Next(4);
            for (int k = 0; k < edits; k++) bytes[rng.Next(bytes.Length)] = alphabet[rng.Next(alphabet.Length)];
            int cut = rng.Next(3) == 0 ? rng.Next(bytes.Length) : bytes.Length;
            try
            {
                var d = XmcTextFormat.Read(new MemoryStream(bytes, 0, cut), "mutated.txt");
                Assert.That(d.Features.Rows, Is.EqualTo(d.Labels.Rows));
            }
            catch (XmrDataException)
            {
                // Expected for most mutations; anything else would fail the test.
            }
        }
    }

    [Test]
    public void TruncatedFileIsRejected()
    {
        var x = IoTestData.Features(10, 12, 4);
        var y = IoTestData.Labels(10, 5, 5);
        var stream = new MemoryStream();
        XmcTextFormat.Write(stream, x, y);
        byte[] bytes = stream.ToArray();
        int cut = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) - 1;
        cut = Array.LastIndexOf(bytes, (byte)'\n', cut) + 1;
        var e = Assert.Throws<XmrDataException>(() => XmcTextFormat.Read(new MemoryStream(bytes, 0, cut), "cut.txt"))!;
        Assert.That(e.Field, Is.EqualTo("row count"));
    }

    [Test]
    public void FailedWriteLeavesTheTargetUntouched()
    {
        using var dir = new TempDir();
        string path = dir.File("keep.txt");
        File.WriteAllText(path, "old");
        var x = IoTestData.Features(3, 4, 1);
        var y = IoTestData.Labels(2, 4, 1);
        Assert.Throws<ArgumentException>(() => XmcTextFormat.Write(path, x, y));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(dir.Path), Has.Length.EqualTo(1));
    }

    [Test]
    public void WriteReplacesAnExistingFile()
    {
        using var dir = new TempDir();
        string path = dir.File("data.txt");
        File.WriteAllText(path, "old content that is longer than the new one, to catch a missing truncate .......");
        XmcTextFormat.Write(path, CsrMatrix.Empty(0, 0), CsrMatrix.Empty(0, 0));
        Assert.That(File.ReadAllText(path), Is.EqualTo("0 0 0\n"));
    }
}
