using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmrEngine.Inference;
using XmrEngine.Sparse;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// An inverted index over the items' own TF-IDF rows: for every feature, the items whose text has it and the
/// weight. A query's cosine with every item is accumulated by walking only the posting lists of the query's
/// features (term-at-a-time, ascending feature order, so each sum is formed exactly as the sorted sparse dot
/// product forms it), then the best items are picked with a bounded heap. The result is the exact top-N by
/// cosine over all items, at a cost proportional to the postings touched, not to the item count.
/// Immutable and thread-safe; each thread brings its own <see cref="TitleIndexWorkspace"/>.
/// </summary>
internal sealed class TitleIndex
{
    private readonly CscMatrix _postings;

    /// <param name="itemRows">Items x features, rows L2-normalised (the vectorizer's output for the item texts).</param>
    public TitleIndex(CsrMatrix itemRows)
    {
        _postings = itemRows.ToCsc();
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
        ws.EnsureFor(ItemCount);
        var scores = ws.Scores;
        ref long colPtr = ref MemoryMarshal.GetReference(_postings.ColumnPointers);
        var rows = _postings.RowIndices;
        var values = _postings.Values;
        for (int p = 0; p < query.Length; p++)
        {
            int f = query.Indices[p];
            if ((uint)f >= (uint)_postings.Cols) continue;
            float q = query.Values[p];
            int start = (int)Unsafe.Add(ref colPtr, f), end = (int)Unsafe.Add(ref colPtr, f + 1);
            for (int k = start; k < end; k++)
            {
                int item = rows[k];
                if (scores[item] == 0f && !ws.IsTouched(item)) ws.Touch(item);
                // The product is written as query weight x item weight, as the sorted dot product does.
                scores[item] += q * values[k];
            }
        }
    }

    /// <summary>
    /// Writes the best <paramref name="n"/> accumulated items with a positive cosine into <paramref name="output"/>,
    /// best first, ties by smaller id, and returns how many were written.
    /// </summary>
    public static int SelectTop(TitleIndexWorkspace ws, int n, Span<ScoredLabel> output)
    {
        n = Math.Min(n, output.Length);
        if (n <= 0) return 0;
        var heap = ws.Heap(n);
        int count = 0;
        var scores = ws.Scores;
        foreach (int item in ws.Touched)
        {
            float s = scores[item];
            if (!(s > 0f)) continue;
            if (count == n && !Better(s, item, heap[0])) continue;
            count = Offer(heap, count, n, new ScoredLabel(item, s));
        }
        // Drain the min-heap: the worst kept entry comes out first, so fill the output from the back.
        for (int i = count - 1; i >= 0; i--)
        {
            output[i] = heap[0];
            heap[0] = heap[i];
            SiftDown(heap, i, 0);
        }
        return count;
    }

    private static bool Better(float score, int id, ScoredLabel than) =>
        score > than.Score || (score == than.Score && id < than.Label);

    /// <summary>Adds to a min-heap (root = worst kept) of at most <paramref name="k"/> entries.</summary>
    private static int Offer(ScoredLabel[] heap, int count, int k, ScoredLabel entry)
    {
        if (count < k)
        {
            int i = count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Better(heap[parent].Score, heap[parent].Label, entry)) break;
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = entry;
            return count;
        }
        heap[0] = entry;
        SiftDown(heap, count, 0);
        return count;
    }

    private static void SiftDown(ScoredLabel[] heap, int count, int i)
    {
        var entry = heap[i];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= count) break;
            if (child + 1 < count && Better(heap[child].Score, heap[child].Label, heap[child + 1])) child++;
            if (!Better(entry.Score, entry.Label, heap[child])) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = entry;
    }
}
