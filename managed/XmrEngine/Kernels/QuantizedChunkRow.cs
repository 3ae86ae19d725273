using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace XmrEngine.Kernels;

/// <summary>
/// The chunk-row kernels of quantised levels, reading the stored 16- or 8-bit values directly (no float copy of
/// the weights exists). Entry layouts, little-endian:
/// <list type="bullet">
/// <item>half precision: a dense row is one IEEE half per child; a sparse row is (u16 child offset, half) pairs, 4 bytes each.</item>
/// <item>8-bit: the row's float scale (max |w| / 127 over the row's weights), then a dense row is one signed byte per
/// child and a sparse row (u16 child offset, i8) triples, 3 bytes each. A chunk row is one feature's weights for
/// the siblings of one parent: its scale follows that feature's magnitude, which measured more accurate than one
/// scale per label (perf/RESULTS.md, quantised weights), and the kernel folds it into the query value once a row.</item>
/// </list>
/// </summary>
internal static class QuantizedChunkRow
{
    /// <summary>Bytes of one sparse half-precision entry.</summary>
    public const int HalfEntryBytes = 4;

    /// <summary>Bytes of one sparse 8-bit entry.</summary>
    public const int Int8EntryBytes = 3;

    /// <summary>Bytes of the float scale that starts every 8-bit row.</summary>
    public const int Int8ScaleBytes = 4;

    // 2^112: moves a half's exponent (bias 15) to a float's (bias 127) and turns half subnormals into the right floats.
    private const uint ExponentShift = 0x77800000;

    /// <summary>
    /// The float value of half bits <paramref name="bits"/>, for finite halves (the quantiser stores no infinity or
    /// NaN): the same integer steps as the SIMD path, so both give identical floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HalfToSingle(ushort bits)
    {
        float magnitude = BitConverter.UInt32BitsToSingle((uint)(bits & 0x7FFF) << 13) * BitConverter.UInt32BitsToSingle(ExponentShift);
        return BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(magnitude) | ((uint)(bits & 0x8000) << 16));
    }

    /// <summary>scores += scale * row for a half-precision row; offsets must lie below scores' length (validated on load).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddHalf(float scale, ReadOnlySpan<byte> entries, bool dense, Span<float> scores)
    {
        ref float dst = ref MemoryMarshal.GetReference(scores);
        ref byte src = ref MemoryMarshal.GetReference(entries);
        if (!dense)
        {
            for (int e = 0; e < entries.Length; e += HalfEntryBytes)
            {
                ushort child = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref src, e));
                Unsafe.Add(ref dst, child) += scale * HalfToSingle(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref src, e + 2)));
            }
            return;
        }
        int n = entries.Length / 2, i = 0;
        if (Vector256.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            var va = Vector256.Create(scale);
            var shift = Vector256.Create(ExponentShift).AsSingle();
            for (; i <= n - 8; i += 8)
            {
                var halves = Vector128.LoadUnsafe(ref Unsafe.As<byte, ushort>(ref Unsafe.Add(ref src, 2 * i)));
                var bits = Vector256.WidenLower(halves.ToVector256Unsafe());
                var magnitude = Vector256.ShiftLeft(bits & Vector256.Create(0x7FFFu), 13).AsSingle() * shift;
                var value = (magnitude.AsUInt32() | Vector256.ShiftLeft(bits & Vector256.Create(0x8000u), 16)).AsSingle();
                ref float at = ref Unsafe.Add(ref dst, i);
                MultiplyAdd(va, value, Vector256.LoadUnsafe(ref at)).StoreUnsafe(ref at);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref dst, i) += scale * HalfToSingle(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref src, 2 * i)));
    }

    /// <summary>
    /// scores += scale * row for an 8-bit row (its own scale first, then its values); offsets must lie below scores'
    /// length (validated on load).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInt8(float scale, ReadOnlySpan<byte> row, bool dense, Span<float> scores)
    {
        scale *= BinaryPrimitives.ReadSingleLittleEndian(row);
        var entries = row[Int8ScaleBytes..];
        ref float dst = ref MemoryMarshal.GetReference(scores);
        ref byte src = ref MemoryMarshal.GetReference(entries);
        if (!dense)
        {
            for (int e = 0; e < entries.Length; e += Int8EntryBytes)
            {
                ushort child = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref src, e));
                Unsafe.Add(ref dst, child) += scale * (sbyte)Unsafe.Add(ref src, e + 2);
            }
            return;
        }
        int n = entries.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(scale);
            for (; i <= n - 16; i += 16)
            {
                var bytes = Vector128.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref Unsafe.Add(ref src, i)));
                var low = Vector256.WidenLower(Vector128.WidenLower(bytes).ToVector256Unsafe());
                var high = Vector256.WidenLower(Vector128.WidenUpper(bytes).ToVector256Unsafe());
                ref float at = ref Unsafe.Add(ref dst, i);
                MultiplyAdd(va, Vector256.ConvertToSingle(low), Vector256.LoadUnsafe(ref at)).StoreUnsafe(ref at);
                ref float next = ref Unsafe.Add(ref dst, i + 8);
                MultiplyAdd(va, Vector256.ConvertToSingle(high), Vector256.LoadUnsafe(ref next)).StoreUnsafe(ref next);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref dst, i) += scale * (sbyte)Unsafe.Add(ref src, i);
    }

    // Fused when the CPU has FMA, as the float kernels are (SimdDriver), so both round the same way.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
}
