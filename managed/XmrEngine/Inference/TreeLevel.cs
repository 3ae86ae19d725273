using XmrEngine.Sparse;

namespace XmrEngine.Inference;

/// <summary>
/// The parent -> children lists of one tree level, built from a cluster-chain assignment matrix.
/// Children of a parent are listed in ascending node id. Immutable.
/// </summary>
internal sealed class TreeLevel
{
    /// <summary>Children of parent p are <c>ChildIds[ChildStart[p] .. ChildStart[p + 1])</c>.</summary>
    public int[] ChildStart { get; }

    /// <summary>Node ids grouped by parent.</summary>
    public int[] ChildIds { get; }

    /// <summary>Number of parents (nodes at the level above, 1 for the root).</summary>
    public int ParentCount => ChildStart.Length - 1;

    /// <summary>Number of nodes at this level.</summary>
    public int NodeCount => ChildIds.Length;

    /// <summary>Largest number of children of any parent.</summary>
    public int MaxChildren { get; }

    /// <summary>Builds the lists from a cluster-chain assignment matrix (nodes x parents, one entry per row).</summary>
    public TreeLevel(CsrMatrix assignment)
        : this(Parents(assignment), assignment.Cols)
    {
    }

    /// <summary>Builds the lists from each node's parent id.</summary>
    /// <exception cref="ArgumentException">A parent id lies outside [0, <paramref name="parentCount"/>).</exception>
    public TreeLevel(ReadOnlySpan<int> parentOf, int parentCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parentCount);
        int nodes = parentOf.Length;
        var start = new int[parentCount + 1];
        for (int i = 0; i < nodes; i++)
        {
            int p = parentOf[i];
            if ((uint)p >= (uint)parentCount)
                throw new ArgumentException($"Node {i} has parent {p}, outside [0, {parentCount}).", nameof(parentOf));
            start[p + 1]++;
        }
        int max = 0;
        for (int p = 0; p < parentCount; p++)
        {
            max = Math.Max(max, start[p + 1]);
            start[p + 1] += start[p];
        }
        var ids = new int[nodes];
        var fill = start.AsSpan(0, parentCount).ToArray();
        // Walking nodes in ascending order keeps each parent's list sorted.
        for (int i = 0; i < nodes; i++) ids[fill[parentOf[i]]++] = i;
        ChildStart = start;
        ChildIds = ids;
        MaxChildren = max;
    }

    private static int[] Parents(CsrMatrix assignment)
    {
        var parents = new int[assignment.Rows];
        for (int i = 0; i < parents.Length; i++) parents[i] = assignment.Row(i).Indices[0];
        return parents;
    }

    /// <summary>The children of <paramref name="parent"/>, ascending.</summary>
    public ReadOnlySpan<int> Children(int parent) => ChildIds.AsSpan(ChildStart[parent], ChildStart[parent + 1] - ChildStart[parent]);
}
