using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>
/// Checks compressed sparse arrays read from a file (CSR or CSC, named by outer/inner) and brings them into
/// the engine's canonical form: indices sorted within each slice and no duplicates, where duplicates are
/// summed (SciPy's meaning of repeated entries). Structural problems are reported through <c>fail</c>.
/// Arrays that are already canonical are returned without copying.
/// </summary>
internal static class CompressedCanonicalizer
{
    /// <param name="ptr">Outer pointers, length outer + 1.</param>
    /// <param name="idx">Inner indices (at least ptr[outer] of them; extra tail entries are ignored).</param>
    /// <param name="val">Values aligned with <paramref name="idx"/>.</param>
    /// <param name="outer">Number of outer slices (rows for CSR).</param>
    /// <param name="inner">Inner dimension (columns for CSR).</param>
    /// <param name="outerName">"row" or "column".</param>
    /// <param name="innerName">"column" or "row".</param>
    /// <param name="fail">Builds the exception for (member, field, problem).</param>
    public static (long[] Ptr, int[] Idx, float[] Val) Canonicalize(
        long[] ptr, int[] idx, float[] val, int outer, int inner, string outerName, string innerName,
        Func<string, string, string, Exception> fail)
    {
        if (ptr.Length != (long)outer + 1)
            throw fail("indptr.npy", "shape", $"has {ptr.Length} entries but the matrix has {outer} {outerName}s, so {(long)outer + 1} are needed.");
        if (idx.Length != val.Length)
            throw fail("data.npy", "shape", $"has {val.Length} values but indices.npy has {idx.Length} entries; they must match.");
        if (ptr[0] != 0) throw fail("indptr.npy", "entry 0", $"is {ptr[0]}; it must be 0.");
        for (int o = 0; o < outer; o++)
        {
            if (ptr[o + 1] < ptr[o])
                throw fail("indptr.npy", $"entry {o + 1}", $"is {ptr[o + 1]}, less than the previous entry {ptr[o]}; pointers must not decrease.");
        }
        long nnz = ptr[outer];
        if (nnz > idx.Length)
            throw fail("indptr.npy", $"entry {outer}", $"is {nnz} but there are only {idx.Length} indices.");
        bool canonical = true;
        for (int o = 0; o < outer; o++)
        {
            int previous = -1;
            for (long k = ptr[o]; k < ptr[o + 1]; k++)
            {
                int j = idx[k];
                if ((uint)j >= (uint)inner)
                    throw fail("indices.npy", $"{outerName} {o}", $"{innerName} index {j} (entry {k}) is out of range [0, {inner}).");
                if (j <= previous) canonical = false;
                previous = j;
            }
        }
        if (canonical)
        {
            if (nnz == idx.Length) return (ptr, idx, val);
            return (ptr, idx.AsSpan(0, (int)nnz).ToArray(), val.AsSpan(0, (int)nnz).ToArray());
        }
        return SortAndSum(ptr, idx, val, outer, outerName, innerName, fail);
    }

    private static (long[] Ptr, int[] Idx, float[] Val) SortAndSum(
        long[] ptr, int[] idx, float[] val, int outer, string outerName, string innerName,
        Func<string, string, string, Exception> fail)
    {
        long nnz = ptr[outer];
        var newPtr = new long[outer + 1];
        var newIdx = new int[nnz];
        var newVal = new float[nnz];
        int write = 0;
        for (int o = 0; o < outer; o++)
        {
            int start = (int)ptr[o], len = (int)(ptr[o + 1] - ptr[o]);
            var keys = newIdx.AsSpan(write, len);
            var values = newVal.AsSpan(write, len);
            idx.AsSpan(start, len).CopyTo(keys);
            val.AsSpan(start, len).CopyTo(values);
            if (!IndexSort.IsStrictlyIncreasing(keys)) IndexSort.StableSortByIndex(keys, values);
            int slice = write;
            for (int k = 0; k < len; k++)
            {
                int j = keys[k];
                float v = values[k];
                if (write > slice && newIdx[write - 1] == j)
                {
                    newVal[write - 1] += v;
                    if (!float.IsFinite(newVal[write - 1]))
                        throw fail("data.npy", $"{outerName} {o}", $"duplicate entries at {innerName} {j} sum to a value outside the float32 range.");
                }
                else
                {
                    newIdx[write] = j;
                    newVal[write] = v;
                    write++;
                }
            }
            newPtr[o + 1] = write;
        }
        if (write != nnz)
        {
            Array.Resize(ref newIdx, write);
            Array.Resize(ref newVal, write);
        }
        return (newPtr, newIdx, newVal);
    }
}
