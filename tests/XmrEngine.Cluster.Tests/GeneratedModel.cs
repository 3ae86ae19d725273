using XmrEngine.Indexing;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Cluster.Tests;

/// <summary>
/// A large random model without training: a balanced tree numbered like k-means output (a parent's children are
/// consecutive) with sparse random weights. Distributed prediction is compared with single-machine prediction of
/// the same model, so the weights need not mean anything.
/// </summary>
internal static class GeneratedModel
{
    public static XLinearModel Create(int labels, int branching, int features, int weightsPerNode, int seed)
    {
        var rng = new Random(seed);
        // Level sizes from the labels up: each level has ceil(n / branching) parents.
        var sizes = new List<int> { labels };
        while (sizes[0] > branching) sizes.Insert(0, (sizes[0] + branching - 1) / branching);
        var levels = new List<CsrMatrix>();
        var weights = new List<CscMatrix>();
        int parents = 1;
        foreach (int nodes in sizes)
        {
            var parentOf = new int[nodes];
            for (int i = 0; i < nodes; i++) parentOf[i] = (int)((long)i * parents / nodes);
            levels.Add(ClusterChain.LevelFromParents(parentOf, parents));
            var b = new CooBuilder(nodes, features + 1);
            for (int c = 0; c < nodes; c++)
            {
                foreach (int f in Enumerable.Range(0, weightsPerNode).Select(_ => rng.Next(features)).Distinct()) b.Add(c, f, (float)(rng.NextDouble() * 2 - 1));
                b.Add(c, features, (float)(rng.NextDouble() - 0.5));
            }
            weights.Add(b.ToCsr().TransposeView());
            parents = nodes;
        }
        return new XLinearModel(new ClusterChain(levels), weights, features, 1f);
    }
}
