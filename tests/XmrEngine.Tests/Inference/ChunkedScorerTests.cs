using XmrEngine.Inference;
using XmrEngine.Models;

namespace XmrEngine.Tests.Inference;

/// <summary>The chunked scorer against the CSC reference scorer, for every matching strategy.</summary>
public class ChunkedScorerTests
{
    private static readonly ChunkMatchStrategy[] Strategies =
        [ChunkMatchStrategy.Auto, ChunkMatchStrategy.Merge, ChunkMatchStrategy.Gallop, ChunkMatchStrategy.DenseLookup, ChunkMatchStrategy.FeatureIndex];

    private static void CompareAllChunks(XLinearModel model, int[] idx, float[] val, string context)
    {
        var ws = new PredictWorkspace();
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            var tree = new TreeLevel(model.Chain.Levels[t]);
            var reference = new CscLevelScorer(tree, model.Weights[t]);
            var query = new QueryVector(idx, val, model.Bias);
            foreach (var strategy in Strategies)
            {
                var chunked = new ChunkedLevelScorer(tree, model.Weights[t], strategy);
                for (int p = 0; p < tree.ParentCount; p++)
                {
                    int m = tree.Children(p).Length;
                    var expected = new float[m];
                    var actual = Enumerable.Repeat(float.NaN, m).ToArray(); // must be overwritten
                    reference.ScoreChildren(p, query, ws, expected);
                    chunked.ScoreChildren(p, query, ws, actual);
                    for (int j = 0; j < m; j++)
                    {
                        double exact = RandomModels.RawScore(model.Weights[t], tree.Children(p)[j], idx, val, model.Bias);
                        Assert.That(actual[j], Is.EqualTo(expected[j]).Within(1e-4f), $"{context} level {t} parent {p} child {j} {strategy}");
                        Assert.That(actual[j], Is.EqualTo(exact).Within(1e-4), $"{context} level {t} parent {p} child {j} {strategy} vs double");
                    }
                }
                ws.EndQuery(query);
            }
        }
    }

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(3, 3)]
    [TestCase(2, 4)]
    [TestCase(3, 5)]
    public void RandomModels_MatchReference(int depth, int seed)
    {
        // Mixed densities so that both dense and sparse chunk rows occur.
        foreach (double density in new[] { 0.02, 0.15, 0.6 })
        {
            var model = RandomModels.Model(depth, featureCount: 67, density, seed, allowChildless: true);
            var rng = new Random(seed * 31 + 7);
            foreach (int nnz in new[] { 0, 1, 3, 9, 30, 67 })
            {
                var (idx, val) = RandomModels.Query(67, nnz, rng);
                CompareAllChunks(model, idx, val, $"density {density} nnz {nnz}");
            }
        }
    }

    [Test]
    public void QueryHittingNoWeights_GivesBiasOnly()
    {
        // Weights only on even features; the query only uses odd ones.
        var model = RandomModels.Model(2, 40, 0.3, seed: 11, usableRows: r => r % 2 == 0);
        var (idx, val) = RandomModels.Query(40, 10, new Random(3), pool: r => r % 2 == 1);
        Assert.That(idx, Is.Not.Empty);
        CompareAllChunks(model, idx, val, "odd-only query");
        var tree = new TreeLevel(model.Chain.Levels[1]);
        var scorer = new ChunkedLevelScorer(tree, model.Weights[1]);
        var ws = new PredictWorkspace();
        for (int p = 0; p < tree.ParentCount; p++)
        {
            var scores = new float[tree.Children(p).Length];
            scorer.ScoreChildren(p, new QueryVector(idx, val, model.Bias), ws, scores);
            for (int j = 0; j < scores.Length; j++)
                Assert.That(scores[j], Is.EqualTo(model.Weights[1][40, tree.Children(p)[j]] * model.Bias));
        }
    }

    [Test]
    public void ZeroBias_IgnoresBiasRow()
    {
        var model = RandomModels.Model(2, 30, 0.2, seed: 5, bias: 0f);
        var (idx, val) = RandomModels.Query(30, 6, new Random(8));
        CompareAllChunks(model, idx, val, "bias 0");
    }

    [Test]
    public void WideChunks_UseAllStrategies()
    {
        // A flat model: one chunk over all labels and many rows, long and short queries.
        var rng = new Random(17);
        var chain = XmrEngine.Indexing.ClusterChain.Flat(37);
        var w = RandomModels.Weights(500, 37, 0.05, rng);
        var model = new XLinearModel(chain, [w], 500, 1f);
        foreach (int nnz in new[] { 1, 2, 5, 40, 200, 500 })
        {
            var (idx, val) = RandomModels.Query(500, nnz, rng);
            CompareAllChunks(model, idx, val, $"flat nnz {nnz}");
        }
    }

    [Test]
    public void FeatureInNeighbouringChunkOnly_IsNotMatched()
    {
        // Feature 1 has weights under parent 1 only; parent 0's chunk ends right before parent 1's, so a
        // feature-index search for parent 0 lands on parent 1's row and must reject it.
        var chain = new XmrEngine.Indexing.ClusterChain([
            XmrEngine.Indexing.ClusterChain.LevelFromParents([0, 0], 1),
            XmrEngine.Indexing.ClusterChain.LevelFromParents([0, 0, 1, 1], 2)]);
        var top = new XmrEngine.Sparse.CscMatrix(4, 2, [0, 1, 2], [0, 2], [1f, 1f]);
        var leaves = new XmrEngine.Sparse.CscMatrix(4, 4, [0, 1, 2, 3, 5], [0, 2, 1, 1, 3], [1f, 2f, 5f, 7f, 0.5f]);
        var model = new XLinearModel(chain, [top, leaves], 3, 1f);
        CompareAllChunks(model, [1], [1f], "feature 1 only");
        CompareAllChunks(model, [0, 1, 2], [0.5f, 1f, 2f], "all features");
        var tree = new TreeLevel(model.Chain.Levels[1]);
        var scorer = new ChunkedLevelScorer(tree, leaves, ChunkMatchStrategy.FeatureIndex);
        var scores = new float[2];
        scorer.ScoreChildren(0, new QueryVector([1], [1f], 1f), new PredictWorkspace(), scores);
        Assert.That(scores, Is.EqualTo(new[] { 0f, 0f }));
        scorer.ScoreChildren(1, new QueryVector([1], [1f], 1f), new PredictWorkspace(), scores);
        Assert.That(scores, Is.EqualTo(new[] { 5f, 7.5f }));
    }

    [TestCase(3, 1000, "Gallop")]
    [TestCase(100, 120, "Merge")]
    [TestCase(1000, 10, "DenseLookup")]
    public void Choose_PicksByLengths(int queryLength, int rows, string expected) =>
        Assert.That(ChunkedLevelScorer.Choose(queryLength, rows).ToString(), Is.EqualTo(expected));

    [TestCase(3, 1000, "FeatureIndex")]
    [TestCase(100, 120, "Merge")]
    [TestCase(1000, 10, "FeatureIndex")]
    public void Choose_PrefersFeatureIndexUnlessLengthsAreSimilar(int queryLength, int rows, string expected) =>
        Assert.That(ChunkedLevelScorer.Choose(queryLength, rows, featureIndex: true).ToString(), Is.EqualTo(expected));

    [Test]
    public void Choose_AvoidsDenseLookupWhenNotAllowed() =>
        Assert.That(ChunkedLevelScorer.Choose(1000, 10, denseAllowed: false).ToString(), Is.EqualTo("Merge"));
}
