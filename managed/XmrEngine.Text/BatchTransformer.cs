using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Text;

/// <summary>
/// Streams documents through a vectorizer in batches: each batch is transformed in parallel in fixed-size
/// blocks (boundaries independent of the thread count), each block into its own buffers, and the blocks are
/// appended in order, so the matrix is identical for any thread count.
/// </summary>
internal static class BatchTransformer
{
    private const int BlockSize = 64;

    public static CsrMatrix Transform(ITextVectorizer vectorizer, IEnumerable<string> documents, int threads)
    {
        ArgumentNullException.ThrowIfNull(documents);
        int workers = ThreadCount.Resolve(threads);
        var rowPtr = new List<long> { 0 };
        var all = new FeatureBuffer();
        var batch = new string[TfidfFitter.BatchSize];
        var blocks = new FeatureBuffer[(batch.Length + BlockSize - 1) / BlockSize];
        var blockRows = new int[blocks.Length][];
        for (int b = 0; b < blocks.Length; b++)
        {
            blocks[b] = new FeatureBuffer();
            blockRows[b] = new int[BlockSize];
        }
        long total = 0;
        // One workspace per pool thread for the whole call, so buffers grown in one batch serve the next.
        using var workspaces = new ThreadLocal<TfidfWorkspace>(() => new TfidfWorkspace());
        using var e = documents.GetEnumerator();
        while (true)
        {
            int filled = DocumentBatch.Fill(e, batch, total);
            if (filled == 0) break;
            ParallelBlocks.Run(filled, BlockSize, workers, () => workspaces.Value!, (b, start, end, ws) =>
            {
                var output = blocks[b];
                output.Clear();
                for (int d = start; d < end; d++)
                {
                    var row = vectorizer.Transform(batch[d], ws);
                    output.EnsureCapacity(output.Count + row.Length);
                    row.Indices.CopyTo(output.Indices.AsSpan(output.Count));
                    row.Values.CopyTo(output.Values.AsSpan(output.Count));
                    output.Count += row.Length;
                    blockRows[b][d - start] = row.Length;
                }
            });
            int usedBlocks = (filled + BlockSize - 1) / BlockSize;
            for (int b = 0; b < usedBlocks; b++)
            {
                int rows = Math.Min(BlockSize, filled - b * BlockSize);
                for (int r = 0; r < rows; r++) rowPtr.Add(rowPtr[^1] + blockRows[b][r]);
                all.EnsureCapacity(all.Count + blocks[b].Count);
                blocks[b].IndexSpan.CopyTo(all.Indices.AsSpan(all.Count));
                blocks[b].ValueSpan.CopyTo(all.Values.AsSpan(all.Count));
                all.Count += blocks[b].Count;
            }
            Array.Clear(batch, 0, filled);
            total += filled;
            if (filled < batch.Length) break;
        }
        if (total > int.MaxValue) throw new ArgumentException($"{total} documents exceed the row limit of a CsrMatrix.", nameof(documents));
        return new CsrMatrix((int)total, vectorizer.FeatureCount, [.. rowPtr], all.IndexSpan.ToArray(), all.ValueSpan.ToArray());
    }
}
