namespace XmrEngine.Evaluation;

/// <summary>
/// Ranking quality at cut-offs 1..K; element <c>[k - 1]</c> of each array is the metric at k.
/// Values are fractions in [0, 1] averaged over all rows.
/// </summary>
/// <param name="PrecisionAtK">P@k.</param>
/// <param name="RecallAtK">R@k.</param>
/// <param name="NdcgAtK">nDCG@k.</param>
public sealed record RankingMetrics(double[] PrecisionAtK, double[] RecallAtK, double[] NdcgAtK)
{
    /// <summary>Largest cut-off K.</summary>
    public int K => PrecisionAtK.Length;

    /// <summary>One line per metric with percentages at k = 1..K, like PECOS's Metrics printout.</summary>
    public override string ToString()
    {
        static string Row(string name, double[] v) =>
            $"{name,-7}= " + string.Join(" ", v.Select(x => (100 * x).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
        return string.Join(Environment.NewLine, Row("prec", PrecisionAtK), Row("recall", RecallAtK), Row("ndcg", NdcgAtK));
    }
}
