using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Serving;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Inference;

/// <summary>
/// <see cref="XLinearPredictor.PredictSelected"/>: scores exactly the selected (row, label) pairs, each the
/// label's full path score, as a brute force over every path of the tree computes it and as a beam search
/// wide enough to keep every node returns it.
/// </summary>
public class SelectedOutputTests
{
    /// <summary>Each row selects a random subset of the labels (some rows none, some all).</summary>
    private static CsrMatrix RandomSelection(int rows, int labels, int seed)
    {
        var rng = new Random(seed);
        var ptr = new long[rows + 1];
        var ids = new List<int>();
        for (int r = 0; r < rows; r++)
        {
            double share = r % 5 == 0 ? 0 : r % 5 == 1 ? 1 : rng.NextDouble() * 0.3;
            for (int l = 0; l < labels; l++)
                if (share == 1 || rng.NextDouble() < share) ids.Add(l);
            ptr[r + 1] = ids.Count;
        }
        // Values are ignored: negative ones and explicit zeros select as well as ones.
        var values = ids.Select((_, i) => (float)(i % 3 - 1)).ToArray();
        return new CsrMatrix(rows, labels, ptr, ids.ToArray(), values);
    }

    [TestCase(1, 51)]
    [TestCase(2, 52)]
    [TestCase(3, 53)]
    [TestCase(4, 54)]
    public void ScoresEqualTheBruteForceOverEveryPath(int depth, int seed)
    {
        var model = RandomModels.Model(depth, 250, 0.05, seed, bias: 0.5f);
        var x = RandomSparse.Csr(30, 250, 0.04, seed: seed + 100).NormalizeRows();
        var selected = RandomSelection(x.Rows, model.LabelCount, seed + 200);
        foreach (var post in new[] { PostProcessor.L3Hinge, PostProcessor.LogSigmoid, PostProcessor.Sigmoid, PostProcessor.Noop })
        {
            var scores = new XLinearPredictor(model).PredictSelected(x, selected, post, maxThreads: 2);
            Assert.That(scores.Pointers.ToArray(), Is.EqualTo(selected.Pointers.ToArray()), "row pointers");
            Assert.That(scores.Indices.ToArray(), Is.EqualTo(selected.Indices.ToArray()), "label ids");
            for (int r = 0; r < x.Rows; r++)
            {
                var q = x.Row(r);
                var all = RandomModels.Exhaustive(model, q.Indices.ToArray(), q.Values.ToArray(), post).ToDictionary(s => s.Label, s => s.Score);
                var row = scores.Row(r);
                for (int i = 0; i < row.Indices.Length; i++)
                    Assert.That(row.Values[i], Is.EqualTo(all[row.Indices[i]]).Within(1e-5f), $"{post}, row {r}, label {row.Indices[i]}");
            }
        }
    }

    [Test]
    public void ScoresAreBitwiseTheScoresOfABeamThatKeepsEveryNode()
    {
        var model = RandomModels.Model(3, 300, 0.05, 61);
        var x = RandomSparse.Csr(40, 300, 0.03, seed: 62).NormalizeRows();
        var predictor = new XLinearPredictor(model);
        var everything = predictor.Predict(x, new PredictOptions { BeamSize = RandomModels.MaxLevelWidth(model), TopK = model.LabelCount });
        var selected = RandomSelection(x.Rows, model.LabelCount, 63);
        var scores = predictor.PredictSelected(x, selected);
        for (int r = 0; r < x.Rows; r++)
        {
            var full = everything.Row(r);
            var row = scores.Row(r);
            for (int i = 0; i < row.Indices.Length; i++)
            {
                int at = full.Indices.BinarySearch(row.Indices[i]);
                Assert.That(at, Is.GreaterThanOrEqualTo(0), $"row {r}: label {row.Indices[i]} is reachable");
                Assert.That(BitConverter.SingleToInt32Bits(row.Values[i]), Is.EqualTo(BitConverter.SingleToInt32Bits(full.Values[at])), $"row {r}, label {row.Indices[i]}");
            }
        }
    }

