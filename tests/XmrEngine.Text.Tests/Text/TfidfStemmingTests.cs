using System.Text;
using XmrEngine.Text;

namespace XmrEngine.Tests.Text;

/// <summary>The word analyzer's stemmer and stop-word options, their validation and their file compatibility.</summary>
public class TfidfStemmingTests
{
    [Test]
    public void StemmedWordsShareFeaturesAndFormBigramsOfStems()
    {
        // Smooth idf keeps terms that occur in most documents (PECOS's idf would be 0 for them).
        var o = new TfidfOptions { MinNgram = 1, MaxNgram = 2, Stemmer = WordStemmer.Porter, IdfFormula = IdfFormula.Smooth };
        var v = TfidfVectorizer.Fit(["Cordless Drills", "drilling ponies", "2x4 Boards"], o);
        Assert.That(v.Terms, Is.EqualTo(new[] { "2x4", "2x4 board", "board", "cordless", "cordless drill", "drill", "drill poni", "poni" }));
        var ws = new TfidfWorkspace();
        var a = v.Transform("DRILL pony", ws).Indices.ToArray();
        Assert.That(a.Select(i => v.Terms[i]), Is.EquivalentTo(new[] { "drill", "poni", "drill poni" }));
    }

    [Test]
    public void StopWordsAreDroppedBeforeNgramsAndBeforeStemming()
    {
        var o = new TfidfOptions { MinNgram = 1, MaxNgram = 2, StopWords = StopWordList.English, Stemmer = WordStemmer.Porter };
        var v = TfidfVectorizer.Fit(["The drill with the bits", "bits for drills in 1/2 in."], o);
        Assert.That(v.Terms, Is.EqualTo(new[] { "1", "1 2", "2", "2 in", "bit", "bit drill", "drill", "drill bit", "drill in", "in", "in 1" }));
    }

    [Test]
    public void DocumentOfOnlyStopWordsHasAnEmptyRow()
    {
        var o = new TfidfOptions { MaxNgram = 3, StopWords = StopWordList.English };
        var v = TfidfVectorizer.Fit(["drill", "saw"], o);
        Assert.That(v.Transform("the and of to", new TfidfWorkspace()).Length, Is.Zero);
        Assert.That(v.Transform("", new TfidfWorkspace()).Length, Is.Zero);
    }

    [Test]
    public void StopWordListIsLowerCaseAndKeepsInchAndNegations()
    {
        Assert.That(EnglishStopWords.Words, Has.All.Matches<string>(w => w == w.ToLowerInvariant() && w.Length > 0));
        Assert.That(EnglishStopWords.Contains("the"), Is.True);
        Assert.That(EnglishStopWords.Contains("The"), Is.False);
        foreach (var kept in new[] { "in", "x", "no", "not", "off", "out", "on" }) Assert.That(EnglishStopWords.Contains(kept), Is.False, kept);
    }

    [TestCase(TextAnalyzer.Char)]
    [TestCase(TextAnalyzer.CharWordBounded)]
    public void StemmerAndStopWordsNeedTheWordAnalyzer(TextAnalyzer analyzer)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TfidfOptions { Analyzer = analyzer, Stemmer = WordStemmer.Porter }.Validate())!;
        Assert.That(ex.Message, Does.Contain("Stemmer"));
        ex = Assert.Throws<ArgumentException>(() => new TfidfOptions { Analyzer = analyzer, StopWords = StopWordList.English }.Validate())!;
        Assert.That(ex.Message, Does.Contain("StopWords"));
        Assert.Throws<ArgumentException>(() => new TfidfOptions { Stemmer = (WordStemmer)7 }.Validate());
        Assert.Throws<ArgumentException>(() => new TfidfOptions { StopWords = (StopWordList)7 }.Validate());
    }

    [Test]
    public void SaveLoadKeepsStemmerAndStopWords()
    {
        var o = new CombinedTfidfOptions
        {
            Bases =
            [
                new TfidfOptions { MaxNgram = 2, Stemmer = WordStemmer.Porter, StopWords = StopWordList.English },
                new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 3, MaxNgram = 4 },
            ],
        };
        string[] docs = ["Cordless drills for the shop", "drilling with ponies", "ponies and drills"];
        var v = CombinedTfidfVectorizer.Fit(docs, o);
        string path = Path.Combine(Path.GetTempPath(), $"xmr-stem-{Guid.NewGuid():N}.tfidf");
        try
        {
            v.Save(path);
            var back = CombinedTfidfVectorizer.Load(path);
            Assert.That(back.Options.Bases, Is.EqualTo(o.Bases));
            TfidfTestHelpers.AssertSameMatrix(v.Transform(docs), back.Transform(docs));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A file written before the stemmer existed: its settings JSON has neither key, and it loads unstemmed.</summary>
    [Test]
    public void FilesWithoutTheNewKeysLoadWithoutStemmingOrStopWords()
    {
        const string oldSettings = """{"ngram_range":[1,1],"truncate_length":-1,"max_feature":0,"min_df_ratio":0,"max_df_ratio":1,"min_df_cnt":0,"max_df_cnt":-1,"binary":false,"use_idf":true,"smooth_idf":true,"sublinear_tf":false,"keep_frequent_feature":true,"norm":"l2","analyzer":"word","lowercase":true,"idf_formula":"pecos","position_weighted":false}""";
        string path = Path.Combine(Path.GetTempPath(), $"xmr-old-{Guid.NewGuid():N}.tfidf");
        try
        {
            using (var w = new BinaryWriter(File.Create(path), new UTF8Encoding(false)))
            {
                w.Write("XMRTFIDF"u8);
                w.Write(1);
                w.Write((byte)1);
                w.Write(oldSettings);
                w.Write(4L);
                w.Write(2);
                w.Write("drills");
                w.Write(0.5f);
                w.Write("the");
                w.Write(0.25f);
                w.Write("XMRTFEND"u8);
            }
            var v = TfidfVectorizer.Load(path);
            Assert.That(v.Options.Stemmer, Is.EqualTo(WordStemmer.None));
            Assert.That(v.Options.StopWords, Is.EqualTo(StopWordList.None));
            var row = v.Transform("the drills", new TfidfWorkspace());
            Assert.That(row.Indices.ToArray(), Is.EqualTo(new[] { 0, 1 }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
