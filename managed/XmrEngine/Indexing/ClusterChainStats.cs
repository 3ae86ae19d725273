using System.Globalization;
using System.Text;

namespace XmrEngine.Indexing;

/// <summary>
/// Shape summary of a <see cref="ClusterChain"/> for reports such as <c>xmr tree</c>: nodes and
/// branching per level, and how many labels sit in each bottom cluster (the parents of the labels).
/// </summary>
public sealed class ClusterChainStats
{
    /// <summary>Tree depth below the root.</summary>
    public int Depth { get; }

    /// <summary>Number of labels.</summary>
    public int LabelCount { get; }

    /// <summary>Node count per level, top level first; the last entry is the label count.</summary>
    public IReadOnlyList<int> NodesPerLevel { get; }

    /// <summary>Fewest children of any parent, per level (children at that level per node one level up).</summary>
    public IReadOnlyList<int> MinChildrenPerLevel { get; }

    /// <summary>Most children of any parent, per level.</summary>
    public IReadOnlyList<int> MaxChildrenPerLevel { get; }

    /// <summary>Number of bottom clusters (parents of the labels); 1 for a flat tree.</summary>
    public int LeafClusterCount { get; }

    /// <summary>Bottom-cluster size -&gt; number of bottom clusters of that size, sizes ascending.</summary>
    public IReadOnlyList<KeyValuePair<int, int>> LeafSizeHistogram { get; }

    /// <summary>Smallest bottom-cluster size.</summary>
    public int MinLeafSize { get; }

    /// <summary>Largest bottom-cluster size.</summary>
    public int MaxLeafSize { get; }

    private ClusterChainStats(ClusterChain chain)
    {
        Depth = chain.Depth;
        LabelCount = chain.LabelCount;
        var nodes = new int[Depth];
        var minChildren = new int[Depth];
        var maxChildren = new int[Depth];
        int[] lastCounts = [];
        for (int t = 0; t < Depth; t++)
        {
            var level = chain.Levels[t];
            nodes[t] = level.Rows;
            var counts = new int[level.Cols];
            for (int i = 0; i < level.Rows; i++) counts[chain.Parent(t, i)]++;
            minChildren[t] = counts.Length == 0 ? 0 : counts.Min();
            maxChildren[t] = counts.Length == 0 ? 0 : counts.Max();
            lastCounts = counts;
        }
        NodesPerLevel = nodes;
        MinChildrenPerLevel = minChildren;
        MaxChildrenPerLevel = maxChildren;
        LeafClusterCount = lastCounts.Length;
        LeafSizeHistogram = lastCounts.GroupBy(c => c).OrderBy(g => g.Key).Select(g => new KeyValuePair<int, int>(g.Key, g.Count())).ToArray();
        MinLeafSize = lastCounts.Length == 0 ? 0 : lastCounts.Min();
        MaxLeafSize = lastCounts.Length == 0 ? 0 : lastCounts.Max();
    }

    /// <summary>Computes the statistics of <paramref name="chain"/>.</summary>
    public static ClusterChainStats Compute(ClusterChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return new ClusterChainStats(chain);
    }

    /// <summary>A multi-line, human-readable report (invariant culture).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"labels: {LabelCount}, depth: {Depth}, bottom clusters: {LeafClusterCount}");
        for (int t = 0; t < Depth; t++)
            sb.AppendLine(inv, $"level {t}: {NodesPerLevel[t]} nodes, children per parent {MinChildrenPerLevel[t]}..{MaxChildrenPerLevel[t]}");
        sb.AppendLine(inv, $"labels per bottom cluster: {MinLeafSize}..{MaxLeafSize}");
        foreach (var (size, count) in LeafSizeHistogram) sb.AppendLine(inv, $"  size {size}: {count} clusters");
        return sb.ToString();
    }
}
