namespace XmrEngine.Inference;

/// <summary>
/// Checks the size of a rows x k result buffer before it is allocated, in 64 bits, so that a huge top-k
/// or beam fails with a message naming the setting instead of an <see cref="OverflowException"/> or an
/// out-of-memory crash half-way through a batch.
/// </summary>
internal static class ResultSize
{
    /// <summary>
    /// rows x k as an array length, or an <see cref="ArgumentOutOfRangeException"/> (parameter
    /// <paramref name="setting"/>) when that many entries exceed the largest .NET array or, at
    /// <paramref name="bytesPerEntry"/> bytes each, the memory this process may use.
    /// </summary>
    public static int Check(int rows, int k, int bytesPerEntry, string setting)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        long entries = (long)rows * k;
        if (entries > Array.MaxLength)
            throw new ArgumentOutOfRangeException(setting, k,
                $"{setting} {k} for {rows:N0} rows needs {entries:N0} result entries, more than one buffer can hold ({Array.MaxLength:N0}); lower {setting} or predict fewer rows at a time.");
        long bytes = entries * bytesPerEntry;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 0 && bytes > available)
            throw new ArgumentOutOfRangeException(setting, k,
                $"{setting} {k} for {rows:N0} rows needs about {bytes / (1024.0 * 1024 * 1024):F1} GiB for results, more than the {available / (1024.0 * 1024 * 1024):F1} GiB available; lower {setting} or predict fewer rows at a time.");
        return (int)entries;
    }
}
