using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// An inverted index over the items' own TF-IDF rows: for every feature, the items whose text has it and the
/// weight (the item matrix transposed, features x items). A query's cosine with every item is one row of the
/// product query x postings, accumulated by the SpGEMM row kernel (<see cref="ScatterAccumulator.AddProductRow"/>:
/// only the query's posting lists are walked, in ascending feature order, so each sum is formed exactly as the
/// sorted sparse dot product forms it); the best items are then picked with a bounded heap. The result is the
/// exact top-N by cosine over all items, at a cost proportional to the postings touched, not to the item count.
/// Immutable and thread-safe; each thread brings its own <see cref="TitleIndexWorkspace"/>.
/// </summary>
internal sealed class TitleIndex
{
    private readonly CsrMatrix _postings;

    /// <param name="itemRows">Items x features, rows L2-normalised (the vectorizer's output for the item texts).</param>
    public TitleIndex(CsrMatrix itemRows)
    {
        _postings = itemRows.Transpose();
        ItemCount = itemRows.Rows;
    }

    /// <summary>Number of items.</summary>
    public int ItemCount { get; }

    /// <summary>Stored (feature, item) weights.</summary>
    public long Nnz => _postings.Nnz;

    /// <summary>
    /// Accumulates the cosine of <paramref name="query"/> with every item into <paramref name="ws"/> (items sharing
    /// no feature with the query stay untouched, cosine 0). Features at or beyond the index's width are ignored.
    /// Call <see cref="TitleIndexWorkspace.Clear"/> before the next query.
    /// </summary>
    public void Accumulate(SparseVector query, TitleIndexWorkspace ws)
    {
        var cosines = ws.CosinesFor(ItemCount);
        // The indices are sorted, so the features the index knows are a prefix.
        int known = query.Indices.BinarySearch(_postings.Rows);
        if (known < 0) known = ~known;
        cosines.AddProductRow(query.Indices[..known], query.Values[..known], _postings);
    }

    /// <summary>
    /// Writes the best <paramref name="n"/> accumulated items with a positive cosine into <paramref name="output"/>,
    /// best first, ties by smaller id, and returns how many were written.
    /// </summary>
    public static int SelectTop(TitleIndexWorkspace ws, int n, Span<ScoredLabel> output)
    {
        n = Math.Min(n, output.Length);
        if (n <= 0) return 0;
        var (nodes, scores) = ws.Heap(n);
        var cosines = ws.Cosines;
        int count = 0;
        foreach (int item in cosines.Touched)
        {
            float s = cosines.Value(item);
            if (s > 0f) count = TopKHeap.Offer(nodes, scores, count, n, item, s);
        }
        TopKHeap.SortBestFirst(nodes, scores, count);
        for (int i = 0; i < count; i++) output[i] = new ScoredLabel(nodes[i], scores[i]);
        return count;
    }
}
