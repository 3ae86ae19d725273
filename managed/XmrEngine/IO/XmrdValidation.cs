using System.Runtime.CompilerServices;

namespace XmrEngine.IO;

/// <summary>
/// The CSR invariants checked on arrays read from an <c>.xmrd</c> file, one section at a time so that the
/// error names the section that breaks them: pointers start at 0, never decrease and end at the entry
/// count; column indices are in range and strictly increasing within each row; values are finite.
/// </summary>
internal static class XmrdValidation
{
    // Runs once per process over millions of entries: compile it optimised at once rather than start in tier 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Check(long[] ptr, int[] idx, float[] values, int rows, int cols,
        string path, string pointerSection, string indexSection, string valueSection)
    {
        if (ptr[0] != 0) throw Fail(path, pointerSection, $"the first pointer is {ptr[0]}; it must be 0.");
        for (int r = 0; r < rows; r++)
            if (ptr[r + 1] < ptr[r])
                throw Fail(path, pointerSection, $"pointers decrease at row {r} ({ptr[r]} then {ptr[r + 1]}).");
        if (ptr[rows] != idx.Length)
            throw Fail(path, pointerSection, $"the last pointer is {ptr[rows]} but the section holds {idx.Length} entries.");
        for (int r = 0; r < rows; r++)
        {
            int previous = -1;
            for (long k = ptr[r]; k < ptr[r + 1]; k++)
            {
                int j = idx[k];
                if ((uint)j >= (uint)cols)
                    throw Fail(path, indexSection, $"row {r}: column {j} is out of range [0, {cols}).");
                if (j <= previous)
                    throw Fail(path, indexSection, $"row {r}: columns are not strictly increasing ({previous} then {j}).");
                previous = j;
            }
        }
        for (int k = 0; k < values.Length; k++)
            if (!float.IsFinite(values[k]))
                throw Fail(path, valueSection, $"entry {k} is {values[k]}, not a finite number.");
    }

    private static XmrDataException Fail(string path, string section, string problem) => new(path, null, null, section, problem);
}
