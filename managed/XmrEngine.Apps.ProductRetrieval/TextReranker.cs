using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// Re-scores the beam-search candidates with the cosine between the query's TF-IDF row and the item's own
/// text row: <c>(1 - w) x tree score + w x cosine</c>. The tree still chooses the candidates (every item in the
/// leaf clusters the beam reached), so the cost is one sparse dot product per candidate. It helps items with few
/// or no training queries, whose leaf rankers have little to go on, and leaves w = 0 exactly XR-Linear.
/// Immutable and thread-safe.
/// </summary>
internal sealed class TextReranker
{
    private readonly CsrMatrix _itemRows;

    public TextReranker(CsrMatrix itemRows, ClusterChain chain)
    {
        _itemRows = itemRows;
        // The widest leaf cluster bounds how many items one beam entry can contribute at the last level.
        var leaves = chain.Levels[^1];
        var children = new int[leaves.Cols];
        int widest = 1;
        for (int label = 0; label < leaves.Rows; label++)
            foreach (int parent in leaves.Row(label).Indices) widest = Math.Max(widest, ++children[parent]);
        LeafWidth = widest;
    }

    /// <summary>Most items under one last-level tree node.</summary>
    public int LeafWidth { get; }

    /// <summary>Beam settings that return every item of the leaf clusters the beam reaches (at least topK).</summary>
    public PredictOptions CandidateOptions(PredictOptions options) =>
        options with { TopK = (int)Math.Min(_itemRows.Rows, Math.Max(options.TopK, (long)options.BeamSize * LeafWidth)) };

    /// <summary>Blends and sorts the candidates (best first, ties by smaller id) and keeps the best <paramref name="topK"/>.</summary>
    public ScoredLabel[] Rerank(SparseVector query, ReadOnlySpan<ScoredLabel> candidates, float weight, int topK)
    {
        var scored = new ScoredLabel[candidates.Length];
        for (int i = 0; i < candidates.Length; i++)
        {
            int id = candidates[i].Label;
            float cosine = query.Dot(_itemRows.Row(id));
            scored[i] = new ScoredLabel(id, (1 - weight) * candidates[i].Score + weight * cosine);
        }
        Array.Sort(scored, HybridRanker.BestFirst.Instance);
        return scored.Length <= topK ? scored : scored[..topK];
    }
}
