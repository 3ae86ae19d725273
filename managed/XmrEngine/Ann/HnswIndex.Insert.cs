namespace XmrEngine.Ann;

public sealed partial class HnswIndex
{
    /// <summary>Links a stored node into the graph (under the writer lock).</summary>
    private void Insert(int node, int level)
    {
        if (_entry < 0)
        {
            _entry = node;
            _maxLevel = level;
            return;
        }
        var q = _vectors.AsSpan(node * Dimension, Dimension);
        var w = HnswWorkspace.Get(Dimension);
        int ep = _entry;
        for (int l = _maxLevel; l > level; l--) ep = Greedy(q, ep, l);
        for (int l = Math.Min(level, _maxLevel); l >= 0; l--)
        {
            // Deleted nodes are candidates too: they keep routing searches, so new nodes may link to them.
            var found = SearchLayer(q, ep, Options.EfConstruction, l, w, skipDeleted: false);
            ep = found[0].Node;
            var chosen = SelectNeighbours(found, Options.M, w.Selected);
            SetNeighbours(node, l, chosen);
            foreach (int n in chosen) Connect(n, node, l);
        }
        if (level > _maxLevel)
        {
            _maxLevel = level;
            _entry = node;
        }
    }

    private int Capacity(int level) => level == 0 ? M0 : Options.M;

    /// <summary>
    /// The diversity heuristic: walk the candidates closest first and keep one only if it is closer to the base node
    /// than to every node already kept, up to <paramref name="m"/>. Candidates are (node, distance to the base).
    /// </summary>
    private List<int> SelectNeighbours(List<(int Node, float Distance)> candidates, int m, List<int> selected)
    {
        selected.Clear();
        foreach (var (c, dc) in candidates)
        {
            if (selected.Count >= m) break;
            var vc = _vectors.AsSpan(c * Dimension, Dimension);
            bool keep = true;
            foreach (int s in selected)
            {
                if (Distance(vc, s) < dc)
                {
                    keep = false;
                    break;
                }
            }
            if (keep) selected.Add(c);
        }
        return selected;
    }

    private void SetNeighbours(int node, int level, List<int> neighbours)
    {
        if (level == 0)
        {
            neighbours.CopyTo(_links0, node * M0);
            _count0[node] = neighbours.Count;
        }
        else
        {
            _upper[node][level - 1] = [.. neighbours];
        }
    }

    /// <summary>Adds <paramref name="added"/> to <paramref name="node"/>'s neighbours; over capacity, the heuristic re-chooses among them all.</summary>
    private void Connect(int node, int added, int level)
    {
        var current = Neighbours(node, level);
        if (current.Contains(added)) return;
        int capacity = Capacity(level);
        if (current.Length < capacity)
        {
            if (level == 0)
            {
                _links0[node * M0 + _count0[node]] = added;
                _count0[node]++;
            }
            else
            {
                _upper[node][level - 1] = [.. current, added];
            }
            return;
        }
        var v = _vectors.AsSpan(node * Dimension, Dimension);
        var pool = new List<(int Node, float Distance)>(current.Length + 1);
        foreach (int n in current) pool.Add((n, Distance(v, n)));
        pool.Add((added, Distance(v, added)));
        pool.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Node.CompareTo(b.Node));
        SetNeighbours(node, level, SelectNeighbours(pool, capacity, new List<int>(capacity)));
    }
}
