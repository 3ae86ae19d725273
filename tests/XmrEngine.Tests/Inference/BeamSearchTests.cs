using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Inference;

/// <summary>Beam search against an exhaustive reference and against hand-computed small cases.</summary>
public class BeamSearchTests
{
    private static readonly string[] AllPostProcessors =
        ["noop", "sigmoid", "log-sigmoid", "l1-hinge", "l2-hinge", "l3-hinge", "l4-hinge", "log-l1-hinge", "log-l2-hinge", "log-l3-hinge", "log-l4-hinge"];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (string post in AllPostProcessors)
            foreach (int depth in new[] { 1, 2, 3 })
                yield return new TestCaseData(post, depth);
    }

    [TestCaseSource(nameof(Cases))]
    public void WideBeam_EqualsExhaustive(string postName, int depth)
    {
        var post = PostProcessor.Parse(postName);
        foreach (var layout in new[] { WeightLayout.Chunked, WeightLayout.Csc })
        {
            // Small weights keep raw scores mostly below 1 so the hinge transforms do not saturate into ties.
            var model = RandomModels.Model(depth, 50, 0.2, seed: depth * 100 + postName.Length, allowChildless: true, scale: 0.4f);
            int width = RandomModels.MaxLevelWidth(model);
            var options = new PredictOptions { BeamSize = width, TopK = 7, PostProcessor = post };
            var predictor = new XLinearPredictor(model, options, layout);
            var rng = new Random(depth);
            for (int q = 0; q < 12; q++)
            {
                var (idx, val) = RandomModels.Query(50, q % 4 == 0 ? 0 : rng.Next(1, 20), rng);
                var expected = RandomModels.Exhaustive(model, idx, val, post);
                var actual = new ScoredLabel[7];
                int n = predictor.Predict(idx, val, actual);
                RandomModels.AssertSameRanking(expected, actual.AsSpan(0, n), 7, 1e-5f, $"{postName} {layout} depth {depth} query {q}");
            }
        }
    }

    [Test]
    public void TopKLargerThanLabels_ReturnsAllLabels()
    {
        var model = RandomModels.Model(2, 20, 0.3, seed: 9);
        var options = new PredictOptions { BeamSize = 1000, TopK = model.LabelCount + 5 };
        var predictor = new XLinearPredictor(model, options);
        var (idx, val) = RandomModels.Query(20, 5, new Random(1));
        var result = predictor.Predict(idx, val);
        Assert.That(result.Select(r => r.Label).OrderBy(x => x), Is.EqualTo(Enumerable.Range(0, model.LabelCount)));
    }

    /// <summary>
    /// Root -> {A, B}; A -> {label 0, label 1}; B -> {label 2}. One feature x0 = 1, bias 1.
    /// Raw scores: A 0.5, B 0 (so B ranks lower), labels 0.2, -1, 2. l3-hinge: f(s) = exp(-max(0, 1 - s)^3).
    /// </summary>
    private static XLinearModel TinyModel()
    {
        var level0 = ClusterChain.LevelFromParents([0, 0], 1);
        var level1 = ClusterChain.LevelFromParents([0, 0, 1], 2);
        // Weights rows: feature 0, bias row 1.
        var w0 = SparseOps.ToCsc(SparseOps.FromDense(new float[,] { { 0.5f, 0f }, { 0f, 0f } }));
        var w1 = SparseOps.ToCsc(SparseOps.FromDense(new float[,] { { 0.2f, -1.5f, 1.5f }, { 0f, 0.5f, 0.5f } }));
        return new XLinearModel(new ClusterChain([level0, level1]), [w0, w1], 1, 1f);
    }

    private static float L3(double s) => (float)Math.Exp(-Math.Pow(Math.Max(0, 1 - s), 3));

    [Test]
    public void TinyModel_HandComputedScores()
    {
        var predictor = new XLinearPredictor(TinyModel(), new PredictOptions { BeamSize = 2, TopK = 3 });
        var result = predictor.Predict([0], [1f]);
        float a = L3(0.5), b = L3(0);
        var expected = new[] { (2, L3(2) * b), (0, L3(0.2) * a), (1, L3(-1) * a) }.OrderByDescending(x => x.Item2).ToArray();
        Assert.That(result.Length, Is.EqualTo(3));
        for (int i = 0; i < 3; i++)
        {
            Assert.That(result[i].Label, Is.EqualTo(expected[i].Item1), $"rank {i}");
            Assert.That(result[i].Score, Is.EqualTo(expected[i].Item2).Within(1e-6f), $"rank {i}");
        }
    }

    [Test]
    public void TinyModel_BeamOnePrunesTheLowerParent()
    {
        // With beam 1 only A survives level 0, so label 2 (under B) cannot be returned even though its
        // exhaustive score is the best.
        var predictor = new XLinearPredictor(TinyModel(), new PredictOptions { BeamSize = 1, TopK = 3 });
        var result = predictor.Predict([0], [1f]);
        Assert.That(result.Select(r => r.Label), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(result[0].Score, Is.EqualTo(L3(0.2) * L3(0.5)).Within(1e-6f));
    }

    [Test]
    public void TinyModel_LogPostProcessorAddsAndSkipsTheRoot()
    {
        // log-l3-hinge: level 0 score is the transform alone (no "+ root 1"); level 1 adds.
        var predictor = new XLinearPredictor(TinyModel(), new PredictOptions { BeamSize = 2, TopK = 1, PostProcessor = PostProcessor.Parse("log-l3-hinge") });
        var result = predictor.Predict([0], [1f]);
        static double LogL3(double s) => -Math.Pow(Math.Max(0, 1 - s), 3);
        // Label 0: -0.8^3 - 0.5^3 = -0.637 beats label 2: 0 - 1 = -1.
        Assert.That(result[0].Label, Is.EqualTo(0));
        Assert.That(result[0].Score, Is.EqualTo(LogL3(0.2) + LogL3(0.5)).Within(1e-6));
    }

    [Test]
    public void TinyModel_NoopKeepsTheChildScore()
    {
        var predictor = new XLinearPredictor(TinyModel(), new PredictOptions { BeamSize = 2, TopK = 3, PostProcessor = PostProcessor.Noop });
        var result = predictor.Predict([0], [1f]);
        Assert.That(result.Select(r => (r.Label, r.Score)), Is.EqualTo(new[] { (2, 2f), (0, 0.2f), (1, -1f) }));
    }

    [Test]
    public void Ties_BreakBySmallerLabelId()
    {
        // All weights zero: every label scores the same; the smallest ids win.
        var chain = RandomModels.Chain(2, new Random(4));
        var weights = chain.Levels.Select(l => CscMatrix.Empty(11, l.Rows)).ToList();
        var predictor = new XLinearPredictor(new XLinearModel(chain, weights, 10, 1f), new PredictOptions { BeamSize = 100, TopK = 4 });
        var result = predictor.Predict([1, 2], [0.5f, 0.5f]);
        Assert.That(result.Select(r => r.Label), Is.EqualTo(new[] { 0, 1, 2, 3 }));
    }
}
