using XmrEngine.Inference;

namespace XmrEngine.Tests.Inference;

/// <summary>The training-side scorer (CSC columns gathered against the dense query) and its use of the workspace.</summary>
public class GatherLevelScorerTests
{
    [Test]
    public void AgreesWithTheCscReferenceScorerOnEveryLevel()
    {
        var model = RandomModels.Model(3, 300, 0.05, seed: 21);
        var rng = new Random(5);
        var ws = new PredictWorkspace();
        for (int q = 0; q < 20; q++)
        {
            var (idx, val) = RandomModels.Query(300, 1 + q * 3, rng);
            var query = new QueryVector(idx, val, model.Bias);
            for (int t = 0; t < model.Chain.Depth; t++)
            {
                var tree = new TreeLevel(model.Chain.Levels[t]);
                var reference = new CscLevelScorer(tree, model.Weights[t]);
                var gather = new GatherLevelScorer(tree, model.Weights[t]);
                for (int p = 0; p < tree.ParentCount; p++)
                {
                    int m = tree.Children(p).Length;
                    var expected = new float[m];
                    var actual = Enumerable.Repeat(float.NaN, m).ToArray(); // must be overwritten
                    reference.ScoreChildren(p, query, ws, expected);
                    gather.ScoreChildren(p, query, ws, actual);
                    for (int j = 0; j < m; j++)
                        Assert.That(actual[j], Is.EqualTo(expected[j]).Within(1e-4f), $"query {q} level {t} parent {p} child {j}");
                }
            }
            ws.EndQuery(query);
            Assert.That(ws.DenseQuery.All(v => v == 0f), Is.True, $"query {q}: EndQuery clears the features and the bias");
        }
    }

    [Test]
    public void DenseWithBiasPutsTheBiasAtTheBiasRowForOneQuery()
    {
        var ws = new PredictWorkspace();
        var query = new QueryVector([1, 3], [0.5f, 2f], 0.25f);
        var dense = ws.DenseWithBias(query, 5);
        Assert.That(dense.Take(6), Is.EqualTo(new[] { 0f, 0.5f, 0f, 2f, 0f, 0.25f }));
        Assert.That(ws.DenseWithBias(query, 5), Is.SameAs(dense), "a second call reuses the scatter");
        bool threw = false;
        try { ws.DenseWithBias(query, 7); }
        catch (InvalidOperationException) { threw = true; }
        Assert.That(threw, Is.True, "one query, one model, one bias row");
        ws.EndQuery(query);
        Assert.That(ws.DenseQuery.All(v => v == 0f), Is.True);
        Assert.That(ws.DenseWithBias(query, 7)[7], Is.EqualTo(0.25f), "the next query may use another model");
        ws.EndQuery(query);
    }

    [Test]
    public void RejectsWeightsWithTheWrongNodeCount()
    {
        var model = RandomModels.Model(2, 50, 0.1, seed: 3);
        var tree = new TreeLevel(model.Chain.Levels[1]);
        Assert.Throws<ArgumentException>(() => new GatherLevelScorer(tree, model.Weights[0]));
    }
}
