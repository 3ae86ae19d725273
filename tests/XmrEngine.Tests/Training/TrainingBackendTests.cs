using XmrEngine.Indexing;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

/// <summary>
/// A training run computes on the kernels object its front end resolved and put in the options; the library never
/// looks a backend up itself. Proved by making every lookup fail: with <c>XMR_BACKEND</c> naming no backend,
/// <see cref="KernelRegistry.Get"/> throws for the automatic choice, so any lookup inside training would surface.
/// </summary>
[NonParallelizable]
public class TrainingBackendTests
{
    private static readonly (CsrMatrix X, CsrMatrix Y) Data = SyntheticData.Make(n: 500, d: 200, labels: 60, seed: 9);

    private static readonly XLinearTrainOptions Options = new()
    {
        Threads = 2, Negatives = NegativeSampling.TfnMan, Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 6 },
    };

    private static T WithoutAnyBackendLookup<T>(Func<T> run)
    {
        string? saved = Environment.GetEnvironmentVariable(KernelRegistry.EnvironmentVariable);
        Environment.SetEnvironmentVariable(KernelRegistry.EnvironmentVariable, "no-such-backend");
        try
        {
            Assert.That(() => KernelRegistry.Get(), Throws.ArgumentException, "every lookup fails here");
            return run();
        }
        finally
        {
            Environment.SetEnvironmentVariable(KernelRegistry.EnvironmentVariable, saved);
        }
    }

    [Test]
    public void TrainingNeverResolvesABackend_ItUsesTheOneInTheOptions()
    {
        var expected = XLinearTrainer.TrainEnsemble(Data.X, Data.Y, Options with { Trees = 2 });
        // Tree (PIFA product, k-means centres), every node's solve, MAN mining, for one tree and for an ensemble.
        var ensemble = WithoutAnyBackendLookup(() => XLinearTrainer.TrainEnsemble(Data.X, Data.Y, Options with { Trees = 2 }));
        var one = WithoutAnyBackendLookup(() => XLinearTrainer.Train(Data.X, Data.Y, Options));
        for (int i = 0; i < 2; i++) XLinearTrainerTests.AssertSameModel(ensemble.Trees[i], expected.Trees[i]);
        XLinearTrainerTests.AssertSameModel(one, expected.Trees[0]);
    }

    [Test]
    public void TheTreeStepAndPartitionedTrainingNeverResolveABackend()
    {
        var tfn = Options with { Negatives = NegativeSampling.Tfn, Kernels = KernelRegistry.Get(KernelBackend.Reference) };
        var labelText = Data.Y.Transpose();
        var (chain, withText, levels) = WithoutAnyBackendLookup(() =>
        {
            var tree = PartitionedTraining.BuildTree(Data.X, Data.Y, tfn);
            return (tree, XLinearTrainer.BuildTree(Data.X, Data.Y, tfn, labelText), PartitionedTraining.TrainLevels(Data.X, Data.Y, tree, tfn, 0, tree.Depth));
        });
        Assert.That(chain.LabelCount, Is.EqualTo(Data.Y.Cols));
        Assert.That(withText.LabelCount, Is.EqualTo(Data.Y.Cols));
        Assert.That(levels, Has.Length.EqualTo(chain.Depth));
    }

    [Test]
    public void IndexersAndPifaWithoutKernels_UseTheManagedOnes_NotTheEnvironment()
    {
        var z = WithoutAnyBackendLookup(() => LabelEmbedding.Pifa(Data.X, Data.Y));
        var chain = WithoutAnyBackendLookup(() => new HierarchicalKMeansIndexer(Options.Indexer).Build(z));
        Assert.That(chain.LabelCount, Is.EqualTo(Data.Y.Cols));
    }
}
