using System.Text;
using XmrEngine.Text;
using static XmrEngine.Tests.Text.TfidfTestHelpers;

namespace XmrEngine.Tests.Text;

public class TfidfBadInputTests
{
    [Test]
    public void EmptyStringsGiveEmptyRows()
    {
        var v = TfidfVectorizer.Fit(["", "a b", ""], new TfidfOptions());
        Assert.That(v.DocumentCount, Is.EqualTo(3));
        var m = v.Transform(["", "a", "", "   "]);
        Assert.That(m.Rows, Is.EqualTo(4));
        Assert.That(m.RowLength(0), Is.EqualTo(0));
        Assert.That(m.RowLength(1), Is.EqualTo(1));
        Assert.That(m.RowLength(3), Is.EqualTo(0));
    }

    [Test]
    public void NullsAreClearErrors()
    {
        var ex = Assert.Throws<ArgumentException>(() => TfidfVectorizer.Fit(["a", "b", null!], new TfidfOptions()))!;
        Assert.That(ex.Message, Does.Contain("Document 2 is null"));
        var v = TfidfVectorizer.Fit(["a"], new TfidfOptions());
        Assert.That(Assert.Throws<ArgumentException>(() => v.Transform(["a", null!]))!.Message, Does.Contain("Document 1 is null"));
        Assert.Throws<ArgumentNullException>(() => v.Transform((string)null!, new TfidfWorkspace()));
        Assert.Throws<ArgumentNullException>(() => TfidfVectorizer.Fit(null!, new TfidfOptions()));
        Assert.Throws<ArgumentNullException>(() => TfidfVectorizer.Fit(["a"], null!));
    }

    [Test]
    public void EmptyCorpusIsAClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => TfidfVectorizer.Fit([], new TfidfOptions()))!;
        Assert.That(ex.Message, Does.Contain("empty corpus"));
    }

    [TestCase(TextAnalyzer.Word)]
    [TestCase(TextAnalyzer.Char)]
    [TestCase(TextAnalyzer.CharWordBounded)]
    public void OneMegabyteLinesWork(TextAnalyzer analyzer)
    {
        var rng = new Random(1);
        var sb = new StringBuilder();
        while (sb.Length < 1 << 20) sb.Append((char)('a' + rng.Next(6))).Append(rng.Next(5) == 0 ? " " : "");
        string longLine = sb.ToString();
        string oneWord = new('q', 1 << 20);
        var o = new TfidfOptions { Analyzer = analyzer, MinNgram = 1, MaxNgram = 3, IdfFormula = IdfFormula.Smooth };
        var v = TfidfVectorizer.Fit([longLine, oneWord, "a b"], o);
        var ws = new TfidfWorkspace();
        Assert.That(v.Transform(longLine, ws).Length, Is.GreaterThan(0));
        Assert.That(v.Transform(oneWord, ws).Length, Is.GreaterThan(0));
        var row = v.Transform("a b", ws);
        Assert.That(row.Length, Is.GreaterThan(0));
    }

    [Test]
    public void InvalidUtf8InFilesBecomesReplacementCharacters()
    {
        string path = Path.GetTempFileName();
        try
        {
            byte[] bytes =
            [
                .. "caf"u8, 0xC3, .. " ok\n"u8,             // truncated two-byte sequence
                .. "bad "u8, 0xFF, 0xFE, .. " x\r\n"u8,     // bytes never valid in UTF-8
                .. "mid\rline\n"u8,                        // a lone CR does not split a line
                .. "\n"u8,                                 // an empty document
                .. "last"u8,                               // no final newline
            ];
            File.WriteAllBytes(path, bytes);
            var lines = TextLines.Read(path).ToList();
            Assert.That(lines, Is.EqualTo(new[] { "caf\uFFFD ok", "bad \uFFFD\uFFFD x", "mid\rline", "", "last" }));

            var v = TfidfVectorizer.FitFile(path, new TfidfOptions { UseIdf = false });
            Assert.That(v.DocumentCount, Is.EqualTo(5));
            Assert.That(v.Terms, Does.Contain("caf").And.Contain("x").And.Not.Contain("\uFFFD"));
            Assert.That(v.TransformFile(path).Rows, Is.EqualTo(5));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ByteOrderMarkIsSkippedAndTrailingNewlineAddsNoLine()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "a\nb\n"u8]);
            Assert.That(TextLines.Read(path).ToList(), Is.EqualTo(new[] { "a", "b" }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void LongFileLinesAcrossBufferBoundaries()
    {
        string path = Path.GetTempFileName();
        try
        {
            string big = new string('z', (1 << 20) + 17);
            File.WriteAllText(path, "x\n" + big + "\r\ny");
            var lines = TextLines.Read(path).ToList();
            Assert.That(lines.Select(l => l.Length), Is.EqualTo(new[] { 1, big.Length, 1 }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void MissingFileFailsAtOnce()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => TextLines.Read("/nonexistent/xmr/corpus.txt"))!;
        Assert.That(ex.Message, Does.Contain("/nonexistent/xmr/corpus.txt"));
    }

    [Test]
    public void LoneSurrogatesInStringsAreReplacedNotSplitIntoBrokenTerms()
    {
        var v = TfidfVectorizer.Fit(["a\uD800b", "😀"], new TfidfOptions { Analyzer = TextAnalyzer.Char, UseIdf = false, Lowercase = false });
        Assert.That(v.Terms, Is.EqualTo(new[] { "a", "b", "\uFFFD", "😀" }.Order(StringComparer.Ordinal)));
    }

    [Test]
    public void WorkspaceIsReusedAcrossDocumentsOfDifferentLengths()
    {
        var corpus = RandomCorpus(50, seed: 2);
        var v = TfidfVectorizer.Fit(corpus, new TfidfOptions { MaxNgram = 2 });
        var ws = new TfidfWorkspace();
        var fresh = corpus.Select(t => Copy(v.Transform(t, new TfidfWorkspace()))).ToList();
        var longFirst = corpus.OrderByDescending(t => t.Length).ToList();
        foreach (var t in longFirst) v.Transform(t, ws);
        for (int i = 0; i < corpus.Count; i++)
        {
            var (idx, val) = Copy(v.Transform(corpus[i], ws));
            Assert.That(idx, Is.EqualTo(fresh[i].Idx));
            Assert.That(val, Is.EqualTo(fresh[i].Val));
        }
    }
}
