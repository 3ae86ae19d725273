namespace XmrEngine.Inference;

/// <summary>
/// Scores chosen labels of one query instead of searching for the best ones (PECOS's
/// <c>predict_on_selected_outputs</c>, used to rerank candidates another system found): every ancestor of a
/// chosen label is scored, and a label's score is its path score exactly as the beam search computes it
/// (<see cref="BeamSelection"/>'s transform and combination, the same level scorers, the same float order),
/// so a label the beam search also returns gets the same score. Immutable; thread-safe.
/// </summary>
internal sealed class SelectedOutputScorer
{
    private readonly ILevelScorer[] _levels;
    private readonly int[][] _parentOf;

    public SelectedOutputScorer(ILevelScorer[] levels)
    {
        _levels = levels;
        _parentOf = new int[levels.Length][];
        for (int t = 0; t < levels.Length; t++)
        {
            var tree = levels[t].Tree;
            var parent = new int[tree.NodeCount];
            for (int p = 0; p < tree.ParentCount; p++)
                foreach (int c in tree.Children(p)) parent[c] = p;
            _parentOf[t] = parent;
        }
    }

    /// <summary>
    /// Writes the path score of each of <paramref name="labels"/> (strictly increasing label ids) into
    /// <paramref name="scores"/>, aligned.
    /// </summary>
    public void Score(in QueryVector query, ReadOnlySpan<int> labels, PostProcessor post, PredictWorkspace ws, Span<float> scores)
    {
        int depth = _levels.Length;
        if (labels.Length == 0) return;
        // Bottom up: the nodes of each level that lie on a chosen label's path (sorted, distinct).
        var nodes = new int[depth][];
        nodes[depth - 1] = labels.ToArray();
        for (int t = depth - 1; t > 0; t--) nodes[t - 1] = Parents(nodes[t], _parentOf[t]);
        // Top down: each path node's score from its parent's, as the beam search's step computes it.
        float[] parentScores = [1f];
        int[] parents = [0];
        for (int t = 0; t < depth; t++)
        {
            var level = _levels[t];
            var wanted = nodes[t];
            var levelScores = new float[wanted.Length];
            for (int b = 0; b < parents.Length; b++)
            {
                var children = level.Tree.Children(parents[b]);
                if (children.Length == 0) continue;
                var raw = ws.ChildScores.AsSpan(0, children.Length);
                level.ScoreChildren(parents[b], query, ws, raw);
                for (int j = 0; j < children.Length; j++)
                {
                    int at = Array.BinarySearch(wanted, children[j]);
                    if (at < 0) continue;
                    float s = post.Transform(raw[j]);
                    if (t > 0) s = post.Combine(s, parentScores[b]);
                    levelScores[at] = s;
                }
            }
            parents = wanted;
            parentScores = levelScores;
        }
        parentScores.CopyTo(scores);
    }

    private static int[] Parents(int[] children, int[] parentOf)
    {
        var parents = new int[children.Length];
        for (int i = 0; i < children.Length; i++) parents[i] = parentOf[children[i]];
        Array.Sort(parents);
        int n = 0;
        for (int i = 0; i < parents.Length; i++)
            if (n == 0 || parents[n - 1] != parents[i]) parents[n++] = parents[i];
        return parents[..n];
    }
}
