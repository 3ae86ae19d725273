using XmrEngine.Sparse;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// The relevance matrix of a training set: one row per query (then one per item when item texts are queries too),
/// on exactly the label matrix's positives. A repeated item id sums its relevances, as SciPy sums PECOS's duplicate
/// entries; a query without relevances, and an item's own text, count 1.
/// </summary>
internal static class QueryRelevance
{
    public static CsrMatrix Matrix(IReadOnlyList<LabeledQuery> queries, int itemCount, bool itemRows)
    {
        int rows = queries.Count + (itemRows ? itemCount : 0);
        var ptr = new long[rows + 1];
        var ids = new List<int>();
        var values = new List<float>();
        for (int i = 0; i < queries.Count; i++)
        {
            var q = queries[i];
            var order = Enumerable.Range(0, q.ItemIds.Length).OrderBy(k => q.ItemIds[k]).ToArray();
            for (int s = 0; s < order.Length;)
            {
                int id = q.ItemIds[order[s]];
                double sum = 0;
                for (; s < order.Length && q.ItemIds[order[s]] == id; s++) sum += q.Relevances?[order[s]] ?? 1f;
                ids.Add(id);
                values.Add((float)sum);
            }
            ptr[i + 1] = ids.Count;
        }
        for (int j = 0; itemRows && j < itemCount; j++)
        {
            ids.Add(j);
            values.Add(1f);
            ptr[queries.Count + j + 1] = ids.Count;
        }
        return new CsrMatrix(rows, itemCount, ptr, [.. ids], [.. values]);
    }
}
