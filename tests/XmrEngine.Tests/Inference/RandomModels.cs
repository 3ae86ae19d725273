using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Inference;

/// <summary>Seeded random XR-Linear models and queries, plus an exhaustive reference predictor.</summary>
internal static class RandomModels
{
    /// <summary>
    /// A random tree of the given depth: level sizes grow by 1-5 children per parent, parents are
    /// assigned in shuffled order (children of a parent are not contiguous), and with
    /// <paramref name="allowChildless"/> some parents get no children at all.
    /// </summary>
    public static ClusterChain Chain(int depth, Random rng, int maxBranch = 5, bool allowChildless = false)
    {
        var levels = new List<CsrMatrix>();
        int parents = 1;
        for (int t = 0; t < depth; t++)
        {
            var parentOf = new List<int>();
            for (int p = 0; p < parents; p++)
            {
                int kids = allowChildless && t > 0 && rng.Next(6) == 0 ? 0 : rng.Next(1, maxBranch + 1);
                if (t == 0) kids = Math.Max(kids, 2);
                for (int c = 0; c < kids; c++) parentOf.Add(p);
            }
            var arr = parentOf.ToArray();
            rng.Shuffle(arr);
            levels.Add(ClusterChain.LevelFromParents(arr, parents));
            parents = arr.Length;
        }
        return new ClusterChain(levels);
    }

    /// <summary>
    /// Random (D + 1) x nodes weights. Only rows in <paramref name="usableRows"/> (all when null) get
    /// non-zeros; the bias row gets one with probability <paramref name="biasDensity"/>.
    /// </summary>
    public static CscMatrix Weights(int featureCount, int nodes, double density, Random rng, Func<int, bool>? usableRows = null, double biasDensity = 0.7, float scale = 1f)
    {
        var b = new CooBuilder(nodes, featureCount + 1);
        for (int c = 0; c < nodes; c++)
        {
            for (int r = 0; r < featureCount; r++)
                if ((usableRows is null || usableRows(r)) && rng.NextDouble() < density)
                    b.Add(c, r, scale * (float)(rng.NextDouble() * 2 - 1));
            if (rng.NextDouble() < biasDensity) b.Add(c, featureCount, scale * (float)(rng.NextDouble() * 2 - 1));
        }
        // Built as nodes x (D+1) CSR, whose transpose view is the (D+1) x nodes CSC.
        return b.ToCsr().TransposeView();
    }

    /// <summary>A random model over <paramref name="featureCount"/> features with a random tree.</summary>
    public static XLinearModel Model(int depth, int featureCount, double density, int seed, float bias = 1f, Func<int, bool>? usableRows = null, bool allowChildless = false, float scale = 1f)
    {
        var rng = new Random(seed);
        var chain = Chain(depth, rng, allowChildless: allowChildless);
        var weights = new List<CscMatrix>();
        for (int t = 0; t < depth; t++)
            weights.Add(Weights(featureCount, chain.Levels[t].Rows, density, rng, usableRows, scale: scale));
        return new XLinearModel(chain, weights, featureCount, bias);
    }

    /// <summary>A random sorted sparse query with about <paramref name="nnz"/> ids drawn from <paramref name="pool"/> (all features when null).</summary>
    public static (int[] Indices, float[] Values) Query(int featureCount, int nnz, Random rng, Func<int, bool>? pool = null)
    {
        var ids = new SortedSet<int>();
        for (int tries = 0; ids.Count < nnz && tries < nnz * 20; tries++)
        {
            int id = rng.Next(featureCount);
            if (pool is null || pool(id)) ids.Add(id);
        }
        var idx = ids.ToArray();
        var val = idx.Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        return (idx, val);
    }

    /// <summary>Raw linear score of node <paramref name="node"/>: w . [x, bias], accumulated in double.</summary>
    public static double RawScore(CscMatrix w, int node, int[] idx, float[] val, float bias)
    {
        var dense = new Dictionary<int, float>();
        for (int i = 0; i < idx.Length; i++) dense[idx[i]] = val[i];
        double s = 0;
        var rows = w.Column(node).Indices;
        var ws = w.Column(node).Values;
        for (int e = 0; e < rows.Length; e++)
        {
            if (rows[e] == w.Rows - 1) s += (double)bias * ws[e];
            else if (dense.TryGetValue(rows[e], out float x)) s += (double)x * ws[e];
        }
        return s;
    }

    /// <summary>
    /// Exhaustive reference: the combined score of every label (every path through the tree), sorted
    /// best first (ties by label id), without any beam pruning.
    /// </summary>
    public static List<ScoredLabel> Exhaustive(XLinearModel model, int[] idx, float[] val, PostProcessor post)
    {
        float[] previous = [1f];
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            var level = model.Chain.Levels[t];
            var current = new float[level.Rows];
            for (int node = 0; node < level.Rows; node++)
            {
                float s = post.Transform((float)RawScore(model.Weights[t], node, idx, val, model.Bias));
                current[node] = t == 0 ? s : post.Combine(s, previous[level.Row(node).Indices[0]]);
            }
            previous = current;
        }
        return previous.Select((s, label) => new ScoredLabel(label, s))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Label).ToList();
    }

    /// <summary>Largest number of nodes on any level.</summary>
    public static int MaxLevelWidth(XLinearModel model) => model.Chain.Levels.Max(l => l.Rows);

    /// <summary>
    /// Asserts that <paramref name="actual"/> is a correct top-k of <paramref name="expected"/> (a full
    /// best-first ranking): the score sequences agree within <paramref name="tol"/>, and every returned
    /// label's reference score agrees with its returned score (robust to near-ties swapping places).
    /// </summary>
    public static void AssertSameRanking(IReadOnlyList<ScoredLabel> expected, ReadOnlySpan<ScoredLabel> actual, int k, float tol, string context)
    {
        int n = Math.Min(k, expected.Count);
        Assert.That(actual.Length, Is.EqualTo(n), $"{context}: result count");
        var refScore = expected.ToDictionary(x => x.Label, x => x.Score);
        var seen = new HashSet<int>();
        for (int i = 0; i < n; i++)
        {
            Assert.That(actual[i].Score, Is.EqualTo(expected[i].Score).Within(tol), $"{context}: score at rank {i}");
            Assert.That(refScore.ContainsKey(actual[i].Label), Is.True, $"{context}: label {actual[i].Label} exists");
            Assert.That(actual[i].Score, Is.EqualTo(refScore[actual[i].Label]).Within(tol), $"{context}: score of label {actual[i].Label}");
            Assert.That(seen.Add(actual[i].Label), Is.True, $"{context}: label {actual[i].Label} repeated");
            if (i > 0) Assert.That(actual[i].Score, Is.LessThanOrEqualTo(actual[i - 1].Score), $"{context}: best first");
        }
    }
}
