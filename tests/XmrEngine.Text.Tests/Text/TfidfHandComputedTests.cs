using XmrEngine.Text;
using static XmrEngine.Tests.Text.TfidfTestHelpers;

namespace XmrEngine.Tests.Text;

public class TfidfHandComputedTests
{
    private static readonly string[] Corpus =
    [
        "The cat sat",
        "the dog sat",
        "the cat",
        "a bird",
        "bird song",
        "cat",
    ];

    [Test]
    public void WordUniAndBigramsMatchHandComputedPecosIdf()
    {
        var v = TfidfVectorizer.Fit(Corpus, new TfidfOptions { MinNgram = 1, MaxNgram = 2 });

        Assert.That(v.Terms, Is.EqualTo(new[]
        {
            "a", "a bird", "bird", "bird song", "cat", "cat sat", "dog", "dog sat", "sat", "song", "the", "the cat", "the dog",
        }));
        Assert.That(v.DocumentCount, Is.EqualTo(6));
        // N = 6, idf = ln(6 / (df + 1)). df: the 3, cat 3, sat 2, "the cat" 2, "cat sat" 1.
        v.TryGetFeatureId("the", out int the);
        Assert.That(v.Idf[the], Is.EqualTo((float)Math.Log(6.0 / 4)));

        var expected = L2(new()
        {
            ["the"] = Math.Log(6.0 / 4),
            ["cat"] = Math.Log(6.0 / 4),
            ["sat"] = Math.Log(6.0 / 3),
            ["the cat"] = Math.Log(6.0 / 3),
            ["cat sat"] = Math.Log(6.0 / 2),
        });
        AssertRow(expected, ByTerm(v, "THE CAT SAT"));
    }

    [Test]
    public void RepeatedTermsCountInTfButOnceInDf()
    {
        var v = TfidfVectorizer.Fit(["b b b a", "a", "c", "c"], new TfidfOptions { Norm = TfidfNorm.None });
        // df(b) = 1 despite three occurrences: idf = ln(4 / 2); tf = 3.
        AssertRow(new() { ["b"] = 3 * Math.Log(2.0), ["a"] = 2 * Math.Log(4.0 / 3) }, ByTerm(v, "b a b b a"));
    }

    [Test]
    public void TermInEveryDocumentGetsPecosIdfZeroAndIsLeftOut()
    {
        var v = TfidfVectorizer.Fit(["x a", "x b", "x c"], new TfidfOptions());
        v.TryGetFeatureId("x", out int x);
        Assert.That(v.Idf[x], Is.EqualTo(0f));
        AssertRow(new() { ["a"] = 1.0 }, ByTerm(v, "x a"));
    }

    [Test]
    public void SmoothFormulaAndNoSmoothing()
    {
        var smooth = TfidfVectorizer.Fit(["x a", "x b", "c"], new TfidfOptions { IdfFormula = IdfFormula.Smooth });
        smooth.TryGetFeatureId("x", out int x);
        smooth.TryGetFeatureId("a", out int a);
        Assert.That(smooth.Idf[x], Is.EqualTo((float)(Math.Log(4.0 / 3) + 1)));
        Assert.That(smooth.Idf[a], Is.EqualTo((float)(Math.Log(4.0 / 2) + 1)));

        var raw = TfidfVectorizer.Fit(["x a", "x b", "c"], new TfidfOptions { SmoothIdf = false });
        raw.TryGetFeatureId("x", out x);
        raw.TryGetFeatureId("a", out a);
        Assert.That(raw.Idf[x], Is.EqualTo((float)Math.Log(3.0 / 2)));
        Assert.That(raw.Idf[a], Is.EqualTo((float)Math.Log(3.0)));
    }

    [Test]
    public void CharWordBoundedTrigramsPadWordsWithSpaces()
    {
        var o = new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 3, MaxNgram = 3, IdfFormula = IdfFormula.Smooth };
        var v = TfidfVectorizer.Fit(["ab", "abc", "xy z"], o);

