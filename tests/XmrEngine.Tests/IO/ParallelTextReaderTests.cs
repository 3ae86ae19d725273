using System.Text;
using XmrEngine.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

/// <summary>
/// The parallel XMC and LIBSVM readers against the serial stream readers (the reference) on random files:
/// same matrices bit for bit, or the same error with the same line number.
/// </summary>
public class ParallelTextReaderTests
{
    private static readonly long[] ChunkSizes = [1, 7, 64, 1 << 20];

    [Test]
    public void XmcParallelEqualsSerialOnRandomFiles()
    {
        using var dir = new TempDir();
        for (int seed = 0; seed < 300; seed++)
        {
            var rng = new Random(seed);
            string path = dir.File("f.txt");
            File.WriteAllBytes(path, RandomXmc(rng));
            foreach (long chunk in ChunkSizes)
                AssertSame(() => XmcTextFormat.Read(File.OpenRead(path), path), () => XmcTextFormat.ReadParallel(path, 1 + seed % 3, chunk), $"seed {seed}, chunk {chunk}");
        }
    }

    [Test]
    public void SvmParallelEqualsSerialOnRandomFiles()
    {
        using var dir = new TempDir();
        for (int seed = 0; seed < 300; seed++)
        {
            var rng = new Random(seed + 10_000);
            string path = dir.File("f.svm");
            File.WriteAllBytes(path, RandomRows(rng, rng.Next(30), comments: true));
            int? features = seed % 4 == 0 ? 50 : null;
            foreach (long chunk in ChunkSizes)
                AssertSame(() => LibSvmFormat.Read(File.OpenRead(path), path, features, null, seed % 2),
                    () => LibSvmFormat.ReadParallel(path, 2, chunk, features, null, seed % 2), $"seed {seed}, chunk {chunk}");
        }
    }

    [TestCase("")]
    [TestCase("\uFEFF")]
    [TestCase("\uFEFF2 3 1\n0 0:1\n0 1:2")]
    [TestCase("2 3 1\r\n0 0:1\r\n\r\n")]
    [TestCase("1 3 1\n0 0:1\n\n   \n\t\n")]
    [TestCase("1 3 1\n0 0:1\n\nx")]
    [TestCase("3 3 1\n0 0:1\n")]
    [TestCase("3 3 1")]
    [TestCase("3 3 1\n")]
    [TestCase("2 2147483647 1\n0 2147483646:1\n0 2147483647:1\n")]
    [TestCase("2 3 1\n0 99999999999:1\n")]
    [TestCase("bad header\n0 0:1\n")]
    public void XmcEdgeCasesMatchTheSerialReader(string text)
    {
        using var dir = new TempDir();
        string path = dir.Write("e.txt", text);
        foreach (long chunk in ChunkSizes)
            AssertSame(() => XmcTextFormat.Read(File.OpenRead(path), path), () => XmcTextFormat.ReadParallel(path, 2, chunk), text);
    }

    [TestCase("")]
    [TestCase("\uFEFF")]
    [TestCase("# only a comment\n")]
    [TestCase("0 1:1\n\n\n1 2:3")]
    [TestCase("0 1:1\r\n1 2:3 # tail\r\n")]
    [TestCase("0 1:1\n1 1:2 1:3\n")]
    public void SvmEdgeCasesMatchTheSerialReader(string text)
    {
        using var dir = new TempDir();
        string path = dir.Write("e.svm", text);
        foreach (long chunk in ChunkSizes)
            AssertSame(() => LibSvmFormat.Read(File.OpenRead(path), path), () => LibSvmFormat.ReadParallel(path, 2, chunk), text);
    }

    [Test]
    public void PublicReadUsesTheParallelPathOnLargeFilesWithTheSameResult()
    {
        using var dir = new TempDir();
        string path = dir.File("big.txt");
        var x = IoTestData.Features(100_000, 5_000, 9);
        var y = IoTestData.Labels(100_000, 300, 10);
        XmcTextFormat.Write(path, x, y);
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(ParallelTextFile.MinParallelBytes));
        var parallel = XmcTextFormat.Read(path, threads: 2);
        var serial = XmcTextFormat.Read(File.OpenRead(path), path);
        MatrixAssert.Equal(serial.Features, parallel.Features, "X");
        MatrixAssert.Equal(serial.Labels, parallel.Labels, "Y");
    }

    private static void AssertSame(Func<XmcDataset> serial, Func<XmcDataset> parallel, string what)
    {
        XmcDataset? expected = null;
        XmrDataException? expectedError = null;
        try
        {
            expected = serial();
        }
        catch (XmrDataException e)
        {
            expectedError = e;
        }
        if (expectedError is not null)
        {
            var actual = Assert.Throws<XmrDataException>(() => parallel(), what)!;
            Assert.That(actual.Message, Is.EqualTo(expectedError.Message), what);
            Assert.That(actual.LineNumber, Is.EqualTo(expectedError.LineNumber), what);
            return;
        }
        var got = parallel();
        MatrixAssert.Equal(expected!.Features, got.Features, $"{what}: X");
        MatrixAssert.Equal(expected.Labels, got.Labels, $"{what}: Y");
    }

    /// <summary>A header (sometimes disagreeing with the rows) and random rows.</summary>
    private static byte[] RandomXmc(Random rng)
    {
        int rows = rng.Next(25);
        int declared = rng.Next(8) == 0 ? rows + rng.Next(-2, 3) : rows;
        var body = RandomRows(rng, rows, comments: false);
        var header = Encoding.UTF8.GetBytes($"{Math.Max(declared, 0)} {(rng.Next(10) == 0 ? 5 : 60)} {(rng.Next(10) == 0 ? 2 : 12)}{(rng.Next(3) == 0 ? "\r" : "")}\n");
        return [.. header, .. body];
    }

    /// <summary>
    /// Rows of labels and id:value features, with empty and blank lines, CRLF endings, extra spaces, huge ids,
    /// repeated ids, garbage tokens, comments (LIBSVM) and sometimes no final newline.
    /// </summary>
    private static byte[] RandomRows(Random rng, int rows, bool comments)
    {
        var sb = new StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            int kind = rng.Next(40);
            if (kind == 0) sb.Append("");
            else if (kind == 1) sb.Append("  \t ");
            else if (kind == 2) sb.Append("0,1 3:x");
            else if (kind == 3) sb.Append($"{rng.NextInt64(1, 99_999_999_999)} 1:1");
            else if (kind == 4) sb.Append("1 2:1 2:2");
            else if (kind == 5 && comments) sb.Append("# comment 7:7");
            else if (kind == 6) sb.Append(" 4:inf");
            else
            {
                if (rng.Next(6) > 0) sb.AppendJoin(',', Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => rng.Next(12)).Distinct());
                foreach (int f in Enumerable.Range(0, rng.Next(6)).Select(_ => rng.Next(60)).Distinct())
                    sb.Append(rng.Next(5) == 0 ? "  " : " ").Append(f).Append(':').Append(Math.Round(rng.NextDouble() * 4 - 2, rng.Next(1, 8)));
                if (comments && rng.Next(8) == 0) sb.Append(" # trailing");
            }
            if (r < rows - 1 || rng.Next(3) > 0) sb.Append(rng.Next(4) == 0 ? "\r\n" : "\n");
        }
        if (rng.Next(6) == 0) sb.Append('\n');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
