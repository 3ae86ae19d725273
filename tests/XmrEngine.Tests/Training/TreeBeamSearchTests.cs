using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

public class TreeBeamSearchTests
{
    [Test]
    public void WideBeamEqualsExhaustivePathScores()
    {
        var (x, y) = SyntheticData.Make(n: 120, d: 60, labels: 40, seed: 9);
        var model = XLinearTrainer.Train(x, y, new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 5, NrSplits = 2 } });
        var beam = TreeBeamSearch.Predict(model, x, beamSize: 1000, topK: 40, threads: 2);
        var dx = x.ToDense();
        for (int i = 0; i < x.Rows; i += 7)
        {
            // Score every label by walking its path from the root by hand.
            var expected = new double[40];
            for (int l = 0; l < 40; l++)
            {
                double score = 1;
                int node = l;
                for (int t = model.Chain.Depth - 1; t >= 0; t--)
                {
                    var col = model.Weights[t].Column(node);
                    double s = 0;
                    for (int k = 0; k < col.Length; k++) s += col.Values[k] * (col.Indices[k] == x.Cols ? model.Bias : dx[i, col.Indices[k]]);
                    score *= Math.Exp(-Math.Pow(Math.Max(0, 1 - s), 3));
                    node = model.Chain.Parent(t, node);
                }
                expected[l] = score;
            }
            var nodes = beam.NodesOf(i);
            var scores = beam.ScoresOf(i);
            Assert.That(nodes.Length, Is.EqualTo(40));
            for (int k = 0; k < nodes.Length; k++)
            {
                Assert.That(scores[k], Is.EqualTo(expected[nodes[k]]).Within(1e-4), $"instance {i}, label {nodes[k]}");
                if (k > 0) Assert.That(scores[k], Is.LessThanOrEqualTo(scores[k - 1]));
            }
        }
    }

    [Test]
    public void NarrowBeamKeepsTheRequestedWidth()
    {
        var (x, y) = SyntheticData.Make(n: 50, d: 60, labels: 40, seed: 10);
        var model = XLinearTrainer.Train(x, y, new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 5, NrSplits = 2 } });
        var beam = TreeBeamSearch.Predict(model, x, beamSize: 2, topK: 3, threads: 1);
        for (int i = 0; i < x.Rows; i++) Assert.That(beam.NodesOf(i).Length, Is.EqualTo(3));
    }

    [Test]
    public void MiningFindsWhatTheServingPredictorFinds()
    {
        // One beam search serves both; only the scorers' float rounding differs (gather vs merge), so ranks
        // agree in score, and in label wherever the score is not a near-tie.
        var (x, y) = SyntheticData.Make(n: 80, d: 60, labels: 40, seed: 12);
        var model = XLinearTrainer.Train(x, y, new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 4, NrSplits = 2 } });
        Assert.That(model.Chain.Depth, Is.GreaterThan(2), "a tree deep enough for a narrow beam to prune");
        var beam = TreeBeamSearch.Predict(model, x, beamSize: 3, topK: 5, threads: 2);
        var predictor = new XLinearPredictor(model, new PredictOptions { BeamSize = 3, TopK = 5 }, WeightLayout.Csc);
        for (int i = 0; i < x.Rows; i++)
        {
            var expected = predictor.Predict(x.Row(i).Indices, x.Row(i).Values);
            var nodes = beam.NodesOf(i);
            var scores = beam.ScoresOf(i);
            Assert.That(nodes.Length, Is.EqualTo(expected.Length), $"instance {i}");
            for (int k = 0; k < nodes.Length; k++)
            {
                Assert.That(scores[k], Is.EqualTo(expected[k].Score).Within(1e-5), $"instance {i} rank {k}");
                bool nearTie = (k > 0 && expected[k - 1].Score - expected[k].Score < 1e-5)
                    || (k + 1 < expected.Length && expected[k].Score - expected[k + 1].Score < 1e-5);
                if (!nearTie) Assert.That(nodes[k], Is.EqualTo(expected[k].Label), $"instance {i} rank {k}");
            }
        }
    }

    [Test]
    public void ThreadCountDoesNotChangeTheBeams()
    {
        var (x, y) = SyntheticData.Make(n: 150, d: 60, labels: 40, seed: 13);
        var model = XLinearTrainer.Train(x, y, new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 4, NrSplits = 2 } });
        var one = TreeBeamSearch.Predict(model, x, beamSize: 2, topK: 4, threads: 1);
        var two = TreeBeamSearch.Predict(model, x, beamSize: 2, topK: 4, threads: 2);
        Assert.That(two.Ptr, Is.EqualTo(one.Ptr));
        Assert.That(two.Nodes, Is.EqualTo(one.Nodes));
        Assert.That(two.Scores, Is.EqualTo(one.Scores));
    }
}
