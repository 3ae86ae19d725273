using XmrEngine.IO;
using XmrEngine.Text;

namespace XmrEngine.Tests.Text;

public class TfidfConfigJsonTests
{
    [Test]
    public void ParsesPecosCombinedShape()
    {
        var c = CombinedTfidfOptions.FromJson("""
            {"type":"tfidf","kwargs":{"base_vect_configs":[
              {"ngram_range":[1,2],"truncate_length":-1,"max_feature":0,"min_df_ratio":0.0,"max_df_ratio":0.98,
               "min_df_cnt":0,"max_df_cnt":-1,"binary":false,"use_idf":true,"smooth_idf":true,"sublinear_tf":false,
               "keep_frequent_feature":true,"norm":"l2","analyzer":"word","buffer_size":0,"threads":-1},
              {"ngram_range":[3,3],"analyzer":"char_wb","norm":"l1","max_feature":1000,"sublinear_tf":true}],
             "norm_p":2,"buffer_size":0,"threads":-1}}
            """);
        Assert.That(c.Norm, Is.EqualTo(TfidfNorm.L2));
        Assert.That(c.Bases, Has.Count.EqualTo(2));
        Assert.That(c.Bases[0], Is.EqualTo(new TfidfOptions { MinNgram = 1, MaxNgram = 2, MaxDfRatio = 0.98 }));
        Assert.That(c.Bases[1], Is.EqualTo(new TfidfOptions
        {
            Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 3, MaxNgram = 3, Norm = TfidfNorm.L1, MaxFeatures = 1000, SublinearTf = true,
        }));
    }

    [Test]
    public void SingleBaseKeysDirectlyInKwargs()
    {
        var c = CombinedTfidfOptions.FromJson("""{"type":"tfidf","kwargs":{"ngram_range":[1,3],"norm":"l1","min_df_cnt":2}}""");
        Assert.That(c.Bases, Has.Count.EqualTo(1));
        Assert.That(c.Bases[0], Is.EqualTo(new TfidfOptions { MaxNgram = 3, Norm = TfidfNorm.L1, MinDfCount = 2 }));
        Assert.That(c.Norm, Is.EqualTo(TfidfNorm.L1));
        Assert.That(CombinedTfidfOptions.FromJson("""{"type":"tfidf"}""").Bases[0], Is.EqualTo(new TfidfOptions()));
    }

    [Test]
    public void ExtensionKeysAndRoundTrip()
    {
        var original = new CombinedTfidfOptions
        {
            Bases =
            [
                new TfidfOptions { Lowercase = false, IdfFormula = IdfFormula.Smooth, Norm = TfidfNorm.None, TruncateLength = 30 },
                TfidfOptions.PositionWeightedPrefix() with { MinDfRatio = 0.01, MaxDfCount = 9000 },
                new TfidfOptions { MaxNgram = 2, Stemmer = WordStemmer.Porter, StopWords = StopWordList.English },
            ],
            Norm = TfidfNorm.L1,
        };
        var back = CombinedTfidfOptions.FromJson(original.ToJson());
        Assert.That(back.Norm, Is.EqualTo(original.Norm));
        Assert.That(back.Bases, Is.EqualTo(original.Bases));
    }

    private static string ErrorOf(string json)
    {
        var ex = Assert.Throws<XmrDataException>(() => CombinedTfidfOptions.FromJson(json))!;
        Assert.That(ex.FilePath, Is.EqualTo("vectorizer config"), "inline JSON has no file");
        return ex.Message;
    }

    [Test]
    public void UnknownKeyNamesPathAndSuggestsSpelling()
    {
        string msg = ErrorOf("""{"type":"tfidf","kwargs":{"base_vect_configs":[{"analyzer":"word"},{"max_features":10}]}}""");
        Assert.That(msg, Does.Contain("$.kwargs.base_vect_configs[1]"));
        Assert.That(msg, Does.Contain("unknown key 'max_features'"));
        Assert.That(msg, Does.Contain("did you mean 'max_feature'"));
    }

