using System.Text.Json;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Indexing;
using XmrEngine.Tests.Apps.AutoComplete;
using XmrEngine.Training;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// The minimum popularity through real Kestrel: it is the model's setting (trained in, saved with it), so the server
/// applies whatever each model recorded: a suggestion that only popularity proposed (source without "model") was seen
/// at least that often in training.
/// </summary>
public sealed class MinPopularCountTests
{
    [Test]
    public async Task PopularOnlySuggestionsMeetEachModelsRecordedMinimum()
    {
        await using var host = await TestHost.StartAsync(kestrel: true, prepare: dir =>
        {
            string log = Path.Combine(dir, ".log.tsv");
            SyntheticQueryLog.WriteTsv(log, sessions: 600, seed: 1);
            var split = QacSplit.Load(log, new QacDataOptions());
            foreach (int min in new[] { 1, 3 })
            {
                QacModel.Train(split.TrainPairs, new QacTrainOptions
                {
                    TrieDepth = 1,
                    Threads = 1,
                    MinPopularCount = min,
                    XLinear = new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 4, NrSplits = 4 } },
                }).Save(Path.Combine(dir, $"min{min}"));
            }
        });
        using var any = QacModel.Load(host.Path("min1"));
        using var strict = QacModel.Load(host.Path("min3"));
        Assert.That(QacModel.Load(host.Path("qac")).Settings.MinPopularCount, Is.EqualTo(2), "a model trained with the defaults records 2");
        Assert.That(strict.Settings.MinPopularCount, Is.EqualTo(3));
        var counts = Enumerable.Range(0, any.Labels.Count).ToDictionary(i => any.Labels[i], i => any.Counts[i]);
        // Short prefixes, and the rare queries typed in full: popularity would offer those first.
        var rare = counts.Where(c => c.Value < 3).Select(c => c.Key).ToList();
        Assert.That(rare, Is.Not.Empty, "the log has queries seen fewer than 3 times");
        var prefixes = any.Labels.Select(l => l[..Math.Min(2, l.Length)]).Concat(rare).Distinct().ToList();

        int rareFromAny = 0, popularChecked = 0;
        foreach (string previous in new[] { "", "context3 alpha3", "context1 alpha1" })
        {
            foreach (string prefix in prefixes)
            {
                foreach (var (text, source) in await Suggest(host, "min3", previous, prefix))
                {
                    if (source.Contains("model", StringComparison.Ordinal)) continue;
                    popularChecked++;
                    Assert.That(counts[text], Is.GreaterThanOrEqualTo(3), $"'{text}' ({source}) for '{previous}' + '{prefix}'");
                }
                rareFromAny += (await Suggest(host, "min1", previous, prefix)).Count(s => !s.Source.Contains("model", StringComparison.Ordinal) && counts[s.Text] < 3);
            }
        }
        Assert.That(popularChecked, Is.GreaterThan(0));
        Assert.That(rareFromAny, Is.GreaterThan(0), "the model recorded with minimum 1 does offer the rare queries on popularity");
    }

    private static async Task<List<(string Text, string Source)>> Suggest(TestHost host, string model, string previous, string prefix)
    {
        string prev = previous.Length > 0 ? $"&prev={Uri.EscapeDataString(previous)}" : "";
        using var doc = JsonDocument.Parse(await host.Client.GetStringAsync($"/v1/qac/{model}/suggest?prefix={Uri.EscapeDataString(prefix)}{prev}&count=10"));
        return doc.RootElement.GetProperty("suggestions").EnumerateArray()
            .Select(s => (s.GetProperty("text").GetString()!, s.GetProperty("source").GetString()!)).ToList();
    }
}
