using XmrEngine.Sparse;

namespace XmrEngine.Tests.Support;

/// <summary>Score matrices (CSR, labels in id order) as the lists a single query returns.</summary>
public static class RankedScores
{
    /// <summary>Each row's labels best first: score, then the smaller label id (the beam's own order).</summary>
    public static (int Label, float Score)[][] Of(CsrMatrix scores) =>
        Enumerable.Range(0, scores.Rows).Select(r =>
        {
            int[] labels = scores.Row(r).Indices.ToArray();
            float[] values = scores.Row(r).Values.ToArray();
            return labels.Zip(values).OrderByDescending(p => p.Second).ThenBy(p => p.First).ToArray();
        }).ToArray();
}
