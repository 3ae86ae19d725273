using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

/// <summary>Training cut into a coordinator's top levels and subtree jobs assembles into the single-machine model, byte for byte.</summary>
public sealed class PartitionedTrainingTests
{
    [TestCase(1, 2, 0)]
    [TestCase(2, 3, 5)]
    [TestCase(2, 1, 9)]
    public void SyntheticData_SubtreeJobs_AssembleTheSameFile(int splitLevel, int jobs, int seed)
    {
        var (x, y) = SyntheticData.Make(600, 300, 120, seed);
        var options = new XLinearTrainOptions { Seed = seed, Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 6 } };
        AssertSameAsSingleMachine(x.NormalizeRows(), y, options, splitLevel, jobs);
    }

    [Test]
    [Category("RealData")]
    public void Bibtex_SubtreeJobs_AssembleTheSameFile()
    {
        var train = XmcTextFormat.Read(SharedData.RequireFile("bibtex/train.txt"));
        var options = new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 8 } };
        AssertSameAsSingleMachine(train.Features.NormalizeRows(), train.Labels, options, 2, 3);
    }

    [Test]
    public void ManNegativesAndEnsembles_AreRefused()
    {
        var (x, y) = SyntheticData.Make(50, 40, 10, 1);
        Assert.That(Assert.Throws<ArgumentException>(() => PartitionedTraining.BuildTree(x, y, new XLinearTrainOptions { Negatives = NegativeSampling.TfnMan }))!.Message, Does.Contain("tfn"));
        Assert.Throws<ArgumentException>(() => PartitionedTraining.BuildTree(x, y, new XLinearTrainOptions { Trees = 2 }));
        var chain = PartitionedTraining.BuildTree(x, y, new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 2 } });
        Assert.Throws<ArgumentException>(() => PartitionedTraining.TrainLevels(x, y, chain, new XLinearTrainOptions(), 1, 1));
        Assert.Throws<ArgumentException>(() => PartitionedTraining.TrainLevels(x, y, chain, new XLinearTrainOptions(), 1, chain.Depth, [chain.Levels[0].Rows]));
    }

    private static void AssertSameAsSingleMachine(CsrMatrix x, CsrMatrix y, XLinearTrainOptions options, int splitLevel, int jobs)
    {
        using var temp = new TempDir();
        string single = temp.File("single.xmr"), assembled = temp.File("assembled.xmr");
        XLinearModelFile.Save(single, XLinearTrainer.Train(x, y, options));

        var chain = PartitionedTraining.BuildTree(x, y, options);
        Assert.That(chain.Depth, Is.GreaterThan(splitLevel), "the tree is deep enough to split");
        var parts = new List<CscMatrix?[]>();
        var top = PartitionedTraining.TrainLevels(x, y, chain, options, 0, splitLevel);
        parts.Add([.. top, .. new CscMatrix?[chain.Depth - splitLevel]]);
        int roots = chain.Levels[splitLevel - 1].Rows;
        for (int j = 0; j < jobs; j++)
        {
            // Round-robin roots: the jobs' subtrees interleave, which a contiguous cut would not test.
            var mine = Enumerable.Range(0, roots).Where(r => r % jobs == j).ToArray();
            var levels = PartitionedTraining.TrainLevels(x, y, chain, options, splitLevel, chain.Depth, mine);
            parts.Add([.. new CscMatrix?[splitLevel], .. levels]);
        }
        XLinearModelFile.Save(assembled, PartitionedTraining.Assemble(chain, parts, x.Cols, options));
        Assert.That(File.ReadAllBytes(assembled), Is.EqualTo(File.ReadAllBytes(single)), $"split {splitLevel}, {jobs} jobs: same model file");
    }
}
