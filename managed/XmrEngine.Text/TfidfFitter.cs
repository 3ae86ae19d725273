using XmrEngine.Common;

namespace XmrEngine.Text;

/// <summary>
/// Fits several vectorizers in one streaming pass: documents are read in batches, each batch is cut into one
/// contiguous slice per worker, and every worker counts document frequencies into its own tables (one per
/// vectorizer). The tables are summed at the end. Only one batch of documents is held in memory.
/// </summary>
internal static class TfidfFitter
{
    /// <summary>Documents per batch; large enough to keep workers busy, small enough to bound memory.</summary>
    internal const int BatchSize = 4096;

    public static TfidfVectorizer[] Fit(IEnumerable<string> documents, IReadOnlyList<TfidfOptions> options, int threads)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var o in options) o.Validate();
        int workers = ThreadCount.Resolve(threads);
        var counters = new DocumentFrequencyCounter[workers, options.Count];
        var scratch = new TextScratch[workers];
        for (int w = 0; w < workers; w++)
        {
            scratch[w] = new TextScratch();
            for (int v = 0; v < options.Count; v++) counters[w, v] = new DocumentFrequencyCounter();
        }

        var batch = new string[BatchSize];
        long total = 0;
        using (var e = documents.GetEnumerator())
        {
            while (true)
            {
                int filled = DocumentBatch.Fill(e, batch, total);
                if (filled == 0) break;
                CountBatch(batch, filled, options, counters, scratch, workers);
                total += filled;
                if (filled < batch.Length) break;
            }
        }
        if (total == 0) throw new ArgumentException("Cannot fit a TF-IDF vectorizer on an empty corpus.", nameof(documents));

        var result = new TfidfVectorizer[options.Count];
        for (int v = 0; v < options.Count; v++)
        {
            var merged = counters[0, v];
            for (int w = 1; w < workers; w++) merged.MergeFrom(counters[w, v]);
            var (terms, idf) = VocabularyBuilder.Build(merged.Table, total, options[v]);
            merged.Table.Clear();
            result[v] = new TfidfVectorizer(options[v], terms, idf, total);
        }
        return result;
    }

    private static void CountBatch(string[] batch, int count, IReadOnlyList<TfidfOptions> options,
        DocumentFrequencyCounter[,] counters, TextScratch[] scratch, int workers)
    {
        int slices = Math.Min(workers, count);
        if (slices <= 1)
        {
            CountSlice(batch, 0, count, 0, options, counters, scratch);
            return;
        }
        Parallel.For(0, slices, new ParallelOptions { MaxDegreeOfParallelism = slices }, w =>
        {
            int start = (int)((long)count * w / slices), end = (int)((long)count * (w + 1) / slices);
            CountSlice(batch, start, end, w, options, counters, scratch);
        });
    }

    private static void CountSlice(string[] batch, int start, int end, int worker, IReadOnlyList<TfidfOptions> options,
        DocumentFrequencyCounter[,] counters, TextScratch[] scratch)
    {
        for (int d = start; d < end; d++)
            for (int v = 0; v < options.Count; v++)
                counters[worker, v].AddDocument(batch[d], options[v], scratch[worker]);
    }
}
