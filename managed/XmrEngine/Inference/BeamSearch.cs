namespace XmrEngine.Inference;

/// <summary>
/// PECOS's beam search for one query over a compiled tree: start at the root with score 1; at each level
/// score only the children of the surviving beam and keep the best <see cref="PredictOptions.BeamSize"/>
/// nodes, or <see cref="PredictOptions.TopK"/> at the last level (see <see cref="BeamSelection"/> for the
/// scoring rule; ties go to the smaller node id, so results never depend on evaluation order).
/// <see cref="Step"/> is one level of it, which training calls level by level while the tree's weights are
/// still being trained (matcher-aware negatives). The search sees a level only through
/// <see cref="ILevelScorer"/>, so it is the same for every weight layout.
/// </summary>
internal static class BeamSearch
{
    /// <summary>Runs the search; writes the labels best-first into <paramref name="output"/> and returns how many.</summary>
    public static int Run(ILevelScorer[] levels, in QueryVector query, PredictOptions options, PredictWorkspace ws, Span<ScoredLabel> output) =>
        Run(levels, query, options.BeamSize, options.TopK, options.PostProcessor, ws, output);

    /// <summary>Runs the search with explicit settings (an ensemble asks each tree for more than the final top-k).</summary>
    public static int Run(ILevelScorer[] levels, in QueryVector query, int beamSize, int topK, PostProcessor post, PredictWorkspace ws, Span<ScoredLabel> output)
    {
        ws.BeamNodes[0] = 0;
        ws.BeamScores[0] = 1f;
        ws.BeamCount = 1;
        for (int t = 0; t < levels.Length; t++)
        {
            int k = t == levels.Length - 1 ? topK : beamSize;
            int count = Step(levels[t], query, ws.BeamNodes.AsSpan(0, ws.BeamCount), ws.BeamScores.AsSpan(0, ws.BeamCount),
                post, combine: t > 0, k, ws, ws.HeapNodes, ws.HeapScores);
            // The sorted heap becomes the next beam; swap instead of copying.
            (ws.BeamNodes, ws.HeapNodes) = (ws.HeapNodes, ws.BeamNodes);
            (ws.BeamScores, ws.HeapScores) = (ws.HeapScores, ws.BeamScores);
            ws.BeamCount = count;
        }
        int n = Math.Min(ws.BeamCount, output.Length);
        for (int i = 0; i < n; i++) output[i] = new ScoredLabel(ws.BeamNodes[i], ws.BeamScores[i]);
        return n;
    }

    /// <summary>
    /// Moves one query's beam one level down: scores the children of <paramref name="parents"/> with
    /// <paramref name="level"/> and writes the best <paramref name="k"/>, best first, into
    /// <paramref name="nodes"/> and <paramref name="scores"/>; returns how many.
    /// </summary>
    /// <param name="level">The level's scorer.</param>
    /// <param name="query">The query (with its bias value).</param>
    /// <param name="parents">The beam at the level above, best first.</param>
    /// <param name="parentScores">Path scores aligned with <paramref name="parents"/>.</param>
    /// <param name="post">Transform and combiner.</param>
    /// <param name="combine">False at the top level.</param>
    /// <param name="k">Most nodes to keep; <paramref name="nodes"/> and <paramref name="scores"/> hold at least this many.</param>
    /// <param name="ws">Scratch; <see cref="PredictWorkspace.ChildScores"/> must hold the level's largest family.</param>
    /// <param name="nodes">Receives the kept node ids (used as the heap while selecting, so it must not alias the inputs).</param>
    /// <param name="scores">Receives the kept path scores.</param>
    public static int Step(ILevelScorer level, in QueryVector query, ReadOnlySpan<int> parents, ReadOnlySpan<float> parentScores,
        PostProcessor post, bool combine, int k, PredictWorkspace ws, Span<int> nodes, Span<float> scores)
    {
        int count = 0;
        for (int b = 0; b < parents.Length; b++)
        {
            int parent = parents[b];
            var children = level.Tree.Children(parent);
            if (children.Length == 0) continue;
            var raw = ws.ChildScores.AsSpan(0, children.Length);
            level.ScoreChildren(parent, query, ws, raw);
            count = BeamSelection.Offer(post, combine, parentScores[b], children, raw, nodes, scores, count, k);
        }
        TopKHeap.SortBestFirst(nodes, scores, count);
        return count;
    }
}
