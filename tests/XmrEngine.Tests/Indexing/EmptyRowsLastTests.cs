using XmrEngine.Indexing;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Indexing;

/// <summary><see cref="HierarchicalKMeansOptions.EmptyRowsLast"/>: labels without features gather in their own leaves.</summary>
public class EmptyRowsLastTests
{
    /// <summary>A normalised label embedding whose rows listed in <paramref name="empty"/> have no entries.</summary>
    private static CsrMatrix Embedding(int labels, int features, ISet<int> empty, int seed)
    {
        var rng = new Random(seed);
        var b = new CooBuilder(labels, features);
        for (int l = 0; l < labels; l++)
        {
            if (empty.Contains(l)) continue;
            for (int k = 0; k < 5; k++) b.Add(l, rng.Next(features), (float)(0.1 + rng.NextDouble()));
        }
        return b.ToCsr().NormalizeRows();
    }

    private static HashSet<int> RandomSubset(int labels, double share, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, labels).Where(_ => rng.NextDouble() < share).ToHashSet();
    }

    /// <summary>The bottom cluster of every label.</summary>
    private static int[] LeafCodes(ClusterChain chain)
    {
        int t = chain.Depth - 1;
        return Enumerable.Range(0, chain.LabelCount).Select(l => chain.Parent(t, l)).ToArray();
    }

    private static int MixedLeaves(int[] codes, ISet<int> empty) =>
        codes.Select((c, l) => (c, isEmpty: empty.Contains(l))).GroupBy(p => p.c).Count(g => g.Any(p => p.isEmpty) && g.Any(p => !p.isEmpty));

    [TestCase(0.6, 1)]
    [TestCase(0.6, 2)]
    [TestCase(0.2, 2)]
    [TestCase(0.9, 1)]
    public void EmptyRowsFillTheLastLeaves(double emptyShare, int threads)
    {
        const int labels = 700;
        var empty = RandomSubset(labels, emptyShare, seed: 11);
        var z = Embedding(labels, 120, empty, seed: 12);
        var chain = new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 6, NrSplits = 4, EmptyRowsLast = true }, threads: threads).Build(z);
        var codes = LeafCodes(chain);
        int lastLive = Enumerable.Range(0, labels).Where(l => !empty.Contains(l)).Max(l => codes[l]);
        int firstEmpty = empty.Min(l => codes[l]);
        Assert.That(lastLive, Is.LessThanOrEqualTo(firstEmpty), "a label with features sits in a leaf after one without");
        Assert.That(MixedLeaves(codes, empty), Is.LessThanOrEqualTo(1), "more than one leaf mixes the two kinds");
        var stats = ClusterChainStats.Compute(chain);
        Assert.That(stats.MaxLeafSize - stats.MinLeafSize, Is.LessThanOrEqualTo(1), "the leaves are no longer balanced");
    }

    [Test]
    public void LargeNodesScoredInParallelGiveTheSameGatheredTree()
    {
        // 10,000 labels: the top splits have more than two scoring blocks of members, so two threads score them in parallel.
        const int labels = 10_000;
        var empty = RandomSubset(labels, 0.5, seed: 21);
        var z = Embedding(labels, 400, empty, seed: 22);
        var o = new HierarchicalKMeansOptions { MaxLeafSize = 700, NrSplits = 4, MaxIterations = 4, EmptyRowsLast = true };
        var one = LeafCodes(new HierarchicalKMeansIndexer(o, threads: 1).Build(z));
        var two = LeafCodes(new HierarchicalKMeansIndexer(o, threads: 2).Build(z));
        Assert.That(two, Is.EqualTo(one));
        int lastLive = Enumerable.Range(0, labels).Where(l => !empty.Contains(l)).Max(l => two[l]);
        Assert.That(lastLive, Is.LessThanOrEqualTo(empty.Min(l => two[l])));
    }

    [Test]
    public void RowsOfExplicitZerosCountAsEmpty()
    {
        // A row that stores entries, all zero, scores 0 like an empty one; it must be gathered with them.
        var b = new CooBuilder(40, 10);
        var rng = new Random(5);
        for (int l = 0; l < 40; l++)
            for (int k = 0; k < 3; k++) b.Add(l, rng.Next(10), l < 20 ? (float)(0.5 + rng.NextDouble()) : 0f);
        var z = b.ToCsr();
        Assume.That(z.Row(30).Indices.Length, Is.GreaterThan(0), "the builder kept the explicit zeros");
        var codes = LeafCodes(new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 5, EmptyRowsLast = true }).Build(z));
        Assert.That(Enumerable.Range(0, 20).Max(l => codes[l]), Is.LessThan(Enumerable.Range(20, 20).Min(l => codes[l])));
    }

    [Test]
    public void PecosTreeSpreadsEmptyRowsOverManyLeaves()
    {
        // The default (PECOS's behaviour) for contrast: the zero-score block is cut by id at every split.
        const int labels = 700;
        var empty = RandomSubset(labels, 0.6, seed: 11);
        var z = Embedding(labels, 120, empty, seed: 12);
        var codes = LeafCodes(new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 6, NrSplits = 4 }).Build(z));
        Assert.That(MixedLeaves(codes, empty), Is.GreaterThan(10));
    }

    [TestCase(16)]
    [TestCase(64)]
    public void WithoutEmptyRowsTheTreeIsUnchanged(int nrSplits)
    {
        var z = Embedding(900, 200, new HashSet<int>(), seed: 13);
        var o = new HierarchicalKMeansOptions { MaxLeafSize = 5, NrSplits = nrSplits };
        var pecos = new HierarchicalKMeansIndexer(o, seed: 4).Build(z);
        var gathered = new HierarchicalKMeansIndexer(o with { EmptyRowsLast = true }, seed: 4).Build(z);
        Assert.That(gathered.Depth, Is.EqualTo(pecos.Depth));
        for (int t = 0; t < pecos.Depth; t++)
            Assert.That(gathered.Levels[t].Indices.ToArray(), Is.EqualTo(pecos.Levels[t].Indices.ToArray()), $"level {t}");
    }

    [Test]
    public void AllRowsEmptyStillSplitEvenly()
    {
        var chain = new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 4, EmptyRowsLast = true }).Build(CsrMatrix.Empty(30, 10));
        var stats = ClusterChainStats.Compute(chain);
        Assert.That((stats.LeafClusterCount, stats.MinLeafSize, stats.MaxLeafSize), Is.EqualTo((8, 3, 4)));
    }

    [Test]
    public void OneLabelWithFeaturesAmongEmptyOnesGoesFirst()
    {
        var empty = Enumerable.Range(0, 40).Where(l => l != 37).ToHashSet();
        var chain = new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 5, EmptyRowsLast = true }).Build(Embedding(40, 10, empty, seed: 3));
        Assert.That(LeafCodes(chain)[37], Is.EqualTo(0));
    }

    [Test]
    public void RecommendedTreeIsTheMeasuredOne()
    {
        var r = HierarchicalKMeansOptions.Recommended;
        Assert.That((r.NrSplits, r.EmptyRowsLast, r.MaxLeafSize), Is.EqualTo((64, true, 100)));
        var pecos = new HierarchicalKMeansOptions();
        Assert.That((pecos.NrSplits, pecos.EmptyRowsLast), Is.EqualTo((16, false)), "the record's defaults stay PECOS's");
    }
}
