namespace XmrEngine.Training;

/// <summary>
/// For every node of one tree level, the sorted list of instances attached to it (its positives,
/// or the instances a beam search routes to it). Built from per-instance node lists in two counting
/// passes, so lists come out sorted by instance without a sort. Immutable once built.
/// </summary>
internal sealed class NodeInstanceLists
{
    private readonly long[] _ptr;
    private readonly int[] _instances;

    private NodeInstanceLists(long[] ptr, int[] instances)
    {
        _ptr = ptr;
        _instances = instances;
    }

    /// <summary>Number of nodes.</summary>
    public int NodeCount => _ptr.Length - 1;

    /// <summary>The instances attached to <paramref name="node"/>, ascending.</summary>
    public ReadOnlySpan<int> Of(int node) => _instances.AsSpan((int)_ptr[node], (int)(_ptr[node + 1] - _ptr[node]));

    /// <summary>
    /// Inverts "instance -&gt; items" (CSR arrays <paramref name="rowPtr"/> / <paramref name="items"/>) into
    /// "node -&gt; instances", mapping each item to a node through <paramref name="nodeOfItem"/> (null: the
    /// item is the node). An instance appears once per node even when several of its items map there.
    /// </summary>
    public static NodeInstanceLists Build(int instanceCount, ReadOnlySpan<long> rowPtr, ReadOnlySpan<int> items, int[]? nodeOfItem, int nodeCount)
    {
        var lastSeen = new int[nodeCount];
        Array.Fill(lastSeen, -1);
        var ptr = new long[nodeCount + 1];
        for (int i = 0; i < instanceCount; i++)
        {
            for (long k = rowPtr[i]; k < rowPtr[i + 1]; k++)
            {
                int node = nodeOfItem is null ? items[(int)k] : nodeOfItem[items[(int)k]];
                if (lastSeen[node] == i) continue;
                lastSeen[node] = i;
                ptr[node + 1]++;
            }
        }
        for (int n = 0; n < nodeCount; n++) ptr[n + 1] += ptr[n];
        var next = new long[nodeCount];
        Array.Copy(ptr, next, nodeCount);
        var instances = new int[ptr[nodeCount]];
        Array.Fill(lastSeen, -1);
        for (int i = 0; i < instanceCount; i++)
        {
            for (long k = rowPtr[i]; k < rowPtr[i + 1]; k++)
            {
                int node = nodeOfItem is null ? items[(int)k] : nodeOfItem[items[(int)k]];
                if (lastSeen[node] == i) continue;
                lastSeen[node] = i;
                instances[next[node]++] = i;
            }
        }
        return new NodeInstanceLists(ptr, instances);
    }
}
