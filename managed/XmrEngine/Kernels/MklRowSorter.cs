namespace XmrEngine.Kernels;

/// <summary>
/// Copies one row of an unsorted sparse product (distinct column indices) into sorted order. Long
/// rows (more than 1/16 of the width) are scattered into a dense buffer and read back by a linear
/// scan, which beats a comparison sort there; short rows are sorted in place. One per worker; the
/// dense buffers are allocated on first need.
/// </summary>
internal sealed class MklRowSorter(int width)
{
    private float[]? _dense;
    private bool[]? _present;

    /// <summary>Writes (indices - shift, values) sorted by index into the two outputs of the same length.</summary>
    /// <exception cref="InvalidOperationException">A long row repeats a column index.</exception>
    public void CopySorted(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int shift, Span<int> outIndices, Span<float> outValues)
    {
        if (indices.Length > width / 16)
        {
            var dense = _dense ??= new float[width];
            var present = _present ??= new bool[width];
            for (int k = 0; k < indices.Length; k++)
            {
                int j = indices[k] - shift;
                dense[j] = values[k];
                present[j] = true;
            }
            int write = 0;
            for (int j = 0; j < width && write < indices.Length; j++)
            {
                if (!present[j]) continue;
                outIndices[write] = j;
                outValues[write++] = dense[j];
                present[j] = false;
            }
            if (write != indices.Length)
                throw new InvalidOperationException($"An MKL product row repeats a column ({indices.Length} entries, {write} distinct columns).");
            return;
        }
        values.CopyTo(outValues);
        bool sorted = true;
        for (int k = 0; k < indices.Length; k++)
        {
            outIndices[k] = indices[k] - shift;
            if (k > 0 && outIndices[k - 1] >= outIndices[k]) sorted = false;
        }
        if (!sorted) outIndices.Sort(outValues);
    }
}
