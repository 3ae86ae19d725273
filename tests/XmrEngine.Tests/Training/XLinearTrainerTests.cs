using XmrEngine.Inference;
using XmrEngine.Indexing;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Training;
using XmrEngine.Kernels;

namespace XmrEngine.Tests.Training;

public class XLinearTrainerTests
{
    private static readonly (CsrMatrix X, CsrMatrix Y) Data = SyntheticData.Make(n: 900, d: 300, labels: 120, seed: 3);

    /// <summary>A deep tree on 120 labels: leaves of at most 8, 4-way branching.</summary>
    private static readonly XLinearTrainOptions DeepTree = new() { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 8, NrSplits = 4 } };

    private sealed class Recorder : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = new();

        public void Report(TrainingProgress value)
        {
            lock (Reports) Reports.Add(value);
        }
    }

    /// <summary>The same tree and the same weights, bit for bit.</summary>
    internal static void AssertSameModel(XLinearModel a, XLinearModel b)
    {
        Assert.That(a.Chain.Depth, Is.EqualTo(b.Chain.Depth));
        for (int t = 0; t < a.Chain.Depth; t++)
        {
            Assert.That(a.Chain.Levels[t].Indices.ToArray(), Is.EqualTo(b.Chain.Levels[t].Indices.ToArray()), $"tree level {t}");
            Assert.That(a.Weights[t].Pointers.ToArray(), Is.EqualTo(b.Weights[t].Pointers.ToArray()), $"weights {t} pointers");
            Assert.That(a.Weights[t].Indices.ToArray(), Is.EqualTo(b.Weights[t].Indices.ToArray()), $"weights {t} rows");
            Assert.That(a.Weights[t].Values.ToArray(), Is.EqualTo(b.Weights[t].Values.ToArray()), $"weights {t} values");
        }
    }

    private static double PrecisionAt1(XLinearModel model, CsrMatrix x, CsrMatrix y)
    {
        // Through the serving predictor (beam 10, l3-hinge), as a user would score the model.
        var predictor = new XLinearPredictor(model, PredictOptions.Default with { TopK = 1 });
        int hits = 0, labelled = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            if (y.RowLength(i) == 0) continue;
            labelled++;
            var top = predictor.Predict(x.Row(i).Indices, x.Row(i).Values, options: null);
            if (top.Length > 0 && y.Row(i).Indices.BinarySearch(top[0].Label) >= 0) hits++;
        }
        return (double)hits / labelled;
    }

    [TestCase(NegativeSampling.Tfn)]
    [TestCase(NegativeSampling.Man)]
    [TestCase(NegativeSampling.TfnMan)]
    public void ResultDoesNotDependOnThreads(NegativeSampling negatives)
    {
        var o = DeepTree with { Negatives = negatives };
        var one = XLinearTrainer.Train(Data.X, Data.Y, o with { Threads = 1 });
        var two = XLinearTrainer.Train(Data.X, Data.Y, o with { Threads = 2 });
        Assert.That(one.Chain.Depth, Is.GreaterThanOrEqualTo(3));
        AssertSameModel(one, two);
    }

    [TestCase(NegativeSampling.Tfn, SolverType.L2Hinge)]
    [TestCase(NegativeSampling.Tfn, SolverType.Logistic)]
    [TestCase(NegativeSampling.TfnMan, SolverType.L2Hinge)]
    public void SiblingsSharingALoadedProblemTrainAsIfAlone(NegativeSampling negatives, SolverType solver)
    {
        // Grouping siblings only saves loading their common rows; every node must come out as when it is
        // trained on its own, whatever the group size.
        var o = DeepTree with { Negatives = negatives, Solver = solver, Threads = 1 };
        var alone = XLinearTrainer.Train(Data.X, Data.Y, o with { SiblingGroupLimit = 1 });
        foreach (int limit in new[] { 2, 3, 1000 })
            AssertSameModel(alone, XLinearTrainer.Train(Data.X, Data.Y, o with { SiblingGroupLimit = limit }));
    }

    [Test]
    public void SiblingGroupsCoverEveryNodeOnceAndNeverMixParents()
    {
        // Nodes listed out of parent order: 0->1, 1->0, 2->1, 3->0, 4->1, 5->2.
        var level = ClusterChain.LevelFromParents([1, 0, 1, 0, 1, 2], 3);
        var groups = LevelTrainer.SiblingGroups(level, maxGroup: 2);
        Assert.That(groups.Select(g => g.ToArray()), Is.EqualTo(new[] { new[] { 1, 3 }, new[] { 0, 2 }, new[] { 4 }, new[] { 5 } }));
    }

    [Test]
    public void BalancedSiblingGroupsSplitTheHeavyParentAndComeLargestFirst()
    {
        // Parent 0: 8 children on 1,000 candidates each; parent 1: 8 children on 10; parent 2: 4 children on none.
        var parents = Enumerable.Repeat(0, 8).Concat(Enumerable.Repeat(1, 8)).Concat(Enumerable.Repeat(2, 4)).ToArray();
        var level = ClusterChain.LevelFromParents(parents, 3);
        var groups = LevelTrainer.BalancedSiblingGroups(level, [1000, 10, 0], threads: 2);
        Assert.That(groups.SelectMany(g => g).Order(), Is.EqualTo(Enumerable.Range(0, parents.Length)), "every node once");
        Assert.That(groups.All(g => g.Select(j => parents[j]).Distinct().Count() == 1), "never mixes parents");
        // Total work 8,080; a group holds at most 8,080 / 16 = 505 of it: parent 0's children one per group.
        Assert.That(groups.Count(g => parents[g[0]] == 0), Is.EqualTo(8));
        Assert.That(groups.Count(g => parents[g[0]] == 1), Is.EqualTo(1), "light siblings still share one loaded problem");
        Assert.That(groups.Count(g => parents[g[0]] == 2), Is.EqualTo(1));
        var work = groups.Select(g => new long[] { 1000, 10, 0 }[parents[g[0]]] * g.Length).ToArray();
        Assert.That(work, Is.Ordered.Descending, "largest groups first");
    }

    [Test]
    public void RelabellingRejectsPositivesOutsideTheLoadedInstances()
    {
        var ws = new SolverWorkspace(4);
        ws.BeginProblem();
        ws.AddInstance(2, -1);
        ws.AddInstance(5, -1);
        ws.Relabel([5]);
        Assert.That(ws.Label.Take(2), Is.EqualTo(new sbyte[] { -1, 1 }));
        Assert.That(() => ws.Relabel([3, 5]), Throws.ArgumentException.With.Message.Contains("cannot be shared"));
    }

    [TestCase(SolverType.L2Hinge, NegativeSampling.Tfn)]
    [TestCase(SolverType.L1Hinge, NegativeSampling.Tfn)]
    [TestCase(SolverType.Logistic, NegativeSampling.Tfn)]
    [TestCase(SolverType.L2Hinge, NegativeSampling.TfnMan)]
    public void LearnsTheTrainingLabels(SolverType solver, NegativeSampling negatives)
    {
        var model = XLinearTrainer.Train(Data.X, Data.Y, DeepTree with { Solver = solver, Negatives = negatives });
        Assert.That(PrecisionAt1(model, Data.X, Data.Y), Is.GreaterThan(0.9));
    }

    [Test]
    public void WeightsHaveTheContractShapeAndArePruned()
    {
        var model = XLinearTrainer.Train(Data.X, Data.Y, DeepTree with { Threshold = 0.2f });
        Assert.That(model.FeatureCount, Is.EqualTo(300));
        Assert.That(model.Bias, Is.EqualTo(1f));
        bool anyBias = false;
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            var w = model.Weights[t];
            Assert.That((w.Rows, w.Cols), Is.EqualTo((301, model.Chain.Levels[t].Rows)));
            Assert.That(w.Values.ToArray(), Has.All.Matches<float>(v => Math.Abs(v) >= 0.2f));
            for (int j = 0; j < w.Cols; j++) anyBias |= w.Column(j).Indices.Length > 0 && w.Column(j).Indices[^1] == 300;
        }
        Assert.That(anyBias, Is.True, "bias weights live in row D");
    }

    [Test]
    public void NonzeroCapIsRespected()
    {
        var model = XLinearTrainer.Train(Data.X, Data.Y, DeepTree with { Threshold = 0f, MaxNonzerosPerNode = 5 });
        foreach (var w in model.Weights)
            for (int j = 0; j < w.Cols; j++) Assert.That(w.ColumnLength(j), Is.LessThanOrEqualTo(5));
        Assert.That(model.Weights[^1].ColumnLength(0), Is.EqualTo(5));
    }

    [Test]
    public void ZeroBiasTrainsWithoutBiasRow()
    {
        var model = XLinearTrainer.Train(Data.X, Data.Y, DeepTree with { Bias = 0f, Threshold = 0f });
        Assert.That(model.Bias, Is.EqualTo(0f));
        foreach (var w in model.Weights) Assert.That(w.Indices.ToArray(), Has.None.EqualTo(300));
    }

    [Test]
    public void LabelWithoutPositivesIsScoredNegative()
    {
        var model = XLinearTrainer.Train(Data.X, Data.Y, DeepTree);
        var col = model.Weights[^1].Column(119);
        for (int i = 0; i < Data.X.Rows; i++)
        {
            var row = Data.X.Row(i);
            float s = 0;
            for (int k = 0; k < col.Length; k++)
                s += col.Indices[k] == 300 ? col.Values[k] : row.Indices.BinarySearch(col.Indices[k]) is var p and >= 0 ? row.Values[p] * col.Values[k] : 0f;
            Assert.That(s, Is.LessThan(0), $"instance {i}");
        }
    }

    [Test]
    public void EmptyLabelMatrixGivesEmptyLowerLevels()
    {
        var y = CsrMatrix.Empty(Data.X.Rows, 250);
        var model = XLinearTrainer.Train(Data.X, y, new XLinearTrainOptions());
        Assert.That(model.Chain.Depth, Is.EqualTo(2));
        Assert.That(model.Weights[1].Nnz, Is.EqualTo(0), "no node below the top level has candidates");
        var top = model.Weights[0];
        for (int j = 0; j < top.Cols; j++)
        {
            Assert.That(top.Column(j).Indices[^1], Is.EqualTo(Data.X.Cols), "top nodes learn a negative bias");
            Assert.That(top.Column(j).Values[^1], Is.LessThan(0));
        }
    }

    [Test]
    public void FewLabelsGiveOneVersusAll()
    {
        var (x, y) = SyntheticData.Make(n: 300, d: 100, labels: 20, seed: 5);
        var model = XLinearTrainer.Train(x, y, new XLinearTrainOptions());
        Assert.That(model.Chain.Depth, Is.EqualTo(1));
        Assert.That(model.Weights, Has.Count.EqualTo(1));
        Assert.That(model.Weights[0].Cols, Is.EqualTo(20));
        Assert.That(PrecisionAt1(model, x, y), Is.GreaterThan(0.9));
    }

    [Test]
    public void NegativeSchemesPickDifferentCandidates()
    {
        // Two clusters: labels {0,1} and {2,3}; only labels 0 and 1 occur. Under TFN, labels 2 and 3
        // have no candidates (nobody has a label in their cluster), so their columns stay empty;
        // under MAN the beam (width 10 over 2 clusters) routes everybody to both clusters.
        var (x, _) = SyntheticData.Make(n: 200, d: 50, labels: 4, seed: 7);
        var yb = new CooBuilder(200, 4);
        for (int i = 0; i < 200; i++) yb.Add(i, i % 2, 1f);
        var y = yb.ToCsr();
        var chain = new ClusterChain([ClusterChain.LevelFromParents([0, 0], 1), ClusterChain.LevelFromParents([0, 0, 1, 1], 2)]);
        var o = new XLinearTrainOptions { Threshold = 0f };
        var tfn = XLinearTrainer.Train(x, y, chain, o);
        var man = XLinearTrainer.Train(x, y, chain, o with { Negatives = NegativeSampling.Man });
        var both = XLinearTrainer.Train(x, y, chain, o with { Negatives = NegativeSampling.TfnMan });
        Assert.That((tfn.Weights[1].ColumnLength(2), tfn.Weights[1].ColumnLength(3)), Is.EqualTo((0, 0)));
        Assert.That(man.Weights[1].ColumnLength(2), Is.GreaterThan(0));
        Assert.That(both.Weights[1].ColumnLength(3), Is.GreaterThan(0));
        Assert.That(tfn.Weights[1].ColumnLength(0), Is.GreaterThan(0));
    }

    [Test]
    public void ProgressCoversEveryLevel()
    {
        var rec = new Recorder();
        var model = XLinearTrainer.Train(Data.X, Data.Y, DeepTree, rec);
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            var level = rec.Reports.Where(r => r.Level == t).ToList();
            Assert.That(level, Is.Not.Empty, $"level {t}");
            Assert.That(level.Max(r => r.NodesDone), Is.EqualTo(model.Chain.Levels[t].Rows));
            Assert.That(level, Has.All.Matches<TrainingProgress>(r => r.NodesTotal == model.Chain.Levels[t].Rows && r.LevelCount == model.Chain.Depth));
        }
    }

    [Test]
    public void CancellationStopsTraining()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var chain = ClusterChain.Flat(Data.Y.Cols);
        Assert.That(() => XLinearTrainer.Train(Data.X, Data.Y, chain, new XLinearTrainOptions(), null, cts.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(() => XLinearTrainer.Train(Data.X, Data.Y, new XLinearTrainOptions(), null, cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    /// <summary>Records every report and cancels once two nodes of the last level are done.</summary>
    private sealed class CancelInLastLevel(CancellationTokenSource cts) : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = new();

        public void Report(TrainingProgress value)
        {
            lock (Reports) Reports.Add(value);
            if (value.Level == value.LevelCount - 1 && value.NodesDone >= 2) cts.Cancel();
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    public void CancellationDuringALevelStopsWithinIt(int threads)
    {
        // Siblings are trained in groups; cancelling in the middle of the last level must end training
        // (with OperationCanceledException, not an AggregateException) long before the level is done.
        var o = DeepTree with { Threads = threads, SiblingGroupLimit = 1000 };
        var chain = new HierarchicalKMeansIndexer(o.Indexer).Build(LabelEmbedding.Pifa(Data.X, Data.Y));
        using var cts = new CancellationTokenSource();
        var progress = new CancelInLastLevel(cts);
        Assert.That(() => XLinearTrainer.Train(Data.X, Data.Y, chain, o, progress, cts.Token), Throws.InstanceOf<OperationCanceledException>());
        var last = progress.Reports.Where(r => r.Level == chain.Depth - 1).ToList();
        Assert.That(last, Is.Not.Empty);
        Assert.That(last.Max(r => r.NodesDone), Is.LessThan(chain.Levels[^1].Rows / 2), "training stopped soon after the cancellation");
    }

    [Test]
    public void BadInputsAreRejected()
    {
        var o = new XLinearTrainOptions();
        Assert.That(() => XLinearTrainer.Train(Data.X, CsrMatrix.Empty(5, 3), o), Throws.ArgumentException.With.Message.Contains("900").And.Message.Contains("5"));
        Assert.That(() => XLinearTrainer.Train(Data.X, CsrMatrix.Empty(900, 0), o), Throws.ArgumentException.With.Message.Contains("no label columns"));
        Assert.That(() => XLinearTrainer.Train(Data.X, Data.Y, ClusterChain.Flat(7), o), Throws.ArgumentException.With.Message.Contains("7 labels"));
        Assert.That(() => XLinearTrainer.Train(Data.X, Data.Y, null!), Throws.ArgumentNullException);
    }
}
