using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// Matcher-aware negatives are mined with the beam the model file stores, whichever way the beam is chosen: the file
/// `xmr train` writes is the one the library trains from the file's own training record and its <c>beam_size</c>.
/// </summary>
public class ManBeamCliTests
{
    private static CliData Data => CliData.Shared;

    // A 3-level tree (2, 8, 60 nodes), so a beam of 5 keeps fewer level-1 nodes than a beam of 10 and the mined
    // negatives of the last level differ between the two.
    private static readonly string[] DeepTree = ["--negatives", "tfn+man", "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1"];

    [TestCase("fast", 5)]
    [TestCase("balanced", 10)]
    [TestCase("pecos", 10)]
    [TestCase("quality", null)]
    [TestCase("balanced", 7, "--beam-size", "7")]
    [TestCase("fast", 3, "--beam-size", "3")]
    public void MiningBeamIsTheStoredBeam(string preset, int? storedBeam, params string[] extra)
    {
        using var dir = CliData.Scratch();
        string model = dir.File($"{preset}.xmr"), again = dir.File("again.xmr");
        var run = Xmr.Run(["train", "-x", Data.Train, "-m", model, "--preset", preset, .. DeepTree, .. extra]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        XLinearModelFile.LoadEnsemble(model, out var metadata);
        if (storedBeam is { } beam) Assert.That(metadata.Prediction.BeamSize, Is.EqualTo(beam));
        var record = metadata.Training!;
        Assert.That(record.ManBeamSize, Is.EqualTo(metadata.Prediction.BeamSize), "the file records no other mining beam");

        // The library, told the file's settings and the file's beam, trains the same file. The pecos preset, which the
        // file names, also means PECOS's exact arithmetic.
        bool exact = record.Preset == "pecos";
        var options = new XLinearTrainOptions
        {
            Solver = record.Solver, Negatives = record.Negatives, Cp = record.Cp, Cn = record.Cn, Eps = record.Eps, Threshold = record.Threshold,
            Seed = record.Seed, Trees = record.Trees, Threads = 1, ManBeamSize = metadata.Prediction.BeamSize, ExactPecos = exact,
            Indexer = new HierarchicalKMeansOptions { NrSplits = record.NrSplits, MaxLeafSize = record.MaxLeafSize, EmptyRowsLast = record.EmptyLabelsLast, ExactPecos = exact },
        };
        var data = XmcTextFormat.Read(Data.Train);
        var trained = XLinearTrainer.TrainEnsemble(data.Features.NormalizeRows(RowNorm.L2), data.Labels, options);
        Assert.That(trained.Trees[0].Chain.Depth, Is.EqualTo(3), "the tree is deep enough for the beam to matter");
        XLinearModelFile.Save(again, trained, metadata);
        Assert.That(File.ReadAllBytes(again), Is.EqualTo(File.ReadAllBytes(model)), $"--preset {preset}: mined with beam {metadata.Prediction.BeamSize}");
    }
}
