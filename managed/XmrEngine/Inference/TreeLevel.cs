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

    public TreeLevel(CsrMatrix assignment)
    {
        int parents = assignment.Cols, nodes = assignment.Rows;
        var start = new int[parents + 1];
        for (int i = 0; i < nodes; i++) start[assignment.RowIndices(i)[0] + 1]++;
        int max = 0;
        for (int p = 0; p < parents; p++)
        {
            max = Math.Max(max, start[p + 1]);
            start[p + 1] += start[p];
        }
        var ids = new int[nodes];
        var fill = start.AsSpan(0, parents).ToArray();
        // Walking nodes in ascending order keeps each parent's list sorted.
        for (int i = 0; i < nodes; i++) ids[fill[assignment.RowIndices(i)[0]]++] = i;
        ChildStart = start;
        ChildIds = ids;
        MaxChildren = max;
    }

    /// <summary>The children of <paramref name="parent"/>, ascending.</summary>
    public ReadOnlySpan<int> Children(int parent) => ChildIds.AsSpan(ChildStart[parent], ChildStart[parent + 1] - ChildStart[parent]);
}
