using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// For every node of one tree level, the solver cost factor of each of its positives, aligned with the node's
/// positives (<see cref="NodeInstanceLists.Of"/>: instances ascending). Built from a level's relevance matrix
/// (instances x nodes, one entry per positive pair). Immutable once built.
/// </summary>
internal sealed class NodeCostLists
{
    private readonly long[] _ptr;
    private readonly float[] _costs;

    private NodeCostLists(long[] ptr, float[] costs)
    {
        _ptr = ptr;
        _costs = costs;
    }

    /// <summary>The costs of <paramref name="node"/>'s positives, in ascending instance order.</summary>
    public ReadOnlySpan<float> Of(int node) => _costs.AsSpan((int)_ptr[node], (int)(_ptr[node + 1] - _ptr[node]));

    /// <summary>Transposes <paramref name="relevance"/> (instances x nodes) into per-node lists, instances ascending.</summary>
    public static NodeCostLists FromRows(CsrMatrix relevance)
    {
        int nodes = relevance.Cols;
        var ptr = new long[nodes + 1];
        foreach (int node in relevance.Indices) ptr[node + 1]++;
        for (int n = 0; n < nodes; n++) ptr[n + 1] += ptr[n];
        var next = ptr[..nodes];
        var costs = new float[relevance.Nnz];
        // Walking instances in ascending order fills each node's list in the order its positives are listed.
        for (int i = 0; i < relevance.Rows; i++)
        {
            var row = relevance.Row(i);
            for (int k = 0; k < row.Indices.Length; k++) costs[next[row.Indices[k]]++] = row.Values[k];
        }
        return new NodeCostLists(ptr, costs);
    }
}
