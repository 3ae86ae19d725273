using XmrEngine.Apps.AutoComplete;
using XmrEngine.Indexing;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Apps.AutoComplete;

/// <summary>The fusion ranker: trained on users the XR-Linear model never saw, saved, loaded and served.</summary>
public class QacFusionTests
{
    private static QacTrainOptions Options(double rankerUsers = 0.2) => new()
    {
        Indexer = QacIndexerKind.Hybrid,
        TrieDepth = 1,
        Threads = 1,
        RankerUsers = rankerUsers,
        XLinear = new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 4, NrSplits = 4 } },
    };

    private static readonly Lazy<(TempDir Dir, QacSplit Split, QacModel Model)> Trained = new(() =>
    {
        var dir = new TempDir();
        string path = dir.File("mixed.tsv");
        SyntheticQueryLog.WriteMixedTsv(path, sessions: 4000, seed: 3);
        var split = QacSplit.Load(path, new QacDataOptions { HoldoutUsers = 0.25, Seed = 1 });
        return (dir, split, QacModel.Train(split.TrainSessions, Options()));
    });

    [OneTimeTearDown]
    public void RemoveData()
    {
        if (Trained.IsValueCreated) Trained.Value.Dir.Dispose();
    }

    [Test]
    public void TheFusedRankingBeatsTheModelAndPopularityOnHeldOutUsers()
    {
        var (_, split, model) = Trained.Value;
        Assert.That(model.Ranker, Is.Not.Null);
        Assert.That(model.Ranker!.Training.Lists, Is.GreaterThan(100));
        var cases = model.TestCases(split, QacTestSplit.HeldOutUsers);
        Assert.That(cases, Has.Count.GreaterThan(150));
        var fused = model.Evaluate(cases);
        var alone = model.Evaluate(cases, QacSuggester.ModelOnly);
        var popular = model.Evaluate(cases, QacSuggester.MostPopular);
        var fill = model.Evaluate(cases, QacSuggester.ModelWithFill);
        string table = $"fused {fused.Overall.Mrr:F4}, model only {alone.Overall.Mrr:F4}, with fill {fill.Overall.Mrr:F4}, popular {popular.Overall.Mrr:F4}";
        TestContext.Out.WriteLine(table);
        // On this log the model alone is already near the ceiling (its misses are ~3%), so the fusion is held to
        // "no worse than the better input" there and to a clear win over popularity; the AOL measurement in
        // perf/RESULTS.md is where it has to win outright.
        Assert.That(fused.Overall.Mrr, Is.GreaterThanOrEqualTo(alone.Overall.Mrr - 0.005), table);
        Assert.That(fused.Overall.Mrr, Is.GreaterThanOrEqualTo(fill.Overall.Mrr - 0.005), table);
        Assert.That(fused.Overall.Mrr, Is.GreaterThan(popular.Overall.Mrr + 0.1), table);
        foreach (var bucket in fused.ByPrefix.Keys)
            Assert.That(fused.ByPrefix[bucket].Mrr, Is.GreaterThanOrEqualTo(popular.ByPrefix[bucket].Mrr), $"bucket {bucket}: {table}");
    }

    [Test]
    public void ASavedAndLoadedModelRanksIdentically()
    {
        var (dir, split, model) = Trained.Value;
        string path = dir.File("fused-model");
        model.Save(path);
        var loaded = QacModel.Load(path);
        Assert.That(loaded.Ranker, Is.Not.Null);
        Assert.That(loaded.Ranker!.Training, Is.EqualTo(model.Ranker!.Training));
        for (int b = 0; b < 3; b++)
            for (int f = 0; f < QacRanker.FeatureNames.Count; f++)
                Assert.That(loaded.Ranker.Weight(b, f), Is.EqualTo(model.Ranker.Weight(b, f)));
        foreach (var c in model.TestCases(split, QacTestSplit.HeldOutUsers).Take(300))
        {
            var expected = model.Suggest(c.Previous, c.Prefix);
            Assert.That(expected.All(s => s.Fused), Is.True);
            Assert.That(loaded.Suggest(c.Previous, c.Prefix), Is.EqualTo(expected), $"{c.Previous} | {c.Prefix}");
        }
    }

    [Test]
    public void ConcurrentFusedSuggestionsEqualSequentialOnes()
    {
        var (_, split, model) = Trained.Value;
        var cases = model.TestCases(split, QacTestSplit.HeldOutUsers).ToArray();
        var expected = cases.Select(c => model.Suggest(c.Previous, c.Prefix)).ToArray();
        var actual = new QacSuggestion[cases.Length][];
        Parallel.For(0, cases.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int k = i % cases.Length;
            var s = model.Suggest(cases[k].Previous, cases[k].Prefix);
            if (i >= cases.Length * 3) actual[k] = s;
            else Assert.That(s, Is.EqualTo(expected[k]));
        });
        for (int k = 0; k < cases.Length; k++) Assert.That(actual[k], Is.EqualTo(expected[k]), $"case {k}");
    }

    [Test]
    public void TheRankerIsTheSameForAnyThreadCount()
    {
        var (_, split, model) = Trained.Value;
        var again = QacModel.Train(split.TrainSessions, Options() with { Threads = 2 });
        for (int b = 0; b < 3; b++)
            for (int f = 0; f < QacRanker.FeatureNames.Count; f++)
                Assert.That(again.Ranker!.Weight(b, f), Is.EqualTo(model.Ranker!.Weight(b, f)));
    }

    [Test]
    public void NoRankerUsersTrainsTheModelWithoutARankerOnEverySession()
    {
        var (_, split, _) = Trained.Value;
        var plain = QacModel.Train(split.TrainSessions, Options(rankerUsers: 0));
        Assert.That(plain.Ranker, Is.Null);
        var s = plain.Suggest(SyntheticQueryLog.Context(5), "b");
        Assert.That(s.All(x => !x.Fused));
        Assert.That(s[0].Query, Is.EqualTo(SyntheticQueryLog.Target(5)));
    }

    [Test]
    public void SuggestionsNameEverySourceThatProposedThem()
    {
        var model = Trained.Value.Model;
        var s = model.Suggest(SyntheticQueryLog.Context(5), "b");
        Assert.That(s[0].Query, Is.EqualTo(SyntheticQueryLog.Target(5)), "the context decides the target");
        Assert.That(s[0].Source.HasFlag(QacSuggestionSource.Model));
        Assert.That(s[0].ModelScore, Is.Not.Null);
        Assert.That(s.Select(x => x.Score), Is.Ordered.Descending);
        Assert.That(s.Any(x => x.Source.HasFlag(QacSuggestionSource.MostPopular)), "the popular queries starting with b are in the pool");
        Assert.That(QacSuggestionSourceNames.ToName(QacSuggestionSource.Model | QacSuggestionSource.MostPopular), Is.EqualTo("model+popular"));
    }

    [Test]
    public void ARankerFileThatDoesNotFitIsRefusedNamingTheFile()
    {
        var (dir, _, model) = Trained.Value;
        string path = dir.File("bad-ranker");
        model.Save(path);
        string current = File.ReadAllText(Path.Combine(path, "CURRENT")).Trim();
        string file = Path.Combine(path, current, "ranker.json");
        string text = File.ReadAllText(file);
        File.WriteAllText(file, text.Replace("\"model_present\"", "\"other_feature\""));
        var e = Assert.Throws<XmrEngine.IO.XmrDataException>(() => QacModel.Load(path));
        Assert.That(e!.Message, Does.Contain("ranker.json").And.Contain("features"));
        File.WriteAllText(file, text[..(text.Length / 2)]);
        e = Assert.Throws<XmrEngine.IO.XmrDataException>(() => QacModel.Load(path));
        Assert.That(e!.Message, Does.Contain("ranker.json"));
    }
}
