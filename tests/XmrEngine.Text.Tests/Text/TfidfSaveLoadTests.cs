using XmrEngine.IO;
using XmrEngine.Text;
using static XmrEngine.Tests.Text.TfidfTestHelpers;

namespace XmrEngine.Tests.Text;

public class TfidfSaveLoadTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"xmr-tfidf-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    // Tabs, newlines, carriage returns, quotes, backslashes, non-BMP characters and a lone surrogate (which
    // the analyzer turns into U+FFFD): exactly what broke PECOS's line-based vocabulary file (issue #263).
    private static readonly string[] Nasty =
    [
        "tab\there\tand\nnewline\r\nand \"quotes\" 'single' back\\slash",
        "emoji 😀😃 math 𝒜𝒝 ideographs 𠀀𠀁 and a lone \uD83D surrogate",
        "\t\t\n\n  ",
        "",
        "plain words plain words",
    ];

    private static readonly CombinedTfidfOptions Options = new()
    {
        Bases =
        [
            new TfidfOptions { Analyzer = TextAnalyzer.Char, MinNgram = 1, MaxNgram = 3, Lowercase = false },
            new TfidfOptions { MinNgram = 1, MaxNgram = 2, SublinearTf = true },
            new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 2, MaxNgram = 4, IdfFormula = IdfFormula.Smooth },
        ],
        Norm = TfidfNorm.L1,
    };

    [Test]
    public void CombinedRoundTripKeepsNastyTermsAndOutputs()
    {
        var c = CombinedTfidfVectorizer.Fit(Nasty, Options);
        Assert.That(c.Bases[0].Terms, Does.Contain("\t\n"));
        Assert.That(c.Bases[0].Terms, Does.Contain("😀😃"));
        Assert.That(c.Bases[0].Terms, Does.Contain("\uFFFD"));
        string path = Path.Combine(_dir, "vec.bin");
        c.Save(path);
        var back = CombinedTfidfVectorizer.Load(path);

        Assert.That(back.Norm, Is.EqualTo(c.Norm));
        Assert.That(back.Options.Bases, Is.EqualTo(c.Options.Bases));
        for (int b = 0; b < c.Bases.Count; b++)
        {
            Assert.That(back.Bases[b].Terms, Is.EqualTo(c.Bases[b].Terms));
            Assert.That(back.Bases[b].Idf.ToArray(), Is.EqualTo(c.Bases[b].Idf.ToArray()));
            Assert.That(back.Bases[b].DocumentCount, Is.EqualTo(c.Bases[b].DocumentCount));
        }
        AssertSameMatrix(c.Transform(Nasty), back.Transform(Nasty));
    }

    [Test]
    public void SingleVectorizerRoundTripAndLoadAsCombined()
    {
        var v = TfidfVectorizer.Fit(Nasty, Options.Bases[0]);
        string path = Path.Combine(_dir, "single.bin");
        v.Save(path);
        var back = TfidfVectorizer.Load(path);
        Assert.That(back.Terms, Is.EqualTo(v.Terms));
        Assert.That(back.Options, Is.EqualTo(v.Options));
        var wrapped = CombinedTfidfVectorizer.Load(path);
        Assert.That(wrapped.Bases, Has.Count.EqualTo(1));
        AssertSameMatrix(v.Transform(Nasty), wrapped.Transform(Nasty));
    }

    [Test]
    public void SaveIsAtomicAndOverwrites()
    {
        string path = Path.Combine(_dir, "vec.bin");
        File.WriteAllText(path, "old content");
        TfidfVectorizer.Fit(Nasty, new TfidfOptions()).Save(path);
        Assert.That(TfidfVectorizer.Load(path).FeatureCount, Is.GreaterThan(0));
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }), "no temporary files remain");
    }

    [Test]
    public void LoadingCombinedAsSingleIsAClearError()
    {
        string path = Path.Combine(_dir, "vec.bin");
        CombinedTfidfVectorizer.Fit(Nasty, Options).Save(path);
        var ex = Assert.Throws<XmrDataException>(() => TfidfVectorizer.Load(path))!;
        Assert.That(ex.Message, Does.Contain(path).And.Contain("combined"));
        Assert.That(ex.FilePath, Is.EqualTo(path));
    }

    private string SavedBytes(out byte[] bytes)
    {
        string path = Path.Combine(_dir, "vec.bin");
        CombinedTfidfVectorizer.Fit(Nasty, Options).Save(path);
        bytes = File.ReadAllBytes(path);
        return path;
    }

    private static string LoadError(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<XmrDataException>(() => CombinedTfidfVectorizer.Load(path))!;
        Assert.That(ex.Message, Does.StartWith(path + ": "));
        Assert.That(ex.FilePath, Is.EqualTo(path));
        return ex.Message;
    }

    [Test]
    public void TruncatedFilesAreReportedWithPlace()
    {
        string path = SavedBytes(out var bytes);
        Assert.That(LoadError(path, bytes[..0]), Does.Contain("ends early"));
        Assert.That(LoadError(path, bytes[..(bytes.Length / 2)]), Does.Contain("ends early").And.Contain("base"));
        Assert.That(LoadError(path, bytes[..^3]), Does.Contain("trailer"));
    }

    [Test]
    public void CorruptHeaderAndTrailingBytesAreReported()
    {
        string path = SavedBytes(out var bytes);
        var wrongMagic = (byte[])bytes.Clone();
        wrongMagic[0] = (byte)'Y';
        Assert.That(LoadError(path, wrongMagic), Does.Contain("wrong magic"));
        var wrongVersion = (byte[])bytes.Clone();
        wrongVersion[8] = 99;
        Assert.That(LoadError(path, wrongVersion), Does.Contain("version 99"));
        var wrongKind = (byte[])bytes.Clone();
        wrongKind[12] = 7;
        Assert.That(LoadError(path, wrongKind), Does.Contain("unknown vectorizer kind 7"));
        Assert.That(LoadError(path, [.. bytes, 0]), Does.Contain("unexpected bytes after the trailer"));
    }

    [Test]
    public void InvalidUtf8InATermIsReported()
    {
        string path = SavedBytes(out var bytes);
        // The first base's terms start after its settings JSON; corrupt the byte after the first "😀" term's lead byte.
        int at = IndexOf(bytes, "😀"u8.ToArray());
        Assert.That(at, Is.GreaterThan(0));
        var bad = (byte[])bytes.Clone();
        bad[at + 1] = 0xFF;
        Assert.That(LoadError(path, bad), Does.Contain("invalid UTF-8").And.Contain("feature"));
    }

    [Test]
    public void DamagedSettingsAreReported()
    {
        string path = SavedBytes(out var bytes);
        int at = IndexOf(bytes, "\"analyzer\":\"char\""u8.ToArray());
        var bad = (byte[])bytes.Clone();
        bad[at + "\"analyzer\":\"".Length] = (byte)'x';
        Assert.That(LoadError(path, bad), Does.Contain("settings of base 0").And.Contain("analyzer"));
    }

    [Test]
    public void AnIdfNoFittedTermCanHaveIsReported_InsteadOfOverflowingTheRow()
    {
        // Found by fuzzing: an idf of 3e38 loaded, and a document with the term twice gave a weight of 6e38, which is
        // infinity as a float; the row then normalised to NaN. The fitted maximum is the idf of a term seen once.
        string path = Path.Combine(_dir, "vec.bin");
        string[] documents = ["drill drill hose", "hose", "saw", "nail"];
        var fitted = TfidfVectorizer.Fit(documents, new TfidfOptions { Norm = TfidfNorm.L2 });
        fitted.Save(path);
        var bytes = File.ReadAllBytes(path);
        Assert.That(TfidfVectorizer.Load(path).Transform(documents, threads: 1).Values.ToArray(), Has.All.Matches<float>(float.IsFinite));

        int at = IndexOf(bytes, "\u0005drill"u8.ToArray());
        Assert.That(at, Is.GreaterThan(0));
        Assert.That(BitConverter.ToSingle(bytes, at + 6), Is.EqualTo(fitted.Idf.ToArray().Max()).And.GreaterThan(0f), "drill, seen once, has the largest idf");
        BitConverter.TryWriteBytes(bytes.AsSpan(at + 6, 4), 3e38f);
        Assert.That(LoadError(path, bytes), Does.Contain("(\"drill\")").And.Contain("exceeds"));
        BitConverter.TryWriteBytes(bytes.AsSpan(at + 6, 4), BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(fitted.Idf.ToArray().Max()) + 1));
        Assert.That(LoadError(path, bytes), Does.Contain("exceeds"), "one ulp above the fitted maximum is damage too");
    }

    [Test]
    public void MissingFileIsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => CombinedTfidfVectorizer.Load(Path.Combine(_dir, "absent.bin")));
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
