using XmrEngine.Inference;
using XmrEngine.Sharding;
using XmrEngine.Sparse;

namespace XmrEngine.Hosting.Api;

/// <summary>
/// Predicts a request's rows through a sharded router (a model served by a cluster) and lays the answers out as the
/// in-process predictor's: each row's labels best first, ties to the smaller label id (the beam's own rule).
/// </summary>
internal static class ShardedPrediction
{
    public static async Task<LabelScore[][]> PredictAsync(ShardedPredictor router, ValidRow[] rows, PredictOptions options, CancellationToken cancel)
    {
        // One batch for the whole request: the router sends one call per shard and level for all rows together.
        long[] pointers = new long[rows.Length + 1];
        for (int r = 0; r < rows.Length; r++) pointers[r + 1] = pointers[r] + rows[r].Indices.Length;
        int[] indices = new int[pointers[^1]];
        float[] values = new float[pointers[^1]];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r].Indices.CopyTo(indices, pointers[r]);
            rows[r].Values.CopyTo(values, pointers[r]);
        }
        var queries = new CsrMatrix(rows.Length, router.FeatureCount, pointers, indices, values);
        // One thread for the meta-model's beam: a request must not take every core from the others.
        var predicted = await router.PredictAsync(queries, options, maxThreads: 1, cancel).ConfigureAwait(false);
        var results = new LabelScore[rows.Length][];
        for (int r = 0; r < rows.Length; r++)
        {
            var row = predicted.Row(r);
            var labels = new LabelScore[row.Indices.Length];
            for (int i = 0; i < labels.Length; i++) labels[i] = new LabelScore(row.Indices[i], row.Values[i]);
            // The router answers in label order (CSR); the endpoint answers best first.
            Array.Sort(labels, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Label.CompareTo(b.Label));
            results[r] = labels;
        }
        return results;
    }
}
