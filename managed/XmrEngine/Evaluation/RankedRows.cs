using XmrEngine.Sparse;

namespace XmrEngine.Evaluation;

/// <summary>
/// Walks a truth/prediction pair row by row, giving each row's top-k predicted labels ordered by score
/// (descending; equal scores by smaller label id, as PECOS's stable sort of a CSR row gives).
/// </summary>
internal static class RankedRows
{
    /// <summary>Checks the shared preconditions of every metric.</summary>
    public static void Validate(CsrMatrix truth, CsrMatrix predicted, int k)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (truth.Rows != predicted.Rows || truth.Cols != predicted.Cols)
            throw new ArgumentException(
                $"Truth is {truth.Rows}x{truth.Cols} but predictions are {predicted.Rows}x{predicted.Cols}; the shapes must match.",
                nameof(predicted));
    }

    /// <summary>
    /// Writes the labels of row <paramref name="row"/>'s top <paramref name="k"/> predictions, best first,
    /// into <paramref name="ranked"/> and returns how many (fewer when the row stores fewer).
    /// <paramref name="scratch"/> must hold the row.
    /// </summary>
    public static int TopK(CsrMatrix predicted, int row, int k, Span<int> ranked, ref int[] scratch)
    {
        var idx = predicted.Row(row).Indices;
        if (scratch.Length < idx.Length) scratch = new int[Math.Max(idx.Length, scratch.Length * 2)];
        var order = scratch.AsSpan(0, idx.Length);
        for (int i = 0; i < order.Length; i++) order[i] = i;
        // Indices within a CSR row ascend, so comparing positions breaks ties by label id.
        order.Sort(new ByScoreDescending(predicted.ValuesArray, (int)predicted.Pointers[row]));
        int n = Math.Min(k, order.Length);
        for (int i = 0; i < n; i++) ranked[i] = idx[order[i]];
        return n;
    }

    private readonly struct ByScoreDescending(float[] values, int offset) : IComparer<int>
    {
        public int Compare(int a, int b)
        {
            float va = values[offset + a], vb = values[offset + b];
            return va != vb ? vb.CompareTo(va) : a.CompareTo(b);
        }
    }
}
