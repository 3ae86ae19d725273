using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XmrEngine.Kernels;

/// <summary>
/// The managed chunk-row kernel of the serving path: a dense row is a SIMD axpy of its values (stored
/// as float bits) into the child scores, a sparse row scatters its (child offset, value bits) pairs.
/// </summary>
internal static class ChunkRow
{
    /// <summary>scores += scale * row; the slots must fit <paramref name="scores"/> (checked by the caller or on load).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float scale, ReadOnlySpan<int> slots, bool dense, Span<float> scores)
    {
        if (dense)
        {
            VectorMath.Axpy(scale, MemoryMarshal.Cast<int, float>(slots), scores);
            return;
        }
        // Offsets are below the chunk's width, so the scatter skips bounds checks.
        ref float dst = ref MemoryMarshal.GetReference(scores);
        ref int slot = ref MemoryMarshal.GetReference(slots);
        for (int e = 0; e < slots.Length; e += 2)
            Unsafe.Add(ref dst, Unsafe.Add(ref slot, e)) += scale * BitConverter.Int32BitsToSingle(Unsafe.Add(ref slot, e + 1));
    }
}
