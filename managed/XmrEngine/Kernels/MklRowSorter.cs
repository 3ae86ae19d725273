namespace XmrEngine.Kernels;

/// <summary>
/// Copies one row of an unsorted sparse product (MKL's <c>mkl_sparse_sp2m</c> output, distinct column indices)
/// into sorted order through the SpGEMM's own <see cref="SortedRowAccumulator"/>: the entries are scattered into
/// its dense row and occupancy bitmap and read back in column order, so no row is comparison-sorted. One per worker.
/// </summary>
internal sealed class MklRowSorter(int width)
{
    private readonly SortedRowAccumulator _row = new(width);

    /// <summary>Writes (indices - shift, values) sorted by index into the two outputs of the same length.</summary>
    /// <exception cref="InvalidOperationException">The row repeats a column index.</exception>
    public void CopySorted(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int shift, Span<int> outIndices, Span<float> outValues)
    {
        _row.AddEntries(indices, values, shift);
        try
        {
            _row.Drain(outIndices, outValues);
        }
        catch (InvalidOperationException e)
        {
            _row.Reset();
            throw new InvalidOperationException($"An MKL product row repeats a column ({indices.Length} entries): {e.Message}", e);
        }
    }
}
