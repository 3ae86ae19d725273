using XmrEngine.Evaluation;
using XmrEngine.Inference;
using XmrEngine.Sparse;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>Scores a <see cref="ProductRetrievalModel"/> on labeled test queries (PECOS's P@k / R@k / nDCG@k).</summary>
public static class RetrievalEvaluation
{
    /// <summary>
    /// Predicts every query's top <paramref name="topK"/> items and compares them with the relevant ones.
    /// Every query counts, including those whose items the model cannot reach.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="queries">Test queries with their relevant items (ids must be below the model's item count).</param>
    /// <param name="topK">Metrics are reported at 1..topK; also the number of items retrieved per query.</param>
    /// <param name="options">Beam settings (their TopK is replaced by <paramref name="topK"/>); null for the model's defaults.</param>
    /// <param name="threads">Worker threads; 0 for all cores.</param>
    /// <param name="textWeight">Text cosine weight; null for the model's.</param>
    /// <param name="titleCandidates">Title-index candidates per query; null for the model's.</param>
    /// <exception cref="ArgumentException">No queries, or an item id outside the model's items.</exception>
    public static RankingMetrics Evaluate(ProductRetrievalModel model, IReadOnlyList<LabeledQuery> queries, int topK,
        PredictOptions? options = null, int threads = 0, float? textWeight = null, int? titleCandidates = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        if (queries.Count == 0) throw new ArgumentException("There are no test queries.", nameof(queries));
        var truth = Truth(queries, model.ItemCount);
        var predicted = model.PredictBatch(queries.Select(q => q.Text).ToArray(), (options ?? model.Info.Prediction) with { TopK = topK }, threads, textWeight, titleCandidates);
        return XmcMetrics.Evaluate(truth, predicted, topK);
    }

    /// <summary>The queries' relevant items as a queries x items 0/1 matrix.</summary>
    /// <exception cref="ArgumentException">An id is outside [0, itemCount).</exception>
    public static CsrMatrix Truth(IReadOnlyList<LabeledQuery> queries, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(queries);
        for (int i = 0; i < queries.Count; i++)
            foreach (int id in queries[i].ItemIds)
                if ((uint)id >= (uint)itemCount)
                    throw new ArgumentException($"Query {i} names item {id}, but the model has items 0 to {itemCount - 1}.", nameof(queries));
        return ProductRetrievalTrainer.LabelMatrix(queries, itemCount);
    }
}
