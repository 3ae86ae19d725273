using XmrEngine.Evaluation;

namespace XmrEngine.Tests.Apps.AutoComplete;

public class MrrBleuTests
{
    [Test]
    public void ReciprocalRankIsOneOverPositionWithinK()
    {
        string[] ranked = ["a", "b", "c", "d"];
        Assert.That(MrrAtK.ReciprocalRank(ranked, "a"), Is.EqualTo(1.0));
        Assert.That(MrrAtK.ReciprocalRank(ranked, "c"), Is.EqualTo(1.0 / 3));
        Assert.That(MrrAtK.ReciprocalRank(ranked, "d", k: 3), Is.EqualTo(0.0), "beyond the cut-off");
        Assert.That(MrrAtK.ReciprocalRank(ranked, "z"), Is.EqualTo(0.0));
        Assert.That(MrrAtK.ReciprocalRank([], "a"), Is.EqualTo(0.0));
        Assert.That(MrrAtK.ReciprocalRank(["A"], "a"), Is.EqualTo(0.0), "exact, case-sensitive match");
    }

    [Test]
    public void MeanReciprocalRankAveragesQueries()
    {
        // Hand-computed: (1/2 + 0 + 1) / 3 = 0.5
        IReadOnlyList<string>[] ranked = [["x", "a"], ["y"], ["b", "c"]];
        Assert.That(MrrAtK.Mean(ranked, ["a", "z", "b"]), Is.EqualTo(0.5).Within(1e-12));
        Assert.Throws<ArgumentException>(() => MrrAtK.Mean(ranked, ["a"]));
    }

    [Test]
    public void BleuOfIdenticalSentencesIsOneAtAnyLength()
    {
        Assert.That(BleuScore.Sentence("ebay", "ebay"), Is.EqualTo(1.0).Within(1e-12));
        Assert.That(BleuScore.Sentence("new york", "new york"), Is.EqualTo(1.0).Within(1e-12));
        Assert.That(BleuScore.Sentence("a b c d e f", "a b c d e f"), Is.EqualTo(1.0).Within(1e-12));
    }

    [Test]
    public void BleuMatchesHandComputedValue()
    {
        // hyp "new york times" (h = 3), ref "new york city times" (r = 4):
        // p1 = 3/3; p2 = (1 + 1)/(2 + 1); p3 = (0 + 1)/(1 + 1); p4 = (0 + 1)/(0 + 1)
        // BLEU = exp(1 - 4/3) * (1 * 2/3 * 1/2 * 1)^(1/4)
        double expected = Math.Exp(1 - 4.0 / 3) * Math.Pow(1.0 / 3, 0.25);
        Assert.That(BleuScore.Sentence("new york times", "new york city times"), Is.EqualTo(expected).Within(1e-12));
        Assert.That(expected, Is.EqualTo(0.5444).Within(1e-4));
    }

    [Test]
    public void BleuClipsRepeatedWordsAndSkipsBrevityPenaltyForLongHypotheses()
    {
        // hyp "the the the" vs ref "the cat": clipped m1 = 1 of 3; bigrams "the the" x2 match nothing: p2 = 1/3;
        // p3 = 1/2; p4 = 1/1; h = 3 > r = 2, so BP = 1.
        double expected = Math.Pow(1.0 / 3 * 1.0 / 3 * 1.0 / 2 * 1.0, 0.25);
        Assert.That(BleuScore.Sentence("the the the", "the cat"), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void BleuIsZeroWithoutSharedWordsOrForEmptyHypothesis()
    {
        Assert.That(BleuScore.Sentence("cat", "dog"), Is.EqualTo(0.0));
        Assert.That(BleuScore.Sentence("", "dog"), Is.EqualTo(0.0));
        Assert.That(BleuScore.Sentence("   ", "dog"), Is.EqualTo(0.0));
    }

    [Test]
    public void BleuUsesOnlyTheRequestedOrders()
    {
        // Unigram-only BLEU of "a b" vs "a c d": p1 = 1/2, BP = exp(1 - 3/2).
        Assert.That(BleuScore.Sentence("a b", "a c d", maxOrder: 1), Is.EqualTo(0.5 * Math.Exp(-0.5)).Within(1e-12));
    }
}
