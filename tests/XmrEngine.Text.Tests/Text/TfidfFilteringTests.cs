using XmrEngine.Text;

namespace XmrEngine.Tests.Text;

public class TfidfFilteringTests
{
    // Document frequencies over N = 6: a 6, b 5, c 4, d 3, e 2, f 1.
    private static readonly string[] Corpus = ["a b c d e f", "a b c d e", "a b c d", "a b c", "a b", "a"];

    private static string[] Terms(TfidfOptions o) => [.. TfidfVectorizer.Fit(Corpus, o with { UseIdf = false }).Terms];

    [Test]
    public void MinAndMaxDocumentFrequencyCounts()
    {
        Assert.That(Terms(new TfidfOptions { MinDfCount = 3 }), Is.EqualTo(new[] { "a", "b", "c", "d" }));
        Assert.That(Terms(new TfidfOptions { MaxDfCount = 2 }), Is.EqualTo(new[] { "e", "f" }));
        Assert.That(Terms(new TfidfOptions { MinDfCount = 2, MaxDfCount = 4 }), Is.EqualTo(new[] { "c", "d", "e" }));
    }

    [Test]
    public void MinAndMaxDocumentFrequencyRatiosRoundHalfAwayFromZero()
    {
        // 0.25 x 6 = 1.5 rounds to 2; 0.75 x 6 = 4.5 rounds to 5.
        Assert.That(Terms(new TfidfOptions { MinDfRatio = 0.25 }), Is.EqualTo(new[] { "a", "b", "c", "d", "e" }));
        Assert.That(Terms(new TfidfOptions { MaxDfRatio = 0.75 }), Is.EqualTo(new[] { "b", "c", "d", "e", "f" }));
    }

    [Test]
    public void CountAndRatioBoundsCombineToTheStricter()
    {
        // min = max(1, round(0.5 x 6) = 3) = 3; max = min(round(1.0 x 6) = 6, 4) = 4.
        Assert.That(Terms(new TfidfOptions { MinDfCount = 1, MinDfRatio = 0.5, MaxDfCount = 4 }), Is.EqualTo(new[] { "c", "d" }));
    }

    [Test]
    public void MaxFeaturesKeepsMostFrequentByDefault()
    {
        Assert.That(Terms(new TfidfOptions { MaxFeatures = 3 }), Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(Terms(new TfidfOptions { MaxFeatures = 3, KeepFrequentFeatures = false }), Is.EqualTo(new[] { "d", "e", "f" }));
        Assert.That(Terms(new TfidfOptions { MaxFeatures = 100 }), Has.Length.EqualTo(6));
    }

    [Test]
    public void MaxFeaturesBreaksTiesByOrdinalOrder()
    {
        var v = TfidfVectorizer.Fit(["q p", "z y x", "q"], new TfidfOptions { MaxFeatures = 3 });
        // q has df 2; p, x, y, z tie at 1 and the ordinally first two win.
        Assert.That(v.Terms, Is.EqualTo(new[] { "p", "q", "x" }));
        var rare = TfidfVectorizer.Fit(["q p", "z y x", "q"], new TfidfOptions { MaxFeatures = 3, KeepFrequentFeatures = false });
        Assert.That(rare.Terms, Is.EqualTo(new[] { "p", "x", "y" }));
    }

    [Test]
    public void FilteringHappensBeforeTrimming()
    {
        // Dropping df >= 5 first leaves c, d, e, f; the two most frequent of those are c and d.
        Assert.That(Terms(new TfidfOptions { MaxDfCount = 4, MaxFeatures = 2 }), Is.EqualTo(new[] { "c", "d" }));
    }
}
