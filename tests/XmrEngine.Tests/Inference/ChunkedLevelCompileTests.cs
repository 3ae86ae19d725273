using XmrEngine.Inference;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Inference;

/// <summary>The bucketed, parallel <see cref="ChunkedLevelArrays.Compile"/> against the sort-based reference, array by array.</summary>
public class ChunkedLevelCompileTests
{
    private static void AssertSame(ChunkedLevelArrays fast, ChunkedLevelArrays reference)
    {
        Assert.That(fast.BiasRow, Is.EqualTo(reference.BiasRow));
        Assert.That(fast.ChunkRowStart, Is.EqualTo(reference.ChunkRowStart), "ChunkRowStart");
        Assert.That(fast.DenseChunk, Is.EqualTo(reference.DenseChunk), "DenseChunk");
        Assert.That(fast.RowIds, Is.EqualTo(reference.RowIds), "RowIds");
        Assert.That(fast.RowPtr, Is.EqualTo(reference.RowPtr), "RowPtr");
        Assert.That(fast.Slots, Is.EqualTo(reference.Slots), "Slots");
        Assert.That(fast.FeatureRowStart, Is.EqualTo(reference.FeatureRowStart), "FeatureRowStart");
        Assert.That(fast.FeatureRows, Is.EqualTo(reference.FeatureRows), "FeatureRows");
    }

    /// <summary>
    /// A level of <paramref name="nodes"/> children under <paramref name="parents"/> parents (node i under i * parents / nodes,
    /// so every parent has children), weights over <paramref name="features"/> + a bias row with per-column density drawn from
    /// <paramref name="densities"/> (0 gives empty columns, 1 full ones).
    /// </summary>
    private static (TreeLevel Tree, CscMatrix Weights) RandomLevel(int nodes, int parents, int features, double[] densities, int seed)
    {
        var rng = new Random(seed);
        var parentOf = Enumerable.Range(0, nodes).Select(i => (int)((long)i * parents / nodes)).ToArray();
        var b = new CooBuilder(features + 1, nodes);
        for (int c = 0; c < nodes; c++)
        {
            double density = densities[rng.Next(densities.Length)];
            for (int r = 0; r <= features; r++)
                if (rng.NextDouble() < density) b.Add(r, c, (float)(rng.NextDouble() * 2 - 1));
        }
        return (new TreeLevel(parentOf, parents), b.ToCsc());
    }

    [TestCase(1, 1, 1, 1)]
    [TestCase(5, 1, 3, 2)]
    [TestCase(64, 1, 200, 3)]
    [TestCase(100, 4, 50, 4)]
    [TestCase(257, 16, 300, 5)]
    [TestCase(1000, 40, 500, 6)]
    [TestCase(2000, 500, 64, 7)]
    public void MatchesTheReference_OnRandomLevels(int nodes, int parents, int features, int seed)
    {
        // Sparse chunks, dense chunks (density above 0.25), empty columns and full ones, in one level.
        var (tree, weights) = RandomLevel(nodes, parents, features, [0, 0.01, 0.05, 0.3, 0.6, 1.0], seed);
        var reference = ChunkedLevelArrays.CompileReference(tree, weights);
        AssertSame(ChunkedLevelArrays.Compile(tree, weights), reference);
        AssertSame(ChunkedLevelArrays.Compile(tree, weights, threads: 1), reference);
        AssertSame(ChunkedLevelArrays.Compile(tree, weights, threads: 3), reference);
    }

    [Test]
    public void MatchesTheReference_WhenEveryColumnIsEmptyOrOnlyBias()
    {
        var (tree, empty) = RandomLevel(40, 5, 30, [0], seed: 8);
        AssertSame(ChunkedLevelArrays.Compile(tree, empty), ChunkedLevelArrays.CompileReference(tree, empty));
        var b = new CooBuilder(31, 40);
        for (int c = 0; c < 40; c += 3) b.Add(30, c, 0.5f + c);
        var biasOnly = b.ToCsc();
        var compiled = ChunkedLevelArrays.Compile(tree, biasOnly);
        AssertSame(compiled, ChunkedLevelArrays.CompileReference(tree, biasOnly));
        Assert.That(compiled.FeatureRows, Is.Empty, "the bias row is not in the feature index");
    }

    [Test]
    public void MatchesTheReference_OnAWideFeatureSpaceWithFewWeights()
    {
        // Many features, few weights per column: sparse chunks whose rows are far apart.
        var rng = new Random(9);
        const int features = 200_000, nodes = 300, parents = 20;
        var b = new CooBuilder(features + 1, nodes);
        for (int c = 0; c < nodes; c++)
            foreach (int r in Enumerable.Range(0, 25).Select(_ => rng.Next(features + 1)).Distinct())
                b.Add(r, c, (float)rng.NextDouble());
        var tree = new TreeLevel(Enumerable.Range(0, nodes).Select(i => i % parents).ToArray(), parents);
        var weights = b.ToCsc();
        AssertSame(ChunkedLevelArrays.Compile(tree, weights), ChunkedLevelArrays.CompileReference(tree, weights));
    }
}