    [TestCase("""{"type":"tfidf","kwargs":{"binary":"yes"}}""", "$.kwargs.binary: expected true or false")]
    [TestCase("""{"type":"tfidf","kwargs":{"ngram_range":[1]}}""", "$.kwargs.ngram_range: expected [min_ngram, max_ngram]")]
    [TestCase("""{"type":"tfidf","kwargs":{"ngram_range":[1,2.5]}}""", "$.kwargs.ngram_range[1]: expected an integer")]
    [TestCase("""{"type":"tfidf","kwargs":{"ngram_range":[3,1]}}""", "MaxNgram")]
    [TestCase("""{"type":"tfidf","kwargs":{"max_df_ratio":1.5}}""", "MaxDfRatio")]
    [TestCase("""{"type":"tfidf","kwargs":{"min_df_ratio":0.5,"max_df_ratio":0.4}}""", "MaxDfRatio")]
    [TestCase("""{"type":"tfidf","kwargs":{"analyzer":"chars"}}""", "$.kwargs.analyzer: expected \"word\", \"char\" or \"char_wb\"")]
    [TestCase("""{"type":"tfidf","kwargs":{"norm":"l3"}}""", "$.kwargs.norm")]
    [TestCase("""{"type":"tfidf","kwargs":{"norm_p":3}}""", "$.kwargs.norm_p: expected 1 or 2")]
    [TestCase("""{"type":"tfidf","kwargs":{"max_feature":-4}}""", "MaxFeatures")]
    [TestCase("""{"type":"tfidf","kwargs":{"position_weighted":true}}""", "PositionWeighted")]
    [TestCase("""{"type":"tfidf","kwargs":{"stemmer":"snowball"}}""", "$.kwargs.stemmer: expected \"none\" or \"porter\"")]
    [TestCase("""{"type":"tfidf","kwargs":{"stemmer":true}}""", "$.kwargs.stemmer: expected a string")]
    [TestCase("""{"type":"tfidf","kwargs":{"stop_words":"french"}}""", "$.kwargs.stop_words: expected \"none\" or \"english\"")]
    [TestCase("""{"type":"tfidf","kwargs":{"analyzer":"char_wb","stemmer":"porter"}}""", "Stemmer: needs the Word analyzer")]
    [TestCase("""{"type":"tfidf","kwargs":{"analyzer":"char","stop_words":"english"}}""", "StopWords: needs the Word analyzer")]
    [TestCase("""{"type":"tfidf","kwargs":{"base_vect_configs":[]}}""", "needs at least one base")]
    [TestCase("""{"type":"tfidf","kwargs":{"base_vect_configs":{}}}""", "expected an array")]
    [TestCase("""{"type":"tfidf","kwargs":{"base_vect_configs":[{}],"analyzer":"word"}}""", "unknown key 'analyzer'")]
    [TestCase("""{"type":"sklearntfidf","kwargs":{}}""", "unsupported vectorizer type")]
    [TestCase("""{"kwargs":{}}""", "missing key 'type'")]
    [TestCase("""{"type":"tfidf","kwargs":{"binary":true,"binary":false}}""", "appears more than once")]
    [TestCase("""{"type":"tfidf","kwargs":{"min_df_cnt":null}}""", "expected an integer, got null")]
    [TestCase("""{"type":"tfidf","kwargs":[1]}""", "$.kwargs: expected an object")]
    [TestCase("""{"type":"tfidf", "kwargs": {""", "malformed JSON")]
    [TestCase("""[]""", "$: expected an object")]
    public void BadConfigsGiveClearErrors(string json, string expected)
    {
        string msg = ErrorOf(json);
        Assert.That(msg, Does.StartWith("vectorizer config: "));
        Assert.That(msg, Does.Contain(expected));
    }

    [Test]
    public void ConfigFileErrorsNameTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"xmr-tfidf-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"type":"tfidf","kwargs":{"ngram":[1,2]}}""");
        try
        {
            var ex = Assert.Throws<XmrDataException>(() => CombinedTfidfOptions.FromJsonFile(path))!;
            Assert.That(ex.Message, Does.StartWith(path));
            Assert.That(ex.FilePath, Is.EqualTo(path));
            Assert.That(ex.Field, Is.EqualTo("$.kwargs"));
            Assert.That(ex.Message, Does.Contain("did you mean 'ngram_range'"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void OptionValidationNamesTheField()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TfidfOptions { MinNgram = 0 }.Validate())!;
        Assert.That(ex.Message, Does.Contain("TfidfOptions.MinNgram"));
        Assert.That(ex.Message, Does.Contain("got 0"));
        var combined = Assert.Throws<ArgumentException>(() =>
            CombinedTfidfVectorizer.Fit(["a"], new CombinedTfidfOptions { Bases = [new TfidfOptions(), new TfidfOptions { Binary = true, PositionWeighted = true, Analyzer = TextAnalyzer.Char }] }))!;
        Assert.That(combined.Message, Does.Contain("Bases[1]"));
        Assert.That(combined.Message, Does.Contain("PositionWeighted"));
    }
}
