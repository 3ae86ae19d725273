using XmrEngine.Text;
using static XmrEngine.Tests.Text.TfidfTestHelpers;

namespace XmrEngine.Tests.Text;

/// <summary>The span-based vectorizer against the naive oracle, over random corpora and settings.</summary>
public class TfidfReferenceTests
{
    private static IEnumerable<TestCaseData> Settings()
    {
        yield return new TestCaseData(new TfidfOptions { MinNgram = 1, MaxNgram = 3 }).SetName("Word_1to3");
        yield return new TestCaseData(new TfidfOptions { MinNgram = 2, MaxNgram = 2, SublinearTf = true, Norm = TfidfNorm.L1 }).SetName("Word_2_Sublinear_L1");
        yield return new TestCaseData(new TfidfOptions { Binary = true, IdfFormula = IdfFormula.Smooth, Lowercase = false }).SetName("Word_Binary_Smooth_Cased");
        yield return new TestCaseData(new TfidfOptions { MaxFeatures = 7, MinDfCount = 2, MaxDfRatio = 0.9 }).SetName("Word_Filtered");
        yield return new TestCaseData(new TfidfOptions { MaxFeatures = 5, KeepFrequentFeatures = false, TruncateLength = 3 }).SetName("Word_Rare_Truncated");
        yield return new TestCaseData(new TfidfOptions { MinNgram = 1, MaxNgram = 2, Stemmer = WordStemmer.Porter, StopWords = StopWordList.English }).SetName("Word_1to2_Porter_StopWords");
        yield return new TestCaseData(new TfidfOptions { MaxNgram = 3, Stemmer = WordStemmer.Porter, Lowercase = false, TruncateLength = 4 }).SetName("Word_Porter_Cased_Truncated");
        yield return new TestCaseData(new TfidfOptions { MaxNgram = 2, StopWords = StopWordList.English, TruncateLength = 3 }).SetName("Word_StopWords_Truncated");
        yield return new TestCaseData(new TfidfOptions { Analyzer = TextAnalyzer.Char, MinNgram = 1, MaxNgram = 4, Norm = TfidfNorm.None }).SetName("Char_1to4_NoNorm");
        yield return new TestCaseData(new TfidfOptions { Analyzer = TextAnalyzer.Char, MaxNgram = 2, TruncateLength = 5, UseIdf = false }).SetName("Char_Truncated_NoIdf");
        yield return new TestCaseData(new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 3, MaxNgram = 3 }).SetName("CharWb_3");
        yield return new TestCaseData(new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 1, MaxNgram = 5, TruncateLength = 7, SmoothIdf = false }).SetName("CharWb_1to5_Truncated");
        yield return new TestCaseData(TfidfOptions.PositionWeightedPrefix()).SetName("PositionWeighted_1to3");
    }

    [TestCaseSource(nameof(Settings))]
    public void MatchesNaiveReference(TfidfOptions options)
    {
        var corpus = RandomCorpus(300, seed: 11);
        corpus.Add("");
        corpus.Add("lone \uD800 surrogate and pair 😀 \uDC00");
        var v = TfidfVectorizer.Fit(corpus, options, threads: 2);
        var reference = ReferenceTfidf.Fit(corpus, options);

        Assert.That(v.Terms, Is.EqualTo(reference.Terms));
        for (int i = 0; i < reference.Idf.Length; i++) Assert.That(v.Idf[i], Is.EqualTo(reference.Idf[i]).Within(1e-6));

        var probes = RandomCorpus(60, seed: 12);
        probes.AddRange(corpus.Take(40));
        probes.Add("unseen words only qqq");
        var ws = new TfidfWorkspace();
        foreach (var text in probes)
        {
            var row = v.Transform(text, ws);
            var expected = ReferenceTfidf.Transform(reference, text);
            Assert.That(row.Indices.ToArray(), Is.EqualTo(expected.Select(e => e.Id).ToArray()), text);
            for (int k = 0; k < row.Length; k++)
                Assert.That(row.Values[k], Is.EqualTo(expected[k].Value).Within(1e-5), text);
        }
    }

    [TestCase(TextAnalyzer.Word)]
    [TestCase(TextAnalyzer.Char)]
    [TestCase(TextAnalyzer.CharWordBounded)]
    public void OneAndTwoThreadsGiveIdenticalVocabularyAndMatrices(TextAnalyzer analyzer)
    {
        // More documents than one fitting batch, so batching and slicing both vary.
        var corpus = RandomCorpus(TfidfFitter.BatchSize + 777, seed: 5);
        var o = new TfidfOptions { Analyzer = analyzer, MinNgram = 1, MaxNgram = 3, MaxFeatures = 500 };
        var one = TfidfVectorizer.Fit(corpus, o, threads: 1);
        var two = TfidfVectorizer.Fit(corpus, o, threads: 2);
        Assert.That(two.Terms, Is.EqualTo(one.Terms));
        Assert.That(two.Idf.ToArray(), Is.EqualTo(one.Idf.ToArray()));
        AssertSameMatrix(one.Transform(corpus, threads: 1), two.Transform(corpus, threads: 2));
    }

    [Test]
    public void BatchTransformEqualsSingleTransforms()
    {
        var corpus = RandomCorpus(500, seed: 9);
        var v = TfidfVectorizer.Fit(corpus, new TfidfOptions { MaxNgram = 2 });
        var m = v.Transform(corpus, threads: 2);
        Assert.That(m.Rows, Is.EqualTo(corpus.Count));
        Assert.That(m.Cols, Is.EqualTo(v.FeatureCount));
        var ws = new TfidfWorkspace();
        for (int r = 0; r < corpus.Count; r++)
        {
            var (idx, val) = Copy(v.Transform(corpus[r], ws));
            Assert.That(m.Row(r).Indices.ToArray(), Is.EqualTo(idx));
            Assert.That(m.Row(r).Values.ToArray(), Is.EqualTo(val));
        }
    }
}
