using XmrEngine.Inference;
using XmrEngine.Sparse;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// Ranks the union of two candidate sets with one blended score: the items the XR-Linear beam reached (with
/// their tree scores) and the top-N items by title cosine from the <see cref="TitleIndex"/> (tree score 0 when
/// the beam did not reach them). Every candidate is scored <c>(1 - w) x tree score + w x cosine(query, item
/// text)</c>, sorted best first (ties by smaller id) and cut to top-k. The title candidates find items that no
/// training query mentions, which the tree cannot rank; the tree scores lift items the rankers learned.
/// Immutable and thread-safe (each thread brings its own workspace).
/// </summary>
internal sealed class HybridRanker
{
    private readonly TitleIndex _index;

    public HybridRanker(TitleIndex index) => _index = index;

    /// <summary>The index the title candidates come from.</summary>
    public TitleIndex Index => _index;

    /// <summary>Blends and ranks; see the class remarks.</summary>
    /// <param name="query">The query's TF-IDF row (sorted indices).</param>
    /// <param name="treeCandidates">Beam-search results (distinct item ids with tree scores).</param>
    /// <param name="titleCandidates">How many items to take from the title index (N).</param>
    /// <param name="weight">Text weight w in [0, 1].</param>
    /// <param name="topK">How many results to return.</param>
    /// <param name="ws">This thread's workspace; left cleared.</param>
    public ScoredLabel[] Rank(SparseVector query, ReadOnlySpan<ScoredLabel> treeCandidates, int titleCandidates, float weight, int topK,
        TitleIndexWorkspace ws)
    {
        _index.Accumulate(query, ws);
        try
        {
            var title = new ScoredLabel[Math.Min(titleCandidates, _index.ItemCount)];
            int found = TitleIndex.SelectTop(ws, title.Length, title);
            var merged = new ScoredLabel[treeCandidates.Length + found];
            ws.NewMarkSet();
            int n = 0;
            foreach (var c in treeCandidates)
            {
                ws.Mark(c.Label);
                merged[n++] = new ScoredLabel(c.Label, (1 - weight) * c.Score + weight * ws.Score(c.Label));
            }
            for (int i = 0; i < found; i++)
                if (!ws.IsMarked(title[i].Label)) merged[n++] = new ScoredLabel(title[i].Label, weight * title[i].Score);
            Array.Sort(merged, 0, n, BestFirst.Instance);
            return merged.AsSpan(0, Math.Min(n, topK)).ToArray();
        }
        finally
        {
            ws.Clear();
        }
    }

    /// <summary>Higher score first, then smaller id.</summary>
    internal sealed class BestFirst : IComparer<ScoredLabel>
    {
        public static readonly BestFirst Instance = new();

        public int Compare(ScoredLabel a, ScoredLabel b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Label.CompareTo(b.Label);
    }
}
