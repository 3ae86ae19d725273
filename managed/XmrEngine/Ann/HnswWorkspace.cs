namespace XmrEngine.Ann;

/// <summary>
/// One thread's scratch for graph searches: a visited mark per node (a generation stamp, so clearing is one increment),
/// the two heaps, and the lists the answers are copied into. Shared by every index on the thread; it only grows.
/// </summary>
internal sealed class HnswWorkspace
{
    [ThreadStatic] private static HnswWorkspace? t_workspace;

    private int[] _stamps = [];
    private int _generation;

    public float[] Query { get; private set; } = [];

    public PriorityQueue<int, float> Candidates { get; } = new();

    public PriorityQueue<int, float> Results { get; } = new();

    public List<(int Node, float Distance)> Found { get; } = [];

    public List<int> Selected { get; } = [];

    public static HnswWorkspace Get(int dimension)
    {
        var w = t_workspace ??= new HnswWorkspace();
        if (w.Query.Length < dimension) w.Query = new float[dimension];
        return w;
    }

    /// <summary>Starts a search over <paramref name="nodes"/> nodes: nothing visited, heaps empty.</summary>
    public void Begin(int nodes)
    {
        if (_stamps.Length < nodes) _stamps = new int[Math.Max(nodes, 2 * _stamps.Length)];
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_stamps);
            _generation = 1;
        }
        Candidates.Clear();
        Results.Clear();
    }

    /// <summary>Marks <paramref name="node"/> visited; false when it already was in this search.</summary>
    public bool Visit(int node)
    {
        if (_stamps[node] == _generation) return false;
        _stamps[node] = _generation;
        return true;
    }
}
