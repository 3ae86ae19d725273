using XmrEngine.Indexing;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Indexing;

public class HierarchicalKMeansIndexerTests
{
    private static CsrMatrix RandomEmbedding(int labels, int features, int seed) =>
        RandomSparse.CsrByRowCount(labels, features, 6, seed).NormalizeRows();

    /// <summary>Labels under each bottom cluster (the parents of the labels).</summary>
    private static List<int>[] BottomClusters(ClusterChain chain)
    {
        int t = chain.Depth - 1;
        var clusters = Enumerable.Range(0, chain.Levels[t].Cols).Select(_ => new List<int>()).ToArray();
        for (int l = 0; l < chain.LabelCount; l++) clusters[chain.Parent(t, l)].Add(l);
        return clusters;
    }

    private static void AssertSameChain(ClusterChain a, ClusterChain b)
    {
        Assert.That(a.Depth, Is.EqualTo(b.Depth));
        for (int t = 0; t < a.Depth; t++)
        {
            Assert.That(a.Levels[t].Rows, Is.EqualTo(b.Levels[t].Rows), $"level {t} rows");
            Assert.That(a.Levels[t].Indices.ToArray(), Is.EqualTo(b.Levels[t].Indices.ToArray()), $"level {t} parents");
        }
    }

    [TestCase(159, 100, 1)]
    [TestCase(100, 100, 0)]
    [TestCase(101, 100, 1)]
    [TestCase(400, 100, 2)]
    [TestCase(401, 100, 3)]
    [TestCase(1000, 10, 7)]
    public void BinaryDepthFollowsPecos(int labels, int leaf, int depth) =>
        Assert.That(HierarchicalKMeansIndexer.BinaryDepth(labels, leaf), Is.EqualTo(depth));

    [Test]
    public void FewLabelsGiveAFlatTree()
    {
        var chain = new HierarchicalKMeansIndexer().Build(RandomEmbedding(60, 30, 1));
        Assert.That(chain.Depth, Is.EqualTo(1));
        Assert.That(chain.LabelCount, Is.EqualTo(60));
        Assert.That(chain.Levels[0].Cols, Is.EqualTo(1));
    }

