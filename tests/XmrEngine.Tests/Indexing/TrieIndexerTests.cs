using XmrEngine.Indexing;
using XmrEngine.Sparse;
using XmrEngine.Text;

namespace XmrEngine.Tests.Apps.AutoComplete;

public class TrieIndexerTests
{
    private static string[] RandomLabels(int count, int seed)
    {
        var rng = new Random(seed);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (set.Count < count)
        {
            // Skewed first letters so some trie nodes hold many labels and others few.
            int len = rng.Next(1, 12);
            var chars = new char[len];
            for (int i = 0; i < len; i++) chars[i] = i == 0 && rng.NextDouble() < 0.5 ? 'w' : "abcdefgh "[rng.Next(9)];
            var s = new string(chars).Trim();
            if (s.Length > 0) set.Add(s);
        }
        return set.Order(StringComparer.Ordinal).ToArray();
    }

    private static CsrMatrix Features(string[] labels) =>
        TfidfVectorizer.Fit(labels, TfidfOptions.PositionWeightedPrefix(), 1).Transform(labels, 1);

    /// <summary>The ancestor of every label at every level (last level = the label itself).</summary>
    private static int[][] Ancestors(ClusterChain chain)
    {
        var result = new int[chain.Depth][];
        var current = Enumerable.Range(0, chain.LabelCount).ToArray();
        result[^1] = current;
        for (int t = chain.Depth - 2; t >= 0; t--)
        {
            var up = current.Select(n => chain.Parent(t + 1, n)).ToArray();
            result[t] = up;
            current = up;
        }
        return result;
    }

    private static void AssertEveryNodeHasChildren(ClusterChain chain)
    {
        for (int t = 0; t < chain.Depth; t++)
        {
            var children = new int[chain.Levels[t].Cols];
            foreach (int p in chain.Levels[t].Indices) children[p]++;
            Assert.That(children.All(c => c > 0), $"level {t} has a node without children");
        }
    }

    private static void AssertSameChain(ClusterChain a, ClusterChain b)
    {
        Assert.That(a.Depth, Is.EqualTo(b.Depth));
        for (int t = 0; t < a.Depth; t++)
            Assert.That(a.Levels[t].Indices.ToArray(), Is.EqualTo(b.Levels[t].Indices.ToArray()), $"level {t}");
    }

    [Test]
    public void HandBuiltTrieOfDepthTwo()
    {
        string[] labels = ["ab", "abc", "b", "ba", "a"];
        var chain = new TrieIndexer(2).Build(labels);
        Assert.That(chain.Depth, Is.EqualTo(3));
        // Level 0: "a", "b". Level 1: "a" (terminal), "ab", "b" (terminal), "ba".
        Assert.That(chain.Levels[0].Rows, Is.EqualTo(2));
        Assert.That(chain.Levels[1].Indices.ToArray(), Is.EqualTo(new[] { 0, 0, 1, 1 }));
        Assert.That(chain.Levels[2].Indices.ToArray(), Is.EqualTo(new[] { 1, 1, 2, 3, 0 }));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void TriePathsFollowLabelPrefixes(int depth)
    {
        var labels = RandomLabels(600, depth);
        var chain = new TrieIndexer(depth).Build(labels);
        Assert.That(chain.Depth, Is.EqualTo(depth + 1));
        Assert.That(chain.LabelCount, Is.EqualTo(labels.Length));
        AssertEveryNodeHasChildren(chain);
        var trie = TrieLevels.Build(labels, depth);
        var ancestors = Ancestors(chain);
        for (int l = 0; l < labels.Length; l++)
            for (int t = 0; t < depth; t++)
                Assert.That(trie.Keys[t][ancestors[t][l]], Is.EqualTo(TrieLevels.Key(labels[l], t)), $"label '{labels[l]}' level {t}");
        // Distinct keys per level: two labels share a node exactly when they share the key.
        for (int t = 0; t < depth; t++)
            Assert.That(trie.Keys[t], Is.Unique);
        AssertSameChain(chain, new TrieIndexer(depth).Build(labels));
    }

    [TestCase(1, 8, 4)]
    [TestCase(2, 8, 2)]
    [TestCase(3, 5, 4)]
    [TestCase(2, 100, 16)]
    public void HybridIsTrieOnTopAndBalancedClustersBelow(int depth, int maxLeaf, int nrSplits)
    {
        var labels = RandomLabels(1500, 10 + depth);
        var features = Features(labels);
        var options = new HierarchicalKMeansOptions { MaxLeafSize = maxLeaf, NrSplits = nrSplits };
        var chain = new TrieTreeHybridIndexer(depth, options, seed: 5, threads: 1).Build(labels, features);
        AssertEveryNodeHasChildren(chain);
        Assert.That(chain.LabelCount, Is.EqualTo(labels.Length));

        // The top levels are exactly the trie's.
        var trieChain = new TrieIndexer(depth).Build(labels);
        for (int t = 0; t < depth; t++)
            Assert.That(chain.Levels[t].Indices.ToArray(), Is.EqualTo(trieChain.Levels[t].Indices.ToArray()), $"trie level {t}");
        var hybridAncestors = Ancestors(chain);
        var trieAncestors = Ancestors(trieChain);
        Assert.That(hybridAncestors[depth - 1], Is.EqualTo(trieAncestors[depth - 1]), "every label stays under its own trie node");

        // Below the trie: at most nrSplits children per node, leaves of at most maxLeaf labels.
        for (int t = depth; t < chain.Depth; t++)
        {
            var children = new int[chain.Levels[t].Cols];
            foreach (int p in chain.Levels[t].Indices) children[p]++;
            int bound = t == chain.Depth - 1 ? maxLeaf : nrSplits;
            Assert.That(children.Max(), Is.LessThanOrEqualTo(bound), $"level {t}");
        }

        // Same tree for another thread count.
        var parallel = new TrieTreeHybridIndexer(depth, options, seed: 5, threads: 2).Build(labels, features);
        AssertSameChain(chain, parallel);
    }

    [Test]
    public void HybridBalancesALargeTrieNode()
    {
        // 64 labels under one trie node "w", leaf size 8: three binary levels -> 8 leaves of 8 exactly.
        var labels = Enumerable.Range(0, 64).Select(i => $"w{i:D3}").ToArray();
        var chain = new TrieTreeHybridIndexer(1, new HierarchicalKMeansOptions { MaxLeafSize = 8, NrSplits = 16 }, threads: 1)
            .Build(labels, Features(labels));
        var leaves = new int[chain.Levels[^1].Cols];
        foreach (int p in chain.Levels[^1].Indices) leaves[p]++;
        Assert.That(leaves, Is.All.EqualTo(8));
        Assert.That(leaves, Has.Length.EqualTo(8));
    }

    [Test]
    public void RejectsEmptyLabelsAndMismatchedFeatures()
    {
        Assert.Throws<ArgumentException>(() => new TrieIndexer(2).Build(["a", ""]));
        Assert.Throws<ArgumentException>(() => new TrieIndexer(2).Build(Array.Empty<string>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrieIndexer(0));
        string[] labels = ["ab", "cd"];
        Assert.Throws<ArgumentException>(() => new TrieTreeHybridIndexer(1).Build(labels, Features(["ab", "cd", "ef"])));
    }
}
