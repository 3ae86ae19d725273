using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

/// <summary>
/// Training checkpoints: a run stopped after some levels and resumed from its checkpoint gives the model an
/// uninterrupted run gives, bit for bit; a checkpoint of other data or options, or a damaged piece, is refused
/// with the file named.
/// </summary>
public class TrainingCheckpointTests
{
    private static readonly (CsrMatrix X, CsrMatrix Y) Data = SyntheticData.Make(n: 900, d: 300, labels: 120, seed: 9);

    /// <summary>Depth 3 or more (leaves of at most 8, 4-way), so a run can stop between levels.</summary>
    private static readonly XLinearTrainOptions Options = new() { Threads = 2, Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 8, NrSplits = 4 } };

    /// <summary>Cancels the run once any tree starts level <paramref name="level"/>.</summary>
    private sealed class StopAtLevel(int level, CancellationTokenSource cts) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Level >= level) cts.Cancel();
        }
    }

    private static void AssertSameEnsemble(XLinearEnsemble expected, XLinearEnsemble actual)
    {
        Assert.That(actual.Trees, Has.Count.EqualTo(expected.Trees.Count));
        for (int i = 0; i < expected.Trees.Count; i++) XLinearTrainerTests.AssertSameModel(expected.Trees[i], actual.Trees[i]);
    }

    /// <summary>Runs training with a fresh checkpoint until some tree reaches <paramref name="stopLevel"/>, then stops it.</summary>
    private static void TrainUntilStopped(string folder, XLinearTrainOptions options, int stopLevel)
    {
        using var cts = new CancellationTokenSource();
        var store = TrainingCheckpointDirectory.Create(folder, Data.X, Data.Y, options);
        Assert.That(() => XLinearTrainer.TrainEnsemble(Data.X, Data.Y, options, store, new StopAtLevel(stopLevel, cts), cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [TestCase(1, NegativeSampling.Tfn, 1)]
    [TestCase(1, NegativeSampling.Tfn, 2)]
    [TestCase(1, NegativeSampling.Tfn | NegativeSampling.Man, 2)]
    [TestCase(2, NegativeSampling.Tfn, 2)]
    public void AResumedRunGivesTheModelOfAnUninterruptedOne(int trees, NegativeSampling negatives, int stopLevel)
    {
        var options = Options with { Trees = trees, Negatives = negatives };
        var reference = XLinearTrainer.TrainEnsemble(Data.X, Data.Y, options);
        Assert.That(reference.Trees[0].Chain.Depth, Is.GreaterThanOrEqualTo(3), "the test needs levels to stop between");
        using var dir = new TempDir();
        string folder = dir.File("ck");
        TrainUntilStopped(folder, options, stopLevel);
        Assert.That(File.Exists(Path.Combine(folder, "tree-0-level-0.npz")), Is.True, "level 0 was stored before the stop");
        Assert.That(Enumerable.Range(0, trees).Any(i => !File.Exists(Path.Combine(folder, $"tree-{i}-level-{reference.Trees[i].Chain.Depth - 1}.npz"))),
            Is.True, "the stop left a level to train");

        var resumed = TrainingCheckpointDirectory.Resume(folder, Data.X, Data.Y, options);
        var model = XLinearTrainer.TrainEnsemble(Data.X, Data.Y, options, resumed);
        Assert.That(resumed.Reused.Trees, Is.EqualTo(trees), "every tree came from the checkpoint");
        Assert.That(resumed.Reused.Levels, Is.GreaterThanOrEqualTo(stopLevel), "the finished levels came from the checkpoint");
        AssertSameEnsemble(reference, model);

        // A second resume takes everything from the folder and still gives the same model; Delete empties it.
        var again = TrainingCheckpointDirectory.Resume(folder, Data.X, Data.Y, options);
        AssertSameEnsemble(reference, XLinearTrainer.TrainEnsemble(Data.X, Data.Y, options, again));
        Assert.That(again.Reused.Levels, Is.EqualTo(reference.Trees.Sum(t => t.Chain.Depth)));
        again.Delete();
        Assert.That(Directory.Exists(folder), Is.False);
    }

    [Test]
    public void ThreadCountsDoNotChangeTheFingerprint_ButDataAndOptionsDo()
    {
        string a = TrainingCheckpointDirectory.Fingerprint(Data.X, Data.Y, Options);
        Assert.That(TrainingCheckpointDirectory.Fingerprint(Data.X, Data.Y, Options with { Threads = 1 }), Is.EqualTo(a));
        Assert.That(TrainingCheckpointDirectory.Fingerprint(Data.X, Data.Y, Options with { Cp = 2 }), Is.Not.EqualTo(a));
        Assert.That(TrainingCheckpointDirectory.Fingerprint(Data.X, Data.Y, Options with { Indexer = Options.Indexer with { MaxLeafSize = 9 } }), Is.Not.EqualTo(a));
        Assert.That(TrainingCheckpointDirectory.Fingerprint(Data.X, Data.Y, Options with { Seed = 1 }), Is.Not.EqualTo(a));
        var other = SyntheticData.Make(n: 900, d: 300, labels: 120, seed: 10);
        Assert.That(TrainingCheckpointDirectory.Fingerprint(other.X, Data.Y, Options), Is.Not.EqualTo(a));
        Assert.That(TrainingCheckpointDirectory.Fingerprint(Data.X, other.Y, Options), Is.Not.EqualTo(a));
    }

    [Test]
    public void ResumingOtherOptionsOrAMissingCheckpointIsRefusedWithTheFolderNamed()
    {
        using var dir = new TempDir();
        string folder = dir.File("ck");
        Assert.That(() => TrainingCheckpointDirectory.Resume(folder, Data.X, Data.Y, Options),
            Throws.TypeOf<XmrDataException>().With.Message.Contains(folder).And.Message.Contains("no training checkpoint"));
        TrainUntilStopped(folder, Options, 1);
        Assert.That(() => TrainingCheckpointDirectory.Resume(folder, Data.X, Data.Y, Options with { Cp = 2 }),
            Throws.TypeOf<XmrDataException>().With.Message.Contains("checkpoint.json").And.Message.Contains("other training data or options"));
        File.WriteAllText(Path.Combine(folder, "checkpoint.json"), "{\"format\": 1");
        Assert.That(() => TrainingCheckpointDirectory.Resume(folder, Data.X, Data.Y, Options),
            Throws.TypeOf<XmrDataException>().With.Message.Contains("checkpoint.json").And.Message.Contains("damaged"));
    }

    [Test]
    public void ADamagedPieceIsReportedWithItsFile()
    {
        using var dir = new TempDir();
        string folder = dir.File("ck");
        TrainUntilStopped(folder, Options, 2);
        string level = Path.Combine(folder, "tree-0-level-0.npz");
        var bytes = File.ReadAllBytes(level);
        File.WriteAllBytes(level, bytes[..(bytes.Length / 2)]);
        var resumed = TrainingCheckpointDirectory.Resume(folder, Data.X, Data.Y, Options);
        Assert.That(() => XLinearTrainer.TrainEnsemble(Data.X, Data.Y, Options, resumed),
            Throws.TypeOf<XmrDataException>().With.Message.Contains("tree-0-level-0.npz"));

        string chain = Path.Combine(folder, "tree-0-chain.json");
        File.WriteAllText(chain, "{\"depth\": 0}");
        Assert.That(() => XLinearTrainer.TrainEnsemble(Data.X, Data.Y, Options, TrainingCheckpointDirectory.Resume(folder, Data.X, Data.Y, Options)),
            Throws.TypeOf<XmrDataException>().With.Message.Contains("tree-0-chain.json").And.Message.Contains("out of range"));
    }

    [Test]
    public void ANewCheckpointRemovesTheFilesOfAnOldOneButNothingElse()
    {
        using var dir = new TempDir();
        string folder = dir.File("ck");
        TrainUntilStopped(folder, Options, 2);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        TrainingCheckpointDirectory.Create(folder, Data.X, Data.Y, Options);
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "checkpoint.json", "notes.txt" }));
    }
}
