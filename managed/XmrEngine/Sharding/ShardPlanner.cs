using XmrEngine.Models;

namespace XmrEngine.Sharding;

/// <summary>
/// Decides which shard holds which subtree: a subtree is a node of level <c>split - 1</c> with everything below
/// it, its weight the non-zero weights of all its nodes (the root's own column included, which its shard file
/// also carries), split between the shards by <see cref="GreedyPartition"/> (largest first to the lightest shard).
/// The plan depends only on the model, never on timing.
/// </summary>
internal static class ShardPlanner
{
    /// <summary>The owning shard of every node on levels <c>split - 1</c> .. depth-1 (index 0 = level split-1), and each shard's weight.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The split level or shard count does not fit the model.</exception>
    public static (int[][] Owners, long[] Loads) Plan(XLinearModel model, int splitLevel, int shardCount)
    {
        int depth = model.Chain.Depth;
        if (depth < 2) throw new ArgumentOutOfRangeException(nameof(splitLevel), splitLevel, $"the model's tree has {depth} level; sharding needs at least 2 (a meta level and a shard level).");
        if (splitLevel < 1 || splitLevel >= depth)
            throw new ArgumentOutOfRangeException(nameof(splitLevel), splitLevel, $"the split level must be in [1, {depth - 1}] for a tree of {depth} levels.");
        int roots = model.Chain.Levels[splitLevel - 1].Rows;
        if (shardCount < 1 || shardCount > roots)
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, $"the shard count must be in [1, {roots}]: level {splitLevel - 1} has {roots} nodes, the roots of the subtrees a shard holds whole.");

        // Root of every node, level by level down from the roots; then each subtree's weight.
        var rootOf = new int[depth - splitLevel + 1][];
        rootOf[0] = Enumerable.Range(0, roots).ToArray();
        for (int t = splitLevel; t < depth; t++)
        {
            var level = model.Chain.Levels[t];
            var above = rootOf[t - splitLevel];
            var current = new int[level.Rows];
            for (int node = 0; node < current.Length; node++) current[node] = above[model.Chain.Parent(t, node)];
            rootOf[t - splitLevel + 1] = current;
        }
        var weight = new long[roots];
        for (int t = splitLevel - 1; t < depth; t++)
        {
            var pointers = model.Weights[t].Pointers;
            var rootsHere = rootOf[t - splitLevel + 1];
            for (int node = 0; node < rootsHere.Length; node++) weight[rootsHere[node]] += pointers[node + 1] - pointers[node];
        }

        var (shardOfRoot, loads) = GreedyPartition.Assign(weight, shardCount);
        var owners = new int[rootOf.Length][];
        for (int i = 0; i < rootOf.Length; i++) owners[i] = Array.ConvertAll(rootOf[i], r => shardOfRoot[r]);
        return (owners, loads);
    }
}
