using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// Turns a relevance matrix into every level's positive costs, as PECOS's <c>ClusterChain.generate_relevance_chain</c>
/// does: the labels' relevances (checked to sit exactly on Y's positives), induced up the tree by summing each
/// instance's relevances per node (or, ranker-only, on the last level alone), then each instance's row on each level
/// scaled by the norm.
/// </summary>
internal static class RelevanceChain
{
    /// <summary>Per level, the positives' costs; null where the level trains without relevance.</summary>
    /// <param name="y">Instances x labels.</param>
    /// <param name="relevance">The relevance settings and values.</param>
    /// <param name="nodeOfLabel">Per level, the node every label sits under.</param>
    /// <param name="nodesPerLevel">Per level, its node count.</param>
    /// <exception cref="ArgumentException">The relevance matrix is not exactly on Y's positives.</exception>
    public static NodeCostLists?[] Build(CsrMatrix y, RelevanceWeights relevance, int[][] nodeOfLabel, int[] nodesPerLevel)
    {
        var positives = y.Binarize();
        var leaf = relevance.Values ?? positives;
        CheckPattern(leaf, positives);
        int depth = nodesPerLevel.Length;
        var result = new NodeCostLists?[depth];
        for (int t = 0; t < depth; t++)
        {
            if (relevance.Mode == RelevanceMode.RankerOnly && t < depth - 1) continue;
            var level = t == depth - 1 ? leaf : Induce(leaf, nodeOfLabel[t], nodesPerLevel[t]);
            result[t] = NodeCostLists.FromRows(Normalized(level, relevance.Norm));
        }
        return result;
    }

    /// <summary>Fails unless <paramref name="r"/> stores exactly the entries of <paramref name="positives"/>.</summary>
    internal static void CheckPattern(CsrMatrix r, CsrMatrix positives)
    {
        if (r.Rows != positives.Rows || r.Cols != positives.Cols)
            throw new ArgumentException($"The relevance matrix is {r.Rows} x {r.Cols} but Y is {positives.Rows} x {positives.Cols}; it needs Y's shape.", "relevance");
        for (int i = 0; i < r.Rows; i++)
        {
            var a = r.Row(i).Indices;
            var b = positives.Row(i).Indices;
            if (a.SequenceEqual(b)) continue;
            int k = 0;
            while (k < a.Length && k < b.Length && a[k] == b[k]) k++;
            string what = k < a.Length && (k >= b.Length || a[k] < b[k])
                ? $"has a relevance for label {a[k]}, which is not a positive of the row in Y"
                : $"has no relevance for label {b[k]}, a positive of the row in Y";
            throw new ArgumentException($"Row {i} of the relevance matrix {what}; the relevance matrix needs exactly Y's positives.", "relevance");
        }
    }

    /// <summary>Each instance's relevances summed per node (R times the chain's assignment matrices).</summary>
    private static CsrMatrix Induce(CsrMatrix leaf, int[] nodeOfLabel, int nodes)
    {
        var ptr = new long[leaf.Rows + 1];
        var ids = new List<int>((int)leaf.Nnz);
        var sums = new List<float>((int)leaf.Nnz);
        var keys = new int[16];
        var vals = new double[16];
        for (int i = 0; i < leaf.Rows; i++)
        {
            var row = leaf.Row(i);
            int n = row.Indices.Length;
            if (keys.Length < n)
            {
                keys = new int[n];
                vals = new double[n];
            }
            for (int k = 0; k < n; k++)
            {
                keys[k] = nodeOfLabel[row.Indices[k]];
                vals[k] = row.Values[k];
            }
            // Stable within a node: the sum runs in label order, as the product does.
            var order = Enumerable.Range(0, n).OrderBy(k => keys[k]).ToArray();
            for (int s = 0; s < n;)
            {
                int node = keys[order[s]];
                double sum = 0;
                for (; s < n && keys[order[s]] == node; s++) sum += vals[order[s]];
                ids.Add(node);
                sums.Add((float)sum);
            }
            ptr[i + 1] = ids.Count;
        }
        return new CsrMatrix(leaf.Rows, nodes, ptr, ids.ToArray(), sums.ToArray());
    }

    private static CsrMatrix Normalized(CsrMatrix m, RelevanceNorm norm)
    {
        if (norm == RelevanceNorm.None) return m;
        var values = m.Values.ToArray();
        for (int i = 0; i < m.Rows; i++)
        {
            int start = (int)m.Pointers[i], length = m.RowLength(i);
            var row = values.AsSpan(start, length);
            double scale = 0;
            foreach (float v in row)
                scale = norm switch
                {
                    RelevanceNorm.L1 => scale + Math.Abs(v),
                    RelevanceNorm.L2 => scale + (double)v * v,
                    _ => Math.Max(scale, Math.Abs(v)),
                };
            if (norm == RelevanceNorm.L2) scale = Math.Sqrt(scale);
            // scikit-learn's normalize, which PECOS calls, leaves an all-zero row as it is.
            if (scale == 0) continue;
            for (int k = 0; k < row.Length; k++) row[k] = (float)(row[k] / scale);
        }
        return new CsrMatrix(m.Rows, m.Cols, m.Pointers.ToArray(), m.Indices.ToArray(), values);
    }
}
