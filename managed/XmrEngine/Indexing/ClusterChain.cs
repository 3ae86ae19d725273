using XmrEngine.Sparse;

namespace XmrEngine.Indexing;

/// <summary>
/// A label tree as a chain of assignment matrices, PECOS's "cluster chain". Level t (0 = just below
/// the root) has <c>Levels[t].Rows</c> nodes; <c>Levels[t]</c> is a 0/1 CSR matrix of shape
/// (nodes at level t) x (nodes at level t-1) whose row i holds exactly one 1, at the parent of node i.
/// <c>Levels[0]</c> has one column (the root). The last level's rows are the labels.
/// Immutable and safe to share between threads.
/// </summary>
public sealed class ClusterChain
{
    private readonly CsrMatrix[] _levels;

    /// <summary>The assignment matrices, top level first.</summary>
    public IReadOnlyList<CsrMatrix> Levels => _levels;

    /// <summary>Number of levels (tree depth below the root).</summary>
    public int Depth => _levels.Length;

    /// <summary>Number of labels (rows of the last level).</summary>
    public int LabelCount => _levels[^1].Rows;

    /// <summary>Builds a chain after checking that it forms a tree.</summary>
    /// <exception cref="ArgumentException">A level does not chain onto the previous one, or a node has not exactly one parent.</exception>
    public ClusterChain(IEnumerable<CsrMatrix> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        _levels = levels.ToArray();
        if (_levels.Length == 0) throw new ArgumentException("A cluster chain needs at least one level.", nameof(levels));
        for (int t = 0; t < _levels.Length; t++)
        {
            var c = _levels[t];
            int expectedParents = t == 0 ? 1 : _levels[t - 1].Rows;
            if (c.Cols != expectedParents)
                throw new ArgumentException($"Cluster chain level {t} has {c.Cols} parent columns; level {t - 1} has {expectedParents} nodes.", nameof(levels));
            for (int i = 0; i < c.Rows; i++)
                if (c.RowLength(i) != 1)
                    throw new ArgumentException($"Cluster chain level {t}, node {i} has {c.RowLength(i)} parents; each node needs exactly one.", nameof(levels));
        }
    }

    /// <summary>The parent (at level t-1, or 0 for the root) of node <paramref name="node"/> at level <paramref name="level"/>.</summary>
    public int Parent(int level, int node) => _levels[level].Row(node).Indices[0];

    /// <summary>A flat chain with a single level: every label is a child of the root (one-vs-all).</summary>
    public static ClusterChain Flat(int labelCount)
    {
        var ptr = new long[labelCount + 1];
        for (int i = 0; i <= labelCount; i++) ptr[i] = i;
        var ones = new float[labelCount];
        Array.Fill(ones, 1f);
        return new ClusterChain([new CsrMatrix(labelCount, 1, ptr, new int[labelCount], ones)]);
    }

    /// <summary>Builds a level from a parent id per node.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parent id is outside [0, parentCount).</exception>
    public static CsrMatrix LevelFromParents(ReadOnlySpan<int> parentOfNode, int parentCount)
    {
        var ptr = new long[parentOfNode.Length + 1];
        var idx = new int[parentOfNode.Length];
        for (int i = 0; i < parentOfNode.Length; i++)
        {
            if ((uint)parentOfNode[i] >= (uint)parentCount)
                throw new ArgumentOutOfRangeException(nameof(parentOfNode), parentOfNode[i], $"Node {i}: parent outside [0, {parentCount}).");
            idx[i] = parentOfNode[i];
            ptr[i + 1] = i + 1;
        }
        var ones = new float[parentOfNode.Length];
        Array.Fill(ones, 1f);
        return new CsrMatrix(parentOfNode.Length, parentCount, ptr, idx, ones);
    }
}
