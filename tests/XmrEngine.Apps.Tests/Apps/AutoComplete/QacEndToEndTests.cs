using XmrEngine.Apps.AutoComplete;
using XmrEngine.Indexing;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Apps.AutoComplete;

public class QacEndToEndTests
{
    private static QacTrainOptions SmallOptions(QacIndexerKind kind, int depth = 1) => new()
    {
        Indexer = kind,
        TrieDepth = depth,
        PrefixesPerPair = 4,
        Threads = 1,
        XLinear = new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 4, NrSplits = 4 } },
    };

    private static (QacSplit Split, List<QacTestCase> Cases) SyntheticData(TempDir dir)
    {
        string path = dir.File("log.tsv");
        SyntheticQueryLog.WriteTsv(path, sessions: 1500, seed: 1);
        var split = QacSplit.Load(path, new QacDataOptions());
        return (split, PrefixSampler.TestCases(split.TestPairs, seed: 0));
    }

    private static (double Model, double Popular) Mrr(QacModel model, List<QacTestCase> cases)
    {
        var m = QacEvaluator.Evaluate(cases, (p, x) => model.Suggest(p, x).Select(s => s.Query).ToArray(), warmup: 0);
        var b = QacEvaluator.Evaluate(cases, (_, x) => model.SuggestMostPopular(x), warmup: 0);
        return (m.Overall.Mrr, b.Overall.Mrr);
    }

    [Test]
    public void TheFacadeTrainsSavesLoadsAndEvaluates()
    {
        using var dir = new TempDir();
        var (split, _) = SyntheticData(dir);
        var model = QacModel.Train(split.TrainPairs, SmallOptions(QacIndexerKind.Hybrid));
        string path = dir.File("facade");
        model.Save(path);
        var loaded = QacModel.Load(path);
        var cases = loaded.TestCases(split);
        Assert.That(cases, Is.EqualTo(PrefixSampler.TestCases(split.TestPairs, loaded.Settings.Data.Seed)));
        var served = loaded.Evaluate(cases);
        var alone = loaded.Evaluate(cases, QacSuggester.ModelOnly);
        var popular = loaded.Evaluate(cases, QacSuggester.MostPopular);
        Assert.That(served.Overall.Count, Is.EqualTo(cases.Count));
        Assert.That(served.Overall.Mrr, Is.GreaterThan(popular.Overall.Mrr + 0.3), "the previous query decides the next one");
        Assert.That(served.Overall.SuccessAt10, Is.GreaterThanOrEqualTo(alone.Overall.SuccessAt10), "filling empty places never loses a hit");
        Assert.That(served.ByPrefix.Keys, Is.EquivalentTo(QacEvaluator.Buckets));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void OddInputsGiveAValidListNeverAnException(bool fused)
    {
        using var dir = new TempDir();
        var (split, _) = SyntheticData(dir);
        var model = fused
            ? QacModel.Train(split.TrainSessions, SmallOptions(QacIndexerKind.Hybrid) with { RankerUsers = 0.2 })
            : QacModel.Train(split.TrainPairs, SmallOptions(QacIndexerKind.Hybrid));
        Assert.That(model.Ranker is not null, Is.EqualTo(fused));
        string longest = model.Labels.MaxBy(l => l.Length)!;
        var prefixes = new[]
        {
            "", " ", longest + "x", new string('a', 10_000), "a\u0000\u001b[31m\t\r\n", "\U0001F600 emoji", "ünïcödé 日本語", "\uD800", // lone surrogate
        };
        foreach (var previous in new string?[] { null, "", "   ", SyntheticQueryLog.Context(3), new string('z', 10_000), "\U0001F600" })
            foreach (var prefix in prefixes)
            {
                QacSuggestion[] s = [];
                Assert.DoesNotThrow(() => s = model.Suggest(previous, prefix), $"previous '{previous?[..Math.Min(20, previous.Length)]}', prefix '{prefix[..Math.Min(20, prefix.Length)]}'");
                Assert.That(s, Has.Length.LessThanOrEqualTo(10));
                Assert.That(s.Select(x => x.Query), Is.Unique);
            }
        Assert.That(model.Suggest(SyntheticQueryLog.Context(3), longest + "x"), Is.Empty, "nothing completes a prefix longer than every label");
    }

    [TestCase(QacIndexerKind.KMeans, 1)]
    [TestCase(QacIndexerKind.Trie, 1)]
    [TestCase(QacIndexerKind.Trie, 2)]
    [TestCase(QacIndexerKind.Hybrid, 1)]
    [TestCase(QacIndexerKind.Hybrid, 2)]
    public void ContextBeatsPopularityOnSyntheticLog(QacIndexerKind kind, int depth)
    {
        using var dir = new TempDir();
        var (split, cases) = SyntheticData(dir);
        Assert.That(cases, Has.Count.GreaterThan(200));
        var model = QacTrainer.Train(split.TrainPairs, SmallOptions(kind, depth));
        Assert.That(model.Labels, Has.Count.EqualTo(SyntheticQueryLog.Topics));
        var (mrr, popular) = Mrr(model, cases);
        Assert.That(mrr, Is.GreaterThan(0.9), "the previous query determines the next one");
        Assert.That(mrr, Is.GreaterThan(popular + 0.2));
    }

    [Test]
    public void SuggestionsStartWithThePrefixAndAreDistinct()
    {
        using var dir = new TempDir();
        var (split, _) = SyntheticData(dir);
        var model = QacTrainer.Train(split.TrainPairs, SmallOptions(QacIndexerKind.Hybrid));
        var s = model.Suggest(SyntheticQueryLog.Context(5), "B");
        Assert.That(s[0].Query, Is.EqualTo(SyntheticQueryLog.Target(5)));
        Assert.That(s[0].Source, Is.EqualTo(QacSuggestionSource.Model));
        Assert.That(s.Select(x => x.Query), Is.Unique);
        Assert.That(s.All(x => x.Query.StartsWith('b')));
        Assert.That(s, Has.Length.EqualTo(10), "ten targets start with 'b'; the fallback fills what the model leaves");

        // Without the fill: the model's own survivors only, which lead the filled list.
        var alone = model.Suggest(SyntheticQueryLog.Context(5), "B", suggester: QacSuggester.ModelOnly);
        Assert.That(alone.All(x => x.Source == QacSuggestionSource.Model));
        Assert.That(alone, Is.EqualTo(s.Take(alone.Length)));

        // No previous query: most-popular completion alone.
        var none = model.Suggest(null, "b");
        Assert.That(none.Select(x => x.Query), Is.EqualTo(model.SuggestMostPopular("b")));
        Assert.That(none.All(x => x.Source == QacSuggestionSource.MostPopular));
        Assert.That(model.Suggest("context1 alpha1", "zzz"), Is.Empty);
        Assert.That(model.Suggest("context1 alpha1", "b", count: 3), Has.Length.EqualTo(3));
    }

    [Test]
    public void TrainingIsDeterministicAndSaveLoadRoundTrips()
    {
        using var dir = new TempDir();
        var (split, cases) = SyntheticData(dir);
        var options = SmallOptions(QacIndexerKind.Hybrid, 2);
        var model = QacTrainer.Train(split.TrainPairs, options);
        var again = QacTrainer.Train(split.TrainPairs, options with { Threads = 2 });
        string path = dir.File("model");
        QacModelFile.Save(path, model);
        QacModelFile.Save(path, model); // replacing an existing model works
        var loaded = QacModelFile.Load(path);
        Assert.That(loaded.Labels, Is.EqualTo(model.Labels));
        Assert.That(loaded.Counts, Is.EqualTo(model.Counts));
        Assert.That(loaded.Settings, Is.EqualTo(model.Settings));
        foreach (var c in cases.Take(100))
        {
            var expected = model.Suggest(c.Previous, c.Prefix);
            Assert.That(loaded.Suggest(c.Previous, c.Prefix), Is.EqualTo(expected), $"{c.Previous} | {c.Prefix}");
            Assert.That(again.Suggest(c.Previous, c.Prefix), Is.EqualTo(expected), "thread count changed the model");
        }
        Assert.That(Directory.GetDirectories(dir.Path).Select(Path.GetFileName), Is.EqualTo(new[] { "model" }), "no temporary directories left");
    }

    [Test]
    public void LoadNamesTheBrokenPart()
    {
        using var dir = new TempDir();
        var (split, _) = SyntheticData(dir);
        string path = dir.File("model");
        QacModelFile.Save(path, QacTrainer.Train(split.TrainPairs, SmallOptions(QacIndexerKind.Trie)));
        string files = XmrEngine.IO.VersionedDirectory.Resolve(path, "qac.json");
        File.AppendAllText(Path.Combine(files, "labels.tsv"), "x\tbroken\n");
        var e = Assert.Throws<XmrEngine.IO.XmrDataException>(() => QacModelFile.Load(path));
        Assert.That(e!.Message, Does.Contain("labels.tsv").And.Contain("line 41"));
        File.Delete(Path.Combine(files, "labels.tsv"));
        e = Assert.Throws<XmrEngine.IO.XmrDataException>(() => QacModelFile.Load(path));
        Assert.That(e!.Message, Does.Contain("labels.tsv").And.Contain("missing"));
    }

    [Test]
    public void SettingsAreTheTypedSearchRecordAndTheOldLayoutStillLoads()
    {
        using var dir = new TempDir();
        var (split, _) = SyntheticData(dir);
        string path = dir.File("model");
        var model = QacTrainer.Train(split.TrainPairs, SmallOptions(QacIndexerKind.Trie));
        QacModelFile.Save(path, model);
        string settings = Path.Combine(XmrEngine.IO.VersionedDirectory.Resolve(path, "qac.json"), "qac.json");
        var written = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(settings))!.AsObject();
        Assert.That(written["beam_size"]!.GetValue<int>(), Is.EqualTo(model.Settings.BeamSize));
        Assert.That(written["top_k"]!.GetValue<int>(), Is.EqualTo(model.Settings.CandidateCount), "the candidate count is the search's top-k");
        Assert.That(written["post_processor"]!.GetValue<string>(), Is.EqualTo("l3-hinge"));
        Assert.That(written.ContainsKey("candidate_count"), Is.False);

        // The layout written before the typed record: candidate_count instead of top_k and post_processor.
        written.Remove("top_k");
        written.Remove("post_processor");
        written["candidate_count"] = model.Settings.CandidateCount;
        File.WriteAllText(settings, written.ToJsonString());
        var loaded = QacModelFile.Load(path);
        Assert.That(loaded.Settings, Is.EqualTo(model.Settings));
        foreach (var c in PrefixSampler.TestCases(split.TestPairs, 1).Take(30))
            Assert.That(loaded.Suggest(c.Previous, c.Prefix), Is.EqualTo(model.Suggest(c.Previous, c.Prefix)), $"{c.Previous} | {c.Prefix}");

        written.Remove("candidate_count");
        File.WriteAllText(settings, written.ToJsonString());
        var e = Assert.Throws<XmrEngine.IO.XmrDataException>(() => QacModelFile.Load(path));
        Assert.That(e!.Message, Does.Contain("qac.json").And.Contain("top_k"));
    }

    [Test]
    public void AolSubsetModelBeatsMostPopular()
    {
        if (SharedData.DataDir is null) Assert.Ignore("Shared data folder not found; skipping.");
        string users = Path.Combine(SharedData.DataDir!, "aol-sessions", "users");
        if (!Directory.Exists(users)) Assert.Ignore($"'{users}' is absent; skipping.");
        var data = new QacDataOptions { MaxUsers = 60 };
        var split = QacSplit.Load(users, data);
        var model = QacTrainer.Train(split.TrainPairs, new QacTrainOptions { Indexer = QacIndexerKind.Hybrid, TrieDepth = 2, PrefixesPerPair = 2 }, data);
        var cases = PrefixSampler.TestCases(split.TestPairs, data.Seed);
        var (mrr, popular) = Mrr(model, cases);
        TestContext.Out.WriteLine($"AOL 60 users: {cases.Count} cases, model MRR@10 {mrr:F4}, most-popular {popular:F4}");
        Assert.That(mrr, Is.GreaterThan(popular));
    }
}
