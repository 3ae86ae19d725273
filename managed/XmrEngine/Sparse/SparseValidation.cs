namespace XmrEngine.Sparse;

/// <summary>Checks the invariants shared by CSR and CSC storage, with messages that name the position.</summary>
internal static class SparseValidation
{
    /// <param name="ptr">Outer pointers (rows for CSR, columns for CSC).</param>
    /// <param name="idx">Inner indices.</param>
    /// <param name="values">Values.</param>
    /// <param name="outer">Number of outer slices.</param>
    /// <param name="inner">Inner dimension (indices must be below it).</param>
    /// <param name="outerName">"row" or "column", for messages.</param>
    /// <param name="innerName">"column" or "row", for messages.</param>
    public static void ValidateCompressed(long[] ptr, int[] idx, float[] values, int outer, int inner, string outerName, string innerName)
    {
        if (ptr[0] != 0) throw new ArgumentException($"The first {outerName} pointer is {ptr[0]}; it must be 0.");
        long nnz = ptr[outer];
        if (nnz > idx.Length || nnz > values.Length)
            throw new ArgumentException($"The last {outerName} pointer is {nnz} but there are {idx.Length} indices and {values.Length} values.");
        for (int o = 0; o < outer; o++)
        {
            long start = ptr[o], end = ptr[o + 1];
            if (end < start)
                throw new ArgumentException($"{Capitalise(outerName)} pointers decrease at {outerName} {o} ({start} then {end}).");
            // A pointer past the last one would index beyond the arrays before a later decrease is seen (a fuzzing finding).
            if (end > idx.Length || end > values.Length)
                throw new ArgumentException($"{Capitalise(outerName)} {o} ends at {end}, past the {idx.Length} indices and {values.Length} values.");
            int previous = -1;
            for (long k = start; k < end; k++)
            {
                int j = idx[k];
                if ((uint)j >= (uint)inner)
                    throw new ArgumentException($"{Capitalise(outerName)} {o}: {innerName} index {j} is out of range [0, {inner}).");
                if (j <= previous)
                    throw new ArgumentException(j == previous
                        ? $"{Capitalise(outerName)} {o}: duplicate {innerName} index {j}."
                        : $"{Capitalise(outerName)} {o}: {innerName} indices are not sorted ({previous} before {j}).");
                previous = j;
                if (!float.IsFinite(values[k]))
                    throw new ArgumentException($"{Capitalise(outerName)} {o}, {innerName} {j}: value {values[k]} is not finite.");
            }
        }
    }

    private static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
