using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Inference;

/// <summary>
/// Quantised chunked levels: every matching strategy scores the decoded weights as the CSC reference does, and the
/// original float weights within the precision's bound; decoding back to CSC gives each weight's rounded value.
/// </summary>
public class QuantizedScorerTests
{
    private static readonly ChunkMatchStrategy[] Strategies =
        [ChunkMatchStrategy.Auto, ChunkMatchStrategy.Merge, ChunkMatchStrategy.Gallop, ChunkMatchStrategy.DenseLookup, ChunkMatchStrategy.FeatureIndex];

    /// <summary>
    /// The stated bound of one score: f16 2^-11 of sum |x_i w_i| (+ 2^-25 per subnormal term); i8 sum over the matched
    /// rows of |x_r| times max |w| / 254 over row r's weights for the node's siblings. A small float-rounding allowance on top.
    /// </summary>
    private static double Bound(WeightPrecision precision, CscMatrix w, TreeLevel tree, int parent, int node, int[] idx, float[] val, float bias)
    {
        double X(int r) => r == w.Rows - 1 ? bias : Array.IndexOf(idx, r) is var at && at >= 0 ? val[at] : 0;
        var col = w.Column(node);
        double absDot = 0, absX = Math.Abs(bias), rowBound = 0;
        for (int k = 0; k < col.Indices.Length; k++) absDot += Math.Abs(X(col.Indices[k]) * col.Values[k]);
        foreach (float v in val) absX += Math.Abs(v);
        var rowMax = new Dictionary<int, double>();
        foreach (int sibling in tree.Children(parent))
        {
            var c = w.Column(sibling);
            for (int k = 0; k < c.Indices.Length; k++)
                rowMax[c.Indices[k]] = Math.Max(rowMax.GetValueOrDefault(c.Indices[k]), Math.Abs(c.Values[k]));
        }
        foreach (var (r, max) in rowMax) rowBound += Math.Abs(X(r)) * max / 254;
        double rounding = 1e-5 * (absDot + 1e-3);
        return precision == WeightPrecision.Float16 ? absDot * Math.Pow(2, -11) + absX * Math.Pow(2, -25) + rounding : rowBound + rounding;
    }

    private static void CompareAll(XLinearModel model, WeightPrecision precision, int[] idx, float[] val, string context)
    {
        var ws = new PredictWorkspace();
        var query = new QueryVector(idx, val, model.Bias);
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            var tree = new TreeLevel(model.Chain.Levels[t]);
            var arrays = QuantizedLevelArrays.Quantize(tree, model.Weights[t], precision);
            var decoded = new CscLevelScorer(tree, arrays.ToCsc(tree));
            foreach (var strategy in Strategies)
            {
                var scorer = new ChunkedLevelScorer(tree, arrays, strategy);
                for (int p = 0; p < tree.ParentCount; p++)
                {
                    int m = tree.Children(p).Length;
                    var expected = new float[m];
                    var actual = Enumerable.Repeat(float.NaN, m).ToArray();
                    decoded.ScoreChildren(p, query, ws, expected);
                    scorer.ScoreChildren(p, query, ws, actual);
                    for (int j = 0; j < m; j++)
                    {
                        int node = tree.Children(p)[j];
                        Assert.That(actual[j], Is.EqualTo(expected[j]).Within(1e-4f), $"{context} level {t} parent {p} child {j} {strategy} vs decoded");
                        double exact = RandomModels.RawScore(model.Weights[t], node, idx, val, model.Bias);
                        Assert.That(actual[j], Is.EqualTo(exact).Within(Bound(precision, model.Weights[t], tree, p, node, idx, val, model.Bias)),
                            $"{context} level {t} parent {p} child {j} {strategy} vs float weights");
                    }
                }
                ws.EndQuery(query);
            }
        }
    }

    [Test]
    public void RandomModels_ScoreWithinTheBound(
        [Values(WeightPrecision.Float16, WeightPrecision.Int8)] WeightPrecision precision, [Values(1, 2, 3)] int depth)
    {
        foreach (double density in new[] { 0.02, 0.15, 0.6 })
        {
            var model = RandomModels.Model(depth, featureCount: 67, density, seed: depth * 5 + 1, allowChildless: true, scale: 3f);
            var rng = new Random(depth * 31 + 7);
            foreach (int nnz in new[] { 0, 1, 3, 9, 30, 67 })
            {
                var (idx, val) = RandomModels.Query(67, nnz, rng);
                CompareAll(model, precision, idx, val, $"density {density} nnz {nnz}");
            }
        }
    }

    [Test]
    public void WideFlatChunk_AllStrategies([Values(WeightPrecision.Float16, WeightPrecision.Int8)] WeightPrecision precision)
    {
        var rng = new Random(17);
        var chain = XmrEngine.Indexing.ClusterChain.Flat(300);
        var model = new XLinearModel(chain, [RandomModels.Weights(500, 300, 0.05, rng)], 500, 1f);
        foreach (int nnz in new[] { 1, 2, 5, 40, 200, 500 })
        {
            var (idx, val) = RandomModels.Query(500, nnz, rng);
            CompareAll(model, precision, idx, val, $"flat nnz {nnz}");
        }
    }

    [Test]
    public void ToCsc_GivesEachWeightsRoundedValue([Values(WeightPrecision.Float16, WeightPrecision.Int8)] WeightPrecision precision)
    {
        var model = RandomModels.Model(2, 40, 0.3, seed: 9, scale: 2f);
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            var tree = new TreeLevel(model.Chain.Levels[t]);
            var w = model.Weights[t];
            var back = QuantizedLevelArrays.Quantize(tree, w, precision).ToCsc(tree);
            // Each 8-bit row's scale: max |w| / 127 over the row's weights for one parent's children.
            var rowScale = new Dictionary<(int Parent, int Row), float>();
            for (int p = 0; p < tree.ParentCount; p++)
                foreach (int c in tree.Children(p))
                {
                    var col = w.Column(c);
                    for (int k = 0; k < col.Indices.Length; k++)
                        rowScale[(p, col.Indices[k])] = Math.Max(rowScale.GetValueOrDefault((p, col.Indices[k])), Math.Abs(col.Values[k]) / 127f);
                }
            for (int p = 0; p < tree.ParentCount; p++)
                foreach (int c in tree.Children(p))
                {
                    var expected = new List<(int, float)>();
                    var col = w.Column(c);
                    for (int k = 0; k < col.Indices.Length; k++)
                    {
                        float v = precision == WeightPrecision.Float16
                            ? (float)(Half)col.Values[k]
                            : WeightQuantizer.ToInt8(col.Values[k], rowScale[(p, col.Indices[k])]) * rowScale[(p, col.Indices[k])];
                        if (v != 0f) expected.Add((col.Indices[k], v));
                    }
                    var gotIndices = back.Column(c).Indices.ToArray();
                    var gotValues = back.Column(c).Values.ToArray();
                    Assert.That(gotIndices.Zip(gotValues), Is.EqualTo(expected).Within(1e-7f), $"level {t} column {c}");
                }
        }
    }

    [Test]
    public void TooManyChildren_IsRefused()
    {
        int labels = QuantizedLevelArrays.MaxChildren + 1;
        var chain = XmrEngine.Indexing.ClusterChain.Flat(labels);
        var w = new CscMatrix(3, labels, new long[labels + 1], [], []);
        var tree = new TreeLevel(chain.Levels[0]);
        Assert.That(() => QuantizedLevelArrays.Quantize(tree, w, WeightPrecision.Int8), Throws.ArgumentException.With.Message.Contains("65536 per parent"));
    }
}
