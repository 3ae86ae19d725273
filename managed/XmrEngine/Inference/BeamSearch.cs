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
                    heapCount = Offer(ws.HeapNodes, ws.HeapScores, heapCount, k, children[j], s);
                }
            }
            DrainSortedBestFirst(ws.HeapNodes, ws.HeapScores, heapCount);
            // The sorted heap becomes the next beam; swap instead of copying.
            (ws.BeamNodes, ws.HeapNodes) = (ws.HeapNodes, ws.BeamNodes);
            (ws.BeamScores, ws.HeapScores) = (ws.HeapScores, ws.BeamScores);
            ws.BeamCount = heapCount;
        }
        int n = Math.Min(ws.BeamCount, output.Length);
        for (int i = 0; i < n; i++) output[i] = new ScoredLabel(ws.BeamNodes[i], ws.BeamScores[i]);
        return n;
    }

    /// <summary>True when (sa, na) ranks below (sb, nb): lower score, or equal score and larger id.</summary>
    private static bool Worse(float sa, int na, float sb, int nb) => sa < sb || (sa == sb && na > nb);

    /// <summary>Offers a candidate to a min-heap (root = worst kept) holding at most <paramref name="k"/> entries.</summary>
    private static int Offer(int[] nodes, float[] scores, int count, int k, int node, float score)
    {
        if (count < k)
        {
            int i = count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Worse(score, node, scores[parent], nodes[parent])) break;
                nodes[i] = nodes[parent];
                scores[i] = scores[parent];
                i = parent;
            }
            nodes[i] = node;
            scores[i] = score;
            return count;
        }
        if (!Worse(scores[0], nodes[0], score, node)) return count;
        SiftDown(nodes, scores, count, node, score);
        return count;
    }

    /// <summary>Places (node, score) at the root and sifts it down into a heap of <paramref name="count"/> entries.</summary>
    private static void SiftDown(int[] nodes, float[] scores, int count, int node, float score)
    {
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= count) break;
            if (child + 1 < count && Worse(scores[child + 1], nodes[child + 1], scores[child], nodes[child])) child++;
            if (!Worse(scores[child], nodes[child], score, node)) break;
            nodes[i] = nodes[child];
            scores[i] = scores[child];
            i = child;
        }
        nodes[i] = node;
        scores[i] = score;
    }

    /// <summary>Heap-sorts in place so that index 0 holds the best entry.</summary>
    private static void DrainSortedBestFirst(int[] nodes, float[] scores, int count)
    {
        for (int end = count - 1; end > 0; end--)
        {
            int worstNode = nodes[0];
            float worstScore = scores[0];
            SiftDown(nodes, scores, end, nodes[end], scores[end]);
            nodes[end] = worstNode;
            scores[end] = worstScore;
        }
    }
}
