namespace XmrEngine.Indexing;

/// <summary>
/// The top levels of a character trie over label strings, as cluster-chain levels. The node of label s at
/// trie level t (0-based, t &lt; depth) is keyed by <c>s[..min(len(s), t + 1)]</c>: the prefix of length t + 1,
/// or, for a label shorter than that, the whole label — a terminal node that continues as a single-child
/// chain down to the last trie level, so every label has a node on every level. Keys are numbered in ordinal
/// order per level, which makes the levels deterministic.
/// </summary>
internal sealed class TrieLevels
{
    /// <summary>Per trie level, the parent (node of the level above, 0 = root for level 0) of each node.</summary>
    public int[][] ParentOfNode { get; }

    /// <summary>Per trie level, the node key strings in node order.</summary>
    public string[][] Keys { get; }

    /// <summary>The node at the last trie level of each label.</summary>
    public int[] LeafOfLabel { get; }

    /// <summary>Number of trie levels.</summary>
    public int Depth => Keys.Length;

    private TrieLevels(int[][] parents, string[][] keys, int[] leafOfLabel)
    {
        ParentOfNode = parents;
        Keys = keys;
        LeafOfLabel = leafOfLabel;
    }

    /// <summary>Builds the trie levels for <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentException">There are no labels, a label is null or empty, or the depth is below 1.</exception>
    public static TrieLevels Build(IReadOnlyList<string> labels, int depth)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), depth, "The trie depth must be at least 1.");
        if (labels.Count == 0) throw new ArgumentException("Cannot index zero labels.", nameof(labels));
        for (int l = 0; l < labels.Count; l++)
            if (string.IsNullOrEmpty(labels[l])) throw new ArgumentException($"Label {l} is null or empty; a trie needs at least one character.", nameof(labels));

        var parents = new int[depth][];
        var keys = new string[depth][];
        Dictionary<string, int>? above = null;
        int[] nodeOfLabel = [];
        for (int t = 0; t < depth; t++)
        {
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in labels) distinct.Add(Key(s, t));
            var sorted = distinct.ToArray();
            Array.Sort(sorted, StringComparer.Ordinal);
            var index = new Dictionary<string, int>(sorted.Length, StringComparer.Ordinal);
            for (int i = 0; i < sorted.Length; i++) index[sorted[i]] = i;
            var parent = new int[sorted.Length];
            if (above is not null)
                for (int i = 0; i < sorted.Length; i++) parent[i] = above[Key(sorted[i], t - 1)];
            parents[t] = parent;
            keys[t] = sorted;
            above = index;
            if (t == depth - 1)
            {
                nodeOfLabel = new int[labels.Count];
                for (int l = 0; l < labels.Count; l++) nodeOfLabel[l] = index[Key(labels[l], t)];
            }
        }
        return new TrieLevels(parents, keys, nodeOfLabel);
    }

    /// <summary>The key of string <paramref name="s"/> at trie level <paramref name="level"/>.</summary>
    public static string Key(string s, int level) => s.Length > level + 1 ? s[..(level + 1)] : s;
}
