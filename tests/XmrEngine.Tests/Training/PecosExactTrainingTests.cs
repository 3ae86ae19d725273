using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

/// <summary>
/// <see cref="XLinearTrainOptions.ExactPecos"/> and <see cref="HierarchicalKMeansOptions.ExactPecos"/> against a model
/// PECOS trained: the tree codes and every weight below were recorded from PECOS's XLinearModel.train (one thread,
/// threshold 0, max leaf size 2, otherwise its defaults) on the small problem built here.
/// </summary>
public class PecosExactTrainingTests
{
    /// <summary>
    /// n rows of d features with values in {0.25, 0.5, 0.75, 1} and two labels each (one when the two coincide), built
    /// the same way in the script that trained PECOS.
    /// </summary>
    private static (CsrMatrix X, CsrMatrix Y) Problem(int n = 7, int d = 5, int labels = 8)
    {
        var xPtr = new List<long> { 0 };
        var xIdx = new List<int>();
        var xVal = new List<float>();
        var yPtr = new List<long> { 0 };
        var yIdx = new List<int>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                int v = (3 * i + 5 * j) % 7 - 2;
                if (v > 0) { xIdx.Add(j); xVal.Add(v / 4f); }
            }
            xPtr.Add(xIdx.Count);
            int a = 2 * i % labels, b = (3 * i + 1) % labels;
            yIdx.AddRange(a == b ? [a] : a < b ? [a, b] : [b, a]);
            yPtr.Add(yIdx.Count);
        }
        return (new CsrMatrix(n, d, [.. xPtr], [.. xIdx], [.. xVal]),
            new CsrMatrix(n, labels, [.. yPtr], [.. yIdx], Enumerable.Repeat(1f, yIdx.Count).ToArray()));
    }

    private static XLinearTrainOptions Exact(bool exact) => new()
    {
        Threshold = 0,
        Threads = 1,
        ExactPecos = exact,
        Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 2, ExactPecos = exact },
    };

    // PECOS's weights, one row per node (features 0-4, then the bias).
    private static readonly double[][] Level0 =
    [
        [0.5308966040611267, 0.6478623151779175, -0.13936108350753784, 0.3904169499874115, 0.2833526134490967, 0.12922613322734833],
        [0.17332075536251068, 0.02468535304069519, -0.3652353882789612, -0.9630416035652161, 1.0504817962646484, -0.4123995304107666],
        [-0.4533349871635437, -0.9294424057006836, -0.41074392199516296, 0.01751646399497986, -0.41153544187545776, 0.330605685710907],
        [-0.16217206418514252, 0.29288458824157715, 0.7852365374565125, 0.5561309456825256, -0.8941249847412109, -0.07849124073982239],
    ];

    private static readonly double[][] Level1 =
    [
        [-0.7720400094985962, 1.051379919052124, -0.32805243134498596, 0.46063926815986633, 0.25285351276397705, -0.26621225476264954],
        [-0.8670225143432617, 0.22719885408878326, 0.22023670375347137, 0.0, 0.23067991435527802, 0.01392430067062378],
        [-0.4596841335296631, 0.11385345458984375, 0.8109456896781921, -0.45367756485939026, -0.36790257692337036, 0.3218310475349426],
        [0.44548967480659485, 0.0, -0.7048900723457336, 0.4332711696624756, 0.22274483740329742, -0.048874080181121826],
        [0.7720400094985962, -1.051379919052124, 0.32805243134498596, -0.46063926815986633, -0.25285351276397705, 0.26621225476264954],
        [0.4596841335296631, -0.11385345458984375, -0.8109456896781921, 0.45367756485939026, 0.36790257692337036, -0.3218310475349426],
        [-0.44548967480659485, 0.0, 0.7048900723457336, -0.4332711696624756, -0.22274483740329742, 0.048874080181121826],
        [0.8670225143432617, -0.22719885408878326, -0.22023670375347137, 0.0, -0.23067991435527802, -0.01392430067062378],
    ];

    [Test]
    public void ExactTreeIsPecossTree()
    {
        var (x, y) = Problem();
        var z = LabelEmbedding.Pifa(x, y);
        var chain = new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 2, ExactPecos = true }, seed: 0, threads: 1).Build(z);
        var leaves = chain.Levels[^1];
        var codes = Enumerable.Range(0, leaves.Rows).Select(l => leaves.Row(l).Indices[0]).ToArray();
        Assert.That(codes, Is.EqualTo(new[] { 0, 1, 3, 2, 0, 3, 2, 1 }));
        Assert.That(chain.Depth, Is.EqualTo(2));
    }

    [Test]
    public void ExactTrainingGivesPecossWeightsToTheLastBit()
    {
        var (x, y) = Problem();
        var model = XLinearTrainer.Train(x, y, Exact(true));
        Assert.That(model.Weights, Has.Count.EqualTo(2));
        AssertWeights(model.Weights[0], Level0);
        AssertWeights(model.Weights[1], Level1);
    }

    [Test]
    public void DefaultTrainingIsNotPecossArithmetic()
    {
        // The engine's own solver stops within the tolerance of PECOS's solution, not on it: the switch matters.
        var (x, y) = Problem();
        var model = XLinearTrainer.Train(x, y, Exact(false));
        Assert.That(new XLinearTrainOptions().ExactPecos, Is.False);
        Assert.That(new HierarchicalKMeansOptions().ExactPecos, Is.False);
        Assert.That(LargestDifference(model.Weights[1], Level1), Is.GreaterThan(1e-6));
    }

    // PECOS, 40 rows, 8 features, 32 labels, max leaf size 2, 2-way tree, tfn+man mined with beam 2: the sum of each
    // level's weights (bias included), mined by noop and by l3-hinge scores.
    private static readonly double[] NoopSums = [0.8404000997543335, -1.9363979250192642, -2.825870741158724, -2.367008216679096, -6.396313209086657];
    private static readonly double[] L3HingeSums = [0.8404000997543335, -1.9363979250192642, -2.627153303474188, -2.44646018743515, -8.646166663616896];

    [TestCase("noop")]
    [TestCase("l3-hinge")]
    public void MatcherAwareNegativesAreMinedByPecossScores(string minedBy)
    {
        var (x, y) = Problem(40, 8, 32);
        var options = Exact(true) with
        {
            Negatives = NegativeSampling.TfnMan,
            ManBeamSize = 2,
            ManPostProcessor = PostProcessor.Parse(minedBy),
            Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 2, NrSplits = 2, ExactPecos = true },
        };
        var model = XLinearTrainer.Train(x, y, options);
        var sums = model.Weights.Select(w => w.Values.ToArray().Sum(v => (double)v)).ToArray();
        Assert.That(sums, Is.EqualTo(minedBy == "noop" ? NoopSums : L3HingeSums).Within(1e-12));
    }

    private static double LargestDifference(CscMatrix w, double[][] expected)
    {
        double worst = 0;
        for (int node = 0; node < w.Cols; node++)
        {
            var dense = Dense(w, node);
            for (int r = 0; r < dense.Length; r++) worst = Math.Max(worst, Math.Abs(dense[r] - expected[node][r]));
        }
        return worst;
    }

    private static float[] Dense(CscMatrix w, int node)
    {
        var dense = new float[w.Rows];
        var col = w.Column(node);
        for (int k = 0; k < col.Indices.Length; k++) dense[col.Indices[k]] = col.Values[k];
        return dense;
    }

    private static void AssertWeights(CscMatrix w, double[][] expected)
    {
        Assert.That(w.Cols, Is.EqualTo(expected.Length));
        for (int node = 0; node < w.Cols; node++)
        {
            Assert.That(Dense(w, node), Is.EqualTo(expected[node].Select(v => (float)v).ToArray()), $"node {node}");
        }
    }
}
