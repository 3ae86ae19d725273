using XmrEngine.Apps.AutoComplete;
using XmrEngine.Indexing;
using XmrEngine.Persistence;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Apps.AutoComplete;

/// <summary>
/// A loaded auto-complete model searches with its weights memory-mapped (no compile, little allocation: what makes a
/// server's reload cheap), answers as the trained model did, reads the CSC weights only when asked, and a folder saved
/// before the compiled levels were kept still loads and answers the same.
/// </summary>
public class QacMappedLoadTests
{
    [Test]
    public void ALoadedModel_IsMapped_AnswersAsTrained_AndReadsItsWeightsOnlyWhenAsked()
    {
        using var dir = new TempDir();
        string log = dir.File("log.tsv");
        SyntheticQueryLog.WriteTsv(log, sessions: 600, seed: 3);
        var split = QacSplit.Load(log, new QacDataOptions());
        var trained = QacModel.Train(split.TrainPairs, new QacTrainOptions
        {
            PrefixesPerPair = 3,
            Threads = 1,
            XLinear = new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 4, NrSplits = 4 } },
        });
        string path = dir.File("qac");
        trained.Save(path);
        var cases = PrefixSampler.TestCases(split.TestPairs, seed: 0).Take(200).ToArray();
        Assert.That(cases, Is.Not.Empty);

        using (var loaded = QacModel.Load(path))
        {
            Assert.That(loaded.Predictor.IsMemoryMapped, Is.True);
            foreach (var c in cases)
                Assert.That(Queries(loaded, c), Is.EqualTo(Queries(trained, c)), $"'{c.Previous}' + '{c.Prefix}'");
            Assert.That(loaded.XLinear.LabelCount, Is.EqualTo(trained.XLinear.LabelCount));
            Assert.That(loaded.XLinear.Weights.Select(w => w.Values.ToArray()), Is.EqualTo(trained.XLinear.Weights.Select(w => w.Values.ToArray())),
                "the weights read on demand are the trained ones");
            using var narrower = loaded.WithSearch(2, 5);
            Assert.That(narrower.Predictor.IsMemoryMapped, Is.False, "a re-searched copy compiles its own predictor and owns no mapping");
        }

        // A version saved without the compiled levels (as this app saved before): read and compiled, same answers.
        string current = Directory.GetDirectories(path).Single(d => Path.GetFileName(d).StartsWith("v-", StringComparison.Ordinal));
        string weights = Path.Combine(current, "xlinear.xmr");
        XLinearModelFile.Save(weights, XLinearModelFile.Load(weights), compiledLayout: false);
        using var older = QacModel.Load(path);
        Assert.That(older.Predictor.IsMemoryMapped, Is.False);
        foreach (var c in cases) Assert.That(Queries(older, c), Is.EqualTo(Queries(trained, c)));
    }

    private static string[] Queries(QacModel model, QacTestCase c) => model.Suggest(c.Previous, c.Prefix).Select(s => s.Query).ToArray();
}