    [Test]
    public void BottomClustersAreExactlyBalancedAndGroupedBySplits()
    {
        // 1000 labels, leaves <= 10: 2^7 = 128 bottom clusters of 7 or 8 labels, grouped 16 per parent
        // into 8 nodes, which hang off the root.
        var chain = new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 10 }).Build(RandomEmbedding(1000, 200, 2));
        var stats = ClusterChainStats.Compute(chain);
        Assert.That(stats.NodesPerLevel, Is.EqualTo(new[] { 8, 128, 1000 }));
        Assert.That((stats.MinChildrenPerLevel[1], stats.MaxChildrenPerLevel[1]), Is.EqualTo((16, 16)));
        Assert.That((stats.MinLeafSize, stats.MaxLeafSize), Is.EqualTo((7, 8)));
        var all = BottomClusters(chain).SelectMany(c => c).Order();
        Assert.That(all, Is.EqualTo(Enumerable.Range(0, 1000)), "every label sits in exactly one bottom cluster");
    }

    [Test]
    public void EverySplitHalvesItsNode()
    {
        // With nr_splits = 2 every level of the chain is one binary split, so each parent's label
        // count must split into floor/ceil halves at every level.
        var chain = new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 3, NrSplits = 2 }).Build(RandomEmbedding(77, 40, 3));
        Assert.That(chain.Depth, Is.EqualTo(6), "77 labels, leaves <= 3: 2^5 bottom clusters, 5 binary levels plus the label level");
        var labelsUnder = new int[chain.Depth][];
        var nodeOfLabel = Enumerable.Range(0, 77).ToArray();
        for (int t = chain.Depth - 1; t >= 0; t--)
        {
            var counts = new int[chain.Levels[t].Cols];
            foreach (int node in nodeOfLabel) counts[chain.Parent(t, node)]++;
            labelsUnder[t] = counts;
            nodeOfLabel = nodeOfLabel.Select(node => chain.Parent(t, node)).ToArray();
        }
        for (int t = 1; t < chain.Depth; t++)
        {
            for (int child = 0; child < chain.Levels[t - 1].Rows; child += 2)
            {
                int parent = chain.Parent(t - 1, child);
                int a = labelsUnder[t][child], b = labelsUnder[t][child + 1];
                Assert.That(a + b, Is.EqualTo(labelsUnder[t - 1][parent]));
                Assert.That(b - a, Is.InRange(0, 1), $"level {t}, children {child} and {child + 1}");
            }
        }
    }

    [Test]
    public void PecosGroupsFromTheBottom()
    {
        // 3200 labels, leaves <= 100: 32 bottom clusters -> 2 groups of 16 -> root.
        var chain = new HierarchicalKMeansIndexer().Build(RandomEmbedding(3200, 500, 4));
        Assert.That(ClusterChainStats.Compute(chain).NodesPerLevel, Is.EqualTo(new[] { 2, 32, 3200 }));
        for (int c = 0; c < 32; c++) Assert.That(chain.Parent(1, c), Is.EqualTo(c / 16));
    }

    [Test]
    public void SeparatedGroupsAreRecovered()
    {
        // Four groups of 50 labels on disjoint feature ranges: the 4 bottom clusters must be the groups.
        var b = new CooBuilder(200, 40);
        var rng = new Random(5);
        for (int l = 0; l < 200; l++)
        {
            int g = l % 4;
            for (int k = 0; k < 4; k++) b.Add(l, g * 10 + rng.Next(10), (float)(0.5 + rng.NextDouble()));
        }
        var chain = new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 50 }).Build(b.ToCsr().NormalizeRows());
        var clusters = BottomClusters(chain);
        Assert.That(clusters, Has.Length.EqualTo(4));
        foreach (var c in clusters)
        {
            Assert.That(c, Has.Count.EqualTo(50));
            Assert.That(c.Select(l => l % 4).Distinct().Count(), Is.EqualTo(1), "a cluster mixes groups");
        }
    }

    [Test]
    public void ResultDoesNotDependOnThreads()
    {
        var z = RandomEmbedding(700, 150, 6);
        var o = new HierarchicalKMeansOptions { MaxLeafSize = 8, NrSplits = 4 };
        var one = new HierarchicalKMeansIndexer(o, seed: 3, threads: 1).Build(z);
        var two = new HierarchicalKMeansIndexer(o, seed: 3, threads: 2).Build(z);
        var again = new HierarchicalKMeansIndexer(o, seed: 3, threads: 2).Build(z);
        AssertSameChain(one, two);
        AssertSameChain(two, again);
    }

    [Test]
    public void ParallelScoringOfLargeNodesDoesNotChangeTheTree()
    {
        // 9000 labels: the top splits have more members than two scoring blocks, so with two threads
        // they are scored in parallel.
        var z = RandomEmbedding(9000, 300, 8);
        var o = new HierarchicalKMeansOptions { MaxLeafSize = 1200, MaxIterations = 5 };
        AssertSameChain(new HierarchicalKMeansIndexer(o, threads: 1).Build(z), new HierarchicalKMeansIndexer(o, threads: 2).Build(z));
    }

    [Test]
    public void SeedChangesTheTree()
    {
        var z = RandomEmbedding(300, 100, 7);
        var a = new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 10 }, seed: 1).Build(z);
        var b = new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 10 }, seed: 2).Build(z);
        Assert.That(a.Levels[^1].Indices.ToArray(), Is.Not.EqualTo(b.Levels[^1].Indices.ToArray()));
    }

    [Test]
    public void AllZeroEmbeddingsStillSplitEvenly()
    {
        // Labels without positives have empty PIFA rows; they must still be placed, evenly.
        var chain = new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 4 }).Build(CsrMatrix.Empty(30, 10));
        var stats = ClusterChainStats.Compute(chain);
        Assert.That((stats.LeafClusterCount, stats.MinLeafSize, stats.MaxLeafSize), Is.EqualTo((8, 3, 4)));
    }

    [Test]
    public void BadInputsAreRejected()
    {
        Assert.That(() => new HierarchicalKMeansIndexer().Build(CsrMatrix.Empty(0, 5)), Throws.ArgumentException.With.Message.Contains("zero labels"));
        Assert.That(() => new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 1 }).Build(RandomEmbedding(3, 5, 1)),
            Throws.ArgumentException.With.Message.Contains("MaxLeafSize = 1"));
        Assert.That(() => new HierarchicalKMeansIndexer().Build(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void CancellationStopsTheBuild()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.That(() => new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 10 }).Build(RandomEmbedding(300, 50, 1), cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }
}