    [Test]
    public void AMappedFileAndTheServingModelScoreAsTheInMemoryPredictor()
    {
        var model = RandomModels.Model(3, 200, 0.05, 71);
        var raw = RandomSparse.Csr(25, 200, 0.05, seed: 72);
        var selected = RandomSelection(raw.Rows, model.LabelCount, 73);
        var expected = new XLinearPredictor(model).PredictSelected(raw.NormalizeRows(), selected);
        using var dir = new TempDir();
        string path = dir.File("m.xmr");
        XLinearModelFile.Save(path, model);
        using (var mapped = XLinearModelFile.OpenMapped(path))
            Assert.That(mapped.PredictSelected(raw.NormalizeRows(), selected).Values.ToArray(), Is.EqualTo(expected.Values.ToArray()));
        // The front door prepares raw rows by the file's rule (L2-normalised) first.
        using var served = XLinearServingModel.Open(path);
        Assert.That(served.PredictSelected(raw, selected).Values.ToArray(), Is.EqualTo(expected.Values.ToArray()).Within(1e-6f));
    }

    [Test]
    public void AnEnsembleAveragesOrTakesTheMaximumOfItsTreesPathScores()
    {
        var (x, y) = XmrEngine.Tests.Training.SyntheticData.Make(300, 200, 30, 91);
        var ensemble = XmrEngine.Training.XLinearTrainer.TrainEnsemble(x, y, new XmrEngine.Training.XLinearTrainOptions
        {
            Trees = 3, Indexer = new XmrEngine.Indexing.HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 4 },
        });
        var queries = x.SelectRows(Enumerable.Range(0, 40).ToArray());
        var selected = RandomSelection(queries.Rows, y.Cols, 92);
        var perTree = ensemble.Trees.Select(t => new XLinearPredictor(t).PredictSelected(queries, selected).Values.ToArray()).ToArray();
        var predictor = new XLinearPredictor(ensemble);
        var average = predictor.PredictSelected(queries, selected, combination: EnsembleCombination.Average).Values.ToArray();
        var max = predictor.PredictSelected(queries, selected, combination: EnsembleCombination.Max).Values.ToArray();
        for (int i = 0; i < average.Length; i++)
        {
            Assert.That(average[i], Is.EqualTo((perTree[0][i] + perTree[1][i] + perTree[2][i]) / 3), $"entry {i}");
            Assert.That(max[i], Is.EqualTo(Math.Max(perTree[0][i], Math.Max(perTree[1][i], perTree[2][i]))), $"entry {i}");
        }
    }

    [Test]
    public void MismatchedShapesAndRankFusionAreRefused()
    {
        var model = RandomModels.Model(2, 100, 0.05, 81);
        var predictor = new XLinearPredictor(model);
        var x = RandomSparse.Csr(4, 100, 0.05, seed: 82);
        Assert.Throws<ArgumentException>(() => predictor.PredictSelected(x, CsrMatrix.Empty(5, model.LabelCount)));
        Assert.Throws<ArgumentException>(() => predictor.PredictSelected(x, CsrMatrix.Empty(4, model.LabelCount + 1)));
        Assert.Throws<ArgumentException>(() => predictor.PredictSelected(RandomSparse.Csr(4, 101, 0.05, seed: 83), CsrMatrix.Empty(4, model.LabelCount)));
        var ensemble = new XLinearPredictor(new XLinearEnsemble([model, model]));
        Assert.Throws<NotSupportedException>(() => ensemble.PredictSelected(x, CsrMatrix.Empty(4, model.LabelCount), combination: EnsembleCombination.ReciprocalRank));
        var none = predictor.PredictSelected(x, CsrMatrix.Empty(4, model.LabelCount));
        Assert.That(none.Nnz, Is.EqualTo(0));
    }
}
