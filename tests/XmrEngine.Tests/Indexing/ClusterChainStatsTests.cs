using XmrEngine.Indexing;

namespace XmrEngine.Tests.Indexing;

public class ClusterChainStatsTests
{
    [Test]
    public void CountsNodesBranchingAndLeafSizes()
    {
        // root -> 2 clusters -> 3 bottom clusters -> 7 labels (sizes 3, 2, 2).
        var chain = new ClusterChain([
            ClusterChain.LevelFromParents([0, 0], 1),
            ClusterChain.LevelFromParents([0, 0, 1], 2),
            ClusterChain.LevelFromParents([0, 0, 0, 1, 1, 2, 2], 3),
        ]);
        var s = ClusterChainStats.Compute(chain);
        Assert.That(s.NodesPerLevel, Is.EqualTo(new[] { 2, 3, 7 }));
        Assert.That(s.MinChildrenPerLevel, Is.EqualTo(new[] { 2, 1, 2 }));
        Assert.That(s.MaxChildrenPerLevel, Is.EqualTo(new[] { 2, 2, 3 }));
        Assert.That((s.LeafClusterCount, s.MinLeafSize, s.MaxLeafSize), Is.EqualTo((3, 2, 3)));
        Assert.That(s.LeafSizeHistogram, Is.EqualTo(new[] { new KeyValuePair<int, int>(2, 2), new KeyValuePair<int, int>(3, 1) }));
        Assert.That(s.ToString(), Does.Contain("level 2: 7 nodes").And.Contain("size 2: 2 clusters"));
    }

    [Test]
    public void FlatChainHasOneBottomCluster()
    {
        var s = ClusterChainStats.Compute(ClusterChain.Flat(5));
        Assert.That((s.Depth, s.LeafClusterCount, s.MinLeafSize, s.MaxLeafSize), Is.EqualTo((1, 1, 5, 5)));
    }
}
