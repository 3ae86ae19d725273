using XmrEngine.Sparse;

namespace XmrEngine.Evaluation;

/// <summary>
/// Extreme multi-label ranking metrics over a truth label matrix and a predicted score matrix (both
/// n x L CSR). Predictions in a row are ranked by score, descending, ties by smaller label id; every
/// stored entry counts as a prediction and every stored truth entry as a relevant label (PECOS's rule).
/// All metrics average over all n rows: a row without true labels counts in the denominator and
/// contributes 0 (PECOS's Metrics.generate does the same for P@k and R@k).
/// </summary>
public static class XmcMetrics
{
    /// <summary>P@k, R@k and nDCG@k for k = 1..<paramref name="topK"/>.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static RankingMetrics Evaluate(CsrMatrix truth, CsrMatrix predicted, int topK = 10)
    {
        RankedRows.Validate(truth, predicted, topK);
        var prec = new double[topK];
        var recall = new double[topK];
        var ndcg = new double[topK];
        var discount = Discounts(topK);
        var ranked = new int[topK];
        int[] scratch = [];
        for (int row = 0; row < truth.Rows; row++)
        {
            var labels = truth.Row(row).Indices;
            int n = RankedRows.TopK(predicted, row, topK, ranked, ref scratch);
            int matched = 0;
            double dcg = 0, ideal = 0;
            int denominator = Math.Max(labels.Length, 1);
            for (int k = 0; k < topK; k++)
            {
                if (k < n && labels.BinarySearch(ranked[k]) >= 0)
                {
                    matched++;
                    dcg += discount[k];
                }
                if (k < labels.Length) ideal += discount[k];
                prec[k] += matched;
                recall[k] += (double)matched / denominator;
                if (ideal > 0) ndcg[k] += dcg / ideal;
            }
        }
        for (int k = 0; k < topK; k++)
        {
            prec[k] /= (double)truth.Rows * (k + 1);
            recall[k] /= truth.Rows;
            ndcg[k] /= truth.Rows;
        }
        if (truth.Rows == 0)
        {
            Array.Clear(prec);
            Array.Clear(recall);
            Array.Clear(ndcg);
        }
        return new RankingMetrics(prec, recall, ndcg);
    }

    /// <summary>
    /// Jain et al. (2016) label propensities from training labels: p_l = 1 / (1 + C e^{-A ln(N_l + B)}),
    /// C = (ln N - 1)(B + 1)^A, where N is the number of training rows and N_l the rows holding label l.
    /// </summary>
    /// <param name="trainLabels">N x L training label matrix.</param>
    /// <param name="a">A [0.55; 0.6 for Amazon datasets, 0.5 for Wikipedia in the paper].</param>
    /// <param name="b">B [1.5; 2.6 for Amazon, 0.4 for Wikipedia].</param>
    /// <returns>One propensity in (0, 1] per label.</returns>
    public static double[] Propensities(CsrMatrix trainLabels, double a = 0.55, double b = 1.5)
    {
        ArgumentNullException.ThrowIfNull(trainLabels);
        var counts = new long[trainLabels.Cols];
        foreach (int l in trainLabels.Indices) counts[l]++;
        double c = (Math.Log(trainLabels.Rows) - 1) * Math.Pow(b + 1, a);
        var p = new double[counts.Length];
        for (int l = 0; l < p.Length; l++) p[l] = 1.0 / (1.0 + c * Math.Exp(-a * Math.Log(counts[l] + b)));
        return p;
    }

    /// <summary>
    /// Propensity-scored precision PSP@k = (1/k) sum over the top k predictions of y_l / p_l, averaged
    /// over rows (Jain et al. 2016), for k = 1..<paramref name="topK"/>. With <paramref name="normalized"/>
    /// the sum over rows is divided by the best achievable sum (each row's true labels ranked by 1/p_l),
    /// the form the Extreme Classification Repository reports.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ, or the propensity count is not the label count.</exception>
    public static double[] PropensityScoredPrecision(CsrMatrix truth, CsrMatrix predicted, ReadOnlySpan<double> propensities, int topK = 5, bool normalized = false)
    {
        RankedRows.Validate(truth, predicted, topK);
        if (propensities.Length != truth.Cols)
            throw new ArgumentException($"Got {propensities.Length} propensities for {truth.Cols} labels.", nameof(propensities));
        var gained = new double[topK];
        var best = new double[topK];
        var ranked = new int[topK];
        int[] scratch = [];
        var inverse = new List<double>();
        for (int row = 0; row < truth.Rows; row++)
        {
            var labels = truth.Row(row).Indices;
            int n = RankedRows.TopK(predicted, row, topK, ranked, ref scratch);
            inverse.Clear();
            foreach (int l in labels) inverse.Add(1.0 / propensities[l]);
            inverse.Sort((x, y) => y.CompareTo(x));
            double sum = 0, ideal = 0;
            for (int k = 0; k < topK; k++)
            {
                if (k < n && labels.BinarySearch(ranked[k]) >= 0) sum += 1.0 / propensities[ranked[k]];
                if (k < inverse.Count) ideal += inverse[k];
                gained[k] += sum / (k + 1);
                best[k] += ideal / (k + 1);
            }
        }
        var result = new double[topK];
        for (int k = 0; k < topK; k++)
            result[k] = normalized ? (best[k] > 0 ? gained[k] / best[k] : 0) : (truth.Rows > 0 ? gained[k] / truth.Rows : 0);
        return result;
    }

    /// <summary>1 / log2(i + 2) for ranks i = 0..k-1.</summary>
    private static double[] Discounts(int k)
    {
        var d = new double[k];
        for (int i = 0; i < k; i++) d[i] = 1.0 / Math.Log2(i + 2);
        return d;
    }
}
