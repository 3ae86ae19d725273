namespace XmrEngine.Sparse;

/// <summary>Sorting helpers shared by the readers.</summary>
internal static class IndexSort
{
    /// <summary>Whether the indices are strictly increasing (sorted, no duplicates).</summary>
    public static bool IsStrictlyIncreasing(ReadOnlySpan<int> keys)
    {
        for (int k = 1; k < keys.Length; k++)
            if (keys[k] <= keys[k - 1]) return false;
        return true;
    }

    /// <summary>
    /// Sorts (index, value) pairs by index, stably, so equal indices keep their file order (which fixes the
    /// summation order of duplicates). Indices must be non-negative.
    /// </summary>
    public static void StableSortByIndex(Span<int> keys, Span<float> values)
    {
        // Packing (index, position) into one long makes a plain sort stable and keeps values attached.
        var packed = new long[keys.Length];
        for (int i = 0; i < keys.Length; i++) packed[i] = ((long)keys[i] << 32) | (uint)i;
        Array.Sort(packed);
        var copy = values.ToArray();
        for (int i = 0; i < packed.Length; i++)
        {
            keys[i] = (int)(packed[i] >> 32);
            values[i] = copy[(int)(uint)packed[i]];
        }
    }
}