        Assert.That(v.Terms, Is.EqualTo(new[] { " ab", " xy", " z ", "ab ", "abc", "bc ", "xy " }));
        // N = 3; df(" ab") = 2 -> ln(4/3) + 1; every other df = 1 -> ln(4/2) + 1.
        double common = Math.Log(4.0 / 3) + 1, rare = Math.Log(2.0) + 1;
        AssertRow(L2(new() { [" ab"] = 2 * common, ["abc"] = rare, ["bc "] = rare, ["ab "] = rare }), ByTerm(v, "abc ab"));
    }

    [Test]
    public void CharWordBoundedMatchesScikitLearnDocumentationExample()
    {
        // scikit-learn's documented example: char_wb 5-grams of "jumpy fox".
        var o = new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 5, MaxNgram = 5, UseIdf = false };
        var v = TfidfVectorizer.Fit(["jumpy fox"], o);
        Assert.That(v.Terms, Is.EqualTo(new[] { " fox ", " jump", "jumpy", "umpy " }));
    }

    [Test]
    public void CharWordBoundedShortWordIsCountedOnceWhole()
    {
        var o = new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 2, MaxNgram = 4, UseIdf = false, Norm = TfidfNorm.None };
        var v = TfidfVectorizer.Fit(["z"], o);
        // " z " has 2-grams " z", "z " and is whole at n = 3; n = 4 adds nothing.
        Assert.That(v.Terms, Is.EqualTo(new[] { " z", " z ", "z " }));
        AssertRow(new() { [" z"] = 1, [" z "] = 1, ["z "] = 1 }, ByTerm(v, "z"));
    }

    [Test]
    public void PositionWeightedPrefixGramsWeighByOneOverOffsetPlusOne()
    {
        var o = TfidfOptions.PositionWeightedPrefix(1, 2) with { UseIdf = false, Norm = TfidfNorm.None };
        var v = TfidfVectorizer.Fit(["aba"], o);
        // a at 0 and 2 -> 1 + 1/3; b at 1 -> 1/2; "ab" at 0 -> 1; "ba" at 1 -> 1/2.
        AssertRow(new() { ["a"] = 4.0 / 3, ["b"] = 0.5, ["ab"] = 1, ["ba"] = 0.5 }, ByTerm(v, "aba"));
    }

    [Test]
    public void PositionWeightedIdfComesFromPlainDocumentCounts()
    {
        var v = TfidfVectorizer.Fit(["aba", "b", "xy"], TfidfOptions.PositionWeightedPrefix(1, 2));
        // df(a) = 1 (two occurrences, one document): ln(3/2); df(b) = 2: ln(3/3) = 0, so b drops out.
        double idf = Math.Log(1.5);
        AssertRow(L2(new() { ["a"] = 4.0 / 3 * idf, ["ab"] = idf, ["ba"] = 0.5 * idf }), ByTerm(v, "aba"));
    }

    [Test]
    public void PositionIsCountedInCodePointsNotUtf16Units()
    {
        var o = TfidfOptions.PositionWeightedPrefix(1, 1) with { UseIdf = false, Norm = TfidfNorm.None };
        var v = TfidfVectorizer.Fit(["😀a"], o);
        AssertRow(new() { ["😀"] = 1, ["a"] = 0.5 }, ByTerm(v, "😀a"));
    }

    [Test]
    public void DefaultPositionWeightedPrefixUsesCharOneToThreeGrams()
    {
        var o = TfidfOptions.PositionWeightedPrefix();
        Assert.That((o.Analyzer, o.MinNgram, o.MaxNgram, o.PositionWeighted, o.Norm),
            Is.EqualTo((TextAnalyzer.Char, 1, 3, true, TfidfNorm.L2)));
    }

    [Test]
    public void SublinearAndBinaryTermFrequency()
    {
        var baseOptions = new TfidfOptions { UseIdf = false, Norm = TfidfNorm.None };
        var plain = TfidfVectorizer.Fit(["a b"], baseOptions);
        AssertRow(new() { ["a"] = 3, ["b"] = 1 }, ByTerm(plain, "a a a b"));
        var sub = TfidfVectorizer.Fit(["a b"], baseOptions with { SublinearTf = true });
        AssertRow(new() { ["a"] = 1 + Math.Log(3), ["b"] = 1 }, ByTerm(sub, "a a a b"));
        var bin = TfidfVectorizer.Fit(["a b"], baseOptions with { Binary = true });
        AssertRow(new() { ["a"] = 1, ["b"] = 1 }, ByTerm(bin, "a a a b"));
    }

    [Test]
    public void Norms()
    {
        var o = new TfidfOptions { UseIdf = false };
        AssertRow(new() { ["a"] = 3, ["b"] = 4 }, ByTerm(TfidfVectorizer.Fit(["a b"], o with { Norm = TfidfNorm.None }), "a a a b b b b"));
        AssertRow(new() { ["a"] = 3.0 / 7, ["b"] = 4.0 / 7 }, ByTerm(TfidfVectorizer.Fit(["a b"], o with { Norm = TfidfNorm.L1 }), "a a a b b b b"));
        AssertRow(new() { ["a"] = 0.6, ["b"] = 0.8 }, ByTerm(TfidfVectorizer.Fit(["a b"], o with { Norm = TfidfNorm.L2 }), "a a a b b b b"));
    }

    [Test]
    public void UnseenWordsAreIgnoredAndAllUnseenGivesEmptyRow()
    {
        var v = TfidfVectorizer.Fit(Corpus, new TfidfOptions { SmoothIdf = false });
        AssertRow(new() { ["cat"] = 1.0 }, ByTerm(v, "zebra cat quokka"));
        Assert.That(ByTerm(v, "zebra quokka"), Is.Empty);
        Assert.That(v.TryGetFeatureId("zebra", out _), Is.False);
    }

    [Test]
    public void LowercaseCanBeTurnedOffAndUsesInvariantCulture()
    {
        var cased = TfidfVectorizer.Fit(["Cat cat"], new TfidfOptions { Lowercase = false, UseIdf = false });
        Assert.That(cased.Terms, Is.EqualTo(new[] { "Cat", "cat" }));
        var folded = TfidfVectorizer.Fit(["ÉPÉE Istanbul ΣΟΦΙΑ"], new TfidfOptions { UseIdf = false });
        Assert.That(folded.Terms, Is.EqualTo(new[] { "istanbul", "épée", "σοφια" }));
    }

    [Test]
    public void WordsAreUnicodeLetterDigitRuns()
    {
        var v = TfidfVectorizer.Fit(["don't stop-me, 東京 x2 naïve 𝒜bc"], new TfidfOptions { UseIdf = false });
        Assert.That(v.Terms, Is.EqualTo(new[] { "don", "me", "naïve", "stop", "t", "x2", "東京", "𝒜bc" }.Order(StringComparer.Ordinal)));
    }

    [Test]
    public void TruncateLengthKeepsLeadingTokens()
    {
        var words = TfidfVectorizer.Fit(["a b c d"], new TfidfOptions { TruncateLength = 2, UseIdf = false });
        Assert.That(words.Terms, Is.EqualTo(new[] { "a", "b" }));
        var chars = TfidfVectorizer.Fit(["abcd"], new TfidfOptions { Analyzer = TextAnalyzer.Char, TruncateLength = 3, UseIdf = false });
        Assert.That(chars.Terms, Is.EqualTo(new[] { "a", "b", "c" }));
    }
}
