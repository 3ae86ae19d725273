namespace XmrEngine.Inference;

/// <summary>
/// A bounded min-heap over (node, score) pairs kept in two caller-owned spans: the root is the worst
/// entry kept. Ranking is by score, then by the smaller node id, so the kept set and its order are
/// the same whatever order candidates are offered in (the batch predictor offers them sorted by child
/// id, the single-query search parent by parent).
/// </summary>
public static class TopKHeap
{
    /// <summary>True when (sa, na) ranks below (sb, nb): lower score, or equal score and larger id.</summary>
    private static bool Worse(float sa, int na, float sb, int nb) => sa < sb || (sa == sb && na > nb);

    /// <summary>Offers a candidate to a heap of <paramref name="count"/> entries holding at most <paramref name="k"/>; returns the new count.</summary>
    public static int Offer(Span<int> nodes, Span<float> scores, int count, int k, int node, float score)
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
        if (k == 0 || !Worse(scores[0], nodes[0], score, node)) return count;
        SiftDown(nodes, scores, count, node, score);
        return count;
    }

    /// <summary>Heap-sorts the first <paramref name="count"/> entries in place, best first.</summary>
    public static void SortBestFirst(Span<int> nodes, Span<float> scores, int count)
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

    private static void SiftDown(Span<int> nodes, Span<float> scores, int count, int node, float score)
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
}
