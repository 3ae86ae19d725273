using System.Text.Json.Nodes;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Apps.AutoComplete;

/// <summary>
/// The minimum popularity is the model's: trained in, saved with it, and applied to every suggestion that comes from
/// popularity alone, while the model's own beam candidates are not subject to it.
/// </summary>
public class QacMinPopularCountTests
{
    private static QacModel Train(QacSplit split, int minPopularCount) => QacModel.Train(split.TrainPairs, new QacTrainOptions
    {
        TrieDepth = 1,
        Threads = 1,
        MinPopularCount = minPopularCount,
        XLinear = new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 4, NrSplits = 4 } },
    });

    [Test]
    public void PopularOnlySuggestionsNeedTheMinimumCountAndTheSettingIsSavedWithTheModel()
    {
        using var dir = new TempDir();
        string log = dir.File("log.tsv");
        SyntheticQueryLog.WriteTsv(log, sessions: 600, seed: 1);
        var split = QacSplit.Load(log, new QacDataOptions());
        var any = Train(split, 1);
        var frequent = Train(split, 3);
        Assert.That(new QacTrainOptions().MinPopularCount, Is.EqualTo(2), "the default");
        Assert.That(frequent.Settings.MinPopularCount, Is.EqualTo(3));
        Assert.That(frequent.MostPopular.MinCount, Is.EqualTo(3));

        var prefixes = any.Labels.SelectMany(l => Enumerable.Range(0, Math.Min(l.Length, 4) + 1).Select(n => l[..n])).Distinct().ToList();
        int rareOffered = 0;
        foreach (string prefix in prefixes)
        {
            // Without a previous query every suggestion is a popular one.
            var all = any.Suggest(null, prefix, 10);
            var kept = frequent.Suggest(null, prefix, 10);
            Assert.That(kept.Select(s => s.Count), Is.All.GreaterThanOrEqualTo(3), $"prefix '{prefix}'");
            Assert.That(kept.Select(s => s.Query), Is.EqualTo(Popular(any, prefix, 3).Take(10)), $"prefix '{prefix}': the same order, without the rare ones");
            rareOffered += all.Count(s => s.Count < 3);
        }
        Assert.That(rareOffered, Is.GreaterThan(0), "the log has rare queries that popularity offers at minimum 1");

        string path = dir.File("qac");
        frequent.Save(path);
        Assert.That(QacModel.Load(path).Settings.MinPopularCount, Is.EqualTo(3));

        // A model saved before the setting existed offers every query, as it did.
        string settings = Path.Combine(VersionedDirectory.Resolve(path, "qac.json"), "qac.json");
        var json = JsonNode.Parse(File.ReadAllText(settings))!.AsObject();
        Assert.That(json.Remove("min_popular_count"), Is.True);
        File.WriteAllText(settings, json.ToJsonString());
        Assert.That(QacModel.Load(path).Settings.MinPopularCount, Is.EqualTo(1));
        json["min_popular_count"] = 0;
        File.WriteAllText(settings, json.ToJsonString());
        var bad = Assert.Throws<XmrDataException>(() => QacModel.Load(path))!;
        Assert.That(bad.Message, Does.Contain("qac.json").And.Contain("min_popular_count"));
    }

    /// <summary>The oracle: every query with the prefix seen at least <paramref name="min"/> times, most frequent first (ties in ordinal order).</summary>
    private static IEnumerable<string> Popular(QacModel model, string prefix, int min) =>
        Enumerable.Range(0, model.Labels.Count)
            .Where(i => model.Labels[i].StartsWith(prefix, StringComparison.Ordinal) && model.Counts[i] >= min)
            .OrderByDescending(i => model.Counts[i]).ThenBy(i => model.Labels[i], StringComparer.Ordinal)
            .Select(i => model.Labels[i]);
}
