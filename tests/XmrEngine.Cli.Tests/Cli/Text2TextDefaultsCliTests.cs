using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Tests.Apps.ProductRetrieval;
using XmrEngine.Tests.Support;
using XmrEngine.Text;

namespace XmrEngine.Tests.Cli;

/// <summary>`xmr text2text train`'s measured defaults, its --language switch, and `text2text prepare-aol`.</summary>
public class Text2TextDefaultsCliTests
{
    private static (string Queries, string Items) WriteCatalog(TempDir dir)
    {
        var catalog = new SyntheticCatalog();
        string queries = dir.File("train.txt"), items = dir.File("items.txt");
        Text2TextFormat.WriteQueries(queries, catalog.Queries);
        Text2TextFormat.WriteItems(items, catalog.Items);
        return (queries, items);
    }

    private static ProductRetrievalModel Train(TempDir dir, string name, params string[] extra)
    {
        var (queries, items) = WriteCatalog(dir);
        string model = dir.File(name);
        var run = Xmr.Run(["text2text", "train", "-i", queries, "-q", items, "-m", model, "--nr-splits", "4", "--max-leaf-size", "4", "--threads", "1", .. extra]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        return ProductRetrievalModel.Load(model);
    }

    [Test]
    public void DefaultsAreTheMeasuredBestWithoutLanguageSpecificParts()
    {
        using var dir = new TempDir();
        var model = Train(dir, "model");
        Assert.That(model.Info.ItemTextsAsQueries, Is.True);
        Assert.That(model.Info.ItemEmbedding, Is.EqualTo(ItemEmbedding.PifaText));
        // 136 training queries: too few to hold out 50 and choose the weight on; the model says so.
        Assert.That(model.Info.TextWeight, Is.EqualTo(ProductRetrievalDefaults.TextWeight));
        Assert.That(model.Info.TextWeightChoice, Does.StartWith("kept 0.7: "));
        Assert.That(model.Info.TitleCandidates, Is.EqualTo(ProductRetrievalDefaults.TitleCandidates));
        Assert.That(model.Info.TitleIdfOnce, Is.True);
        var bases = model.Vectorizer.Options.Bases;
        Assert.That(bases, Is.EqualTo(ProductRetrievalDefaults.Vectorizer(TextLanguage.None).Bases));
        Assert.That(bases.Select(b => b.Stemmer), Has.All.EqualTo(WordStemmer.None), "no English stemming unless asked for");
        Assert.That(bases.Select(b => b.StopWords), Has.All.EqualTo(StopWordList.None));
    }

    [Test]
    public void AGivenTextWeightIsTrainedAsGiven_WithoutAChoice()
    {
        using var dir = new TempDir();
        var model = Train(dir, "model", "--text-weight", "0.7");
        Assert.That((model.Info.TextWeight, model.Info.TextWeightChoice), Is.EqualTo((0.7f, (string?)null)));
    }

    [Test]
    public void LanguageEnglishStemsAndDropsStopWordsOnTheWordBases()
    {
        using var dir = new TempDir();
        var bases = Train(dir, "model", "--language", "english").Vectorizer.Options.Bases;
        Assert.That(bases, Is.EqualTo(ProductRetrievalDefaults.Vectorizer(TextLanguage.English).Bases));
        Assert.That(bases.Where(b => b.Analyzer == TextAnalyzer.Word).Select(b => (b.Stemmer, b.StopWords)),
            Has.All.EqualTo((WordStemmer.Porter, StopWordList.English)));
        Assert.That(bases.Single(b => b.Analyzer == TextAnalyzer.CharWordBounded).Stemmer, Is.EqualTo(WordStemmer.None));
    }

    [Test]
    public void LanguageBesideAVectorizerConfigOrAnUnknownLanguageIsRefused()
    {
        using var dir = new TempDir();
        var (queries, items) = WriteCatalog(dir);
        Xmr.AssertUserError(Xmr.Run("text2text", "train", "-i", queries, "-q", items, "-m", dir.File("m"), "--language", "english",
            "--vectorizer-config", "{\"type\":\"tfidf\",\"kwargs\":{}}"), "--language", "stemmer");
        Xmr.AssertUserError(Xmr.Run("text2text", "train", "-i", queries, "-q", items, "-m", dir.File("m"), "--language", "klingon"), "klingon");
        Assert.That(Directory.Exists(dir.File("m")), Is.False);
    }

    [Test]
    public void TheOldDefaultsStayOneFlagSetAwayAndTrainTheSameModelAsTheLibraryDefaults()
    {
        using var dir = new TempDir();
        var cli = Train(dir, "old", "--vectorizer-config", "{\"type\":\"tfidf\",\"kwargs\":{\"base_vect_configs\":[{\"ngram_range\":[1,3],\"analyzer\":\"word\"},{\"ngram_range\":[3,3],\"analyzer\":\"char_wb\"}],\"norm\":\"l2\"}}",
            "--item-texts-as-queries", "false", "--Cp", "1", "--threshold", "0.1", "--text-weight", "0", "--title-candidates", "0", "--title-idf-once", "false");
        var catalog = new SyntheticCatalog();
        var options = new ProductRetrievalOptions();
        var library = ProductRetrievalModel.Train(catalog.Queries, catalog.Items, options with
        {
            Training = options.Training with { Threads = 1, Indexer = options.Training.Indexer with { NrSplits = 4, MaxLeafSize = 4 } },
        });
        Assert.That(cli.Info, Is.EqualTo(library.Info with { Prediction = cli.Info.Prediction }));
        foreach (var query in catalog.Queries.Select(q => q.Text))
            Assert.That(cli.Predict(query, 10), Is.EqualTo(library.Predict(query, 10)), query);
    }

    [Test]
    public void PrepareAolWritesAUserSplitAndNamesTheLineOfAMalformedRecord()
    {
        using var dir = new TempDir();
        string users = dir.File("users");
        Directory.CreateDirectory(users);
        for (int u = 0; u < 5; u++)
            File.WriteAllText(Path.Combine(users, $"{u}.txt"), $"query {u}\t2006-03-01 10:00:00\nhttp://www.site{u}.com/x\n\n");
        var run = Xmr.Run("text2text", "prepare-aol", "-i", users, "-o", dir.File("out"), "--seed", "0", "--test-users", "0.4");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Does.StartWith("5 users (2 test), 5 records, 5 with a click, 5 sites; 3 train / 2 test queries"));
        Assert.That(File.ReadAllLines(dir.File("out/items.txt")), Is.EquivalentTo(Enumerable.Range(0, 5).Select(u => $"site{u}.com")));

        File.WriteAllText(Path.Combine(users, "3.txt"), "query\t2006-03-01 10:00:00\nhttp://a.com/\n\nnext\tnot a time\nhttp://b.com/\n");
        Xmr.AssertUserError(Xmr.Run("text2text", "prepare-aol", "-i", users, "-o", dir.File("out2")), Path.Combine(users, "3.txt") + ": line 4: timestamp:");
        Xmr.AssertUserError(Xmr.Run("text2text", "prepare-aol", "-i", users, "-o", dir.File("out2"), "--test-users", "1"), "--test-users");
    }
}
