using XmrEngine.Text;
using static XmrEngine.Tests.Text.TfidfTestHelpers;

namespace XmrEngine.Tests.Text;

public class CombinedTfidfTests
{
    private static readonly CombinedTfidfOptions TwoBases = new()
    {
        Bases =
        [
            new TfidfOptions { MinNgram = 1, MaxNgram = 2 },
            new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 3, MaxNgram = 3 },
        ],
        Norm = TfidfNorm.L2,
    };

    [Test]
    public void RowIsConcatenationOfBaseRowsRenormalised()
    {
        var corpus = RandomCorpus(200, seed: 3);
        var c = CombinedTfidfVectorizer.Fit(corpus, TwoBases, threads: 2);
        Assert.That(c.FeatureCount, Is.EqualTo(c.Bases[0].FeatureCount + c.Bases[1].FeatureCount));
        Assert.That(c.FeatureOffset(1), Is.EqualTo(c.Bases[0].FeatureCount));

        var ws = new TfidfWorkspace();
        foreach (var text in corpus.Take(50))
        {
            var (i0, v0) = Copy(c.Bases[0].Transform(text, ws));
            var (i1, v1) = Copy(c.Bases[1].Transform(text, ws));
            var row = c.Transform(text, ws);
            var expectedIdx = i0.Concat(i1.Select(i => i + c.FeatureOffset(1))).ToArray();
            // Each base row has unit L2 norm (or is empty), so the concatenation has norm sqrt(#non-empty).
            double scale = Math.Sqrt((i0.Length > 0 ? 1 : 0) + (i1.Length > 0 ? 1 : 0));
            var expectedVal = v0.Concat(v1).Select(x => x / scale).ToArray();
            Assert.That(row.Indices.ToArray(), Is.EqualTo(expectedIdx));
            for (int k = 0; k < row.Length; k++) Assert.That(row.Values[k], Is.EqualTo(expectedVal[k]).Within(1e-6));
        }
    }

    [Test]
    public void OneBaseAloneIsNotRescaledButADifferentNormIsApplied()
    {
        var corpus = RandomCorpus(100, seed: 4);
        var single = CombinedTfidfVectorizer.Fit(corpus, new CombinedTfidfOptions { Bases = [new TfidfOptions()], Norm = TfidfNorm.L2 });
        var ws = new TfidfWorkspace();
        var (bi, bv) = Copy(single.Bases[0].Transform(corpus[1], ws));
        var (ci, cv) = Copy(single.Transform(corpus[1], ws));
        Assert.That(ci, Is.EqualTo(bi));
        Assert.That(cv, Is.EqualTo(bv));

        var l1 = CombinedTfidfVectorizer.Fit(corpus, new CombinedTfidfOptions { Bases = [new TfidfOptions()], Norm = TfidfNorm.L1 });
        var row = l1.Transform(corpus[1], ws);
        Assert.That(row.Length, Is.GreaterThan(0));
        Assert.That(row.Values.ToArray().Sum(Math.Abs), Is.EqualTo(1.0).Within(1e-6));
    }

    [Test]
    public void FitFromPecosConfigJson()
    {
        const string json = """
            {"type":"tfidf","kwargs":{"base_vect_configs":[
              {"ngram_range":[1,2],"max_df_ratio":0.98,"analyzer":"word"},
              {"ngram_range":[3,3],"analyzer":"char_wb"}],"norm":"l2"}}
            """;
        var corpus = RandomCorpus(100, seed: 6);
        var fromJson = CombinedTfidfVectorizer.Fit(corpus, json);
        var fromOptions = CombinedTfidfVectorizer.Fit(corpus, TwoBases with
        {
            Bases = [TwoBases.Bases[0] with { MaxDfRatio = 0.98 }, TwoBases.Bases[1]],
        });
        AssertSameMatrix(fromJson.Transform(corpus), fromOptions.Transform(corpus));
    }

    [Test]
    public void BatchTransformMatchesSingleAndThreadCountDoesNotMatter()
    {
        var corpus = RandomCorpus(700, seed: 8);
        var c = CombinedTfidfVectorizer.Fit(corpus, TwoBases);
        var m1 = c.Transform(corpus, threads: 1);
        var m2 = c.Transform(corpus, threads: 2);
        AssertSameMatrix(m1, m2);
        var ws = new TfidfWorkspace();
        for (int r = 0; r < corpus.Count; r += 37)
            Assert.That(m1.Row(r).Values.ToArray(), Is.EqualTo(c.Transform(corpus[r], ws).Values.ToArray()));
    }
}
