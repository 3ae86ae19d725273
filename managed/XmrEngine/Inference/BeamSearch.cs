namespace XmrEngine.Inference;

/// <summary>
/// PECOS's beam search over a compiled tree: start at the root with score 1; at each level score only
/// the children of the surviving beam, transform each raw score with the post-processor, combine it
/// with the parent's score (from the second level on; the first level has no previous score), and keep
/// the best <see cref="PredictOptions.BeamSize"/> nodes, or <see cref="PredictOptions.TopK"/> at the last
/// level. Ties are broken by the smaller node id so results never depend on evaluation order.
/// </summary>
internal static class BeamSearch
{
    /// <summary>Runs the search; writes the labels best-first into <paramref name="output"/> and returns how many.</summary>
    public static int Run(LevelScorer[] levels, in QueryVector query, PredictOptions options, PredictWorkspace ws, Span<ScoredLabel> output)
    {
        var post = options.PostProcessor;
        ws.BeamNodes[0] = 0;
        ws.BeamScores[0] = 1f;
        ws.BeamCount = 1;
        for (int t = 0; t < levels.Length; t++)
        {
            var level = levels[t];
            int k = t == levels.Length - 1 ? options.TopK : options.BeamSize;
            int heapCount = 0;
            for (int b = 0; b < ws.BeamCount; b++)
            {
                int parent = ws.BeamNodes[b];
                float parentScore = ws.BeamScores[b];
                var children = level.Tree.Children(parent);
                if (children.Length == 0) continue;
                var scores = ws.ChildScores.AsSpan(0, children.Length);
                level.ScoreChildren(parent, query, ws, scores);
                for (int j = 0; j < children.Length; j++)
                {
                    float s = post.Transform(scores[j]);
                    if (t > 0) s = post.Combine(s, parentScore);
                    heapCount = TopKHeap.Offer(ws.HeapNodes, ws.HeapScores, heapCount, k, children[j], s);
                }
            }
            TopKHeap.SortBestFirst(ws.HeapNodes, ws.HeapScores, heapCount);
            // The sorted heap becomes the next beam; swap instead of copying.
            (ws.BeamNodes, ws.HeapNodes) = (ws.HeapNodes, ws.BeamNodes);
            (ws.BeamScores, ws.HeapScores) = (ws.HeapScores, ws.BeamScores);
            ws.BeamCount = heapCount;
        }
        int n = Math.Min(ws.BeamCount, output.Length);
        for (int i = 0; i < n; i++) output[i] = new ScoredLabel(ws.BeamNodes[i], ws.BeamScores[i]);
        return n;
    }
}
