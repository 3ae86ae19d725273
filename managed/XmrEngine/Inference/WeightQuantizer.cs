using XmrEngine.Models;

namespace XmrEngine.Inference;

/// <summary>
/// The value rules of quantised weights, shared by the writer, the kernels' tests and the loader, so every path
/// rounds a weight the same way.
/// </summary>
internal static class WeightQuantizer
{
    /// <summary>Largest 8-bit magnitude used: symmetric, so -128 is never stored and negation is exact.</summary>
    public const int Int8Max = 127;

    /// <summary>Bytes of one stored value (dense entry) at <paramref name="precision"/>.</summary>
    public static int ValueBytes(WeightPrecision precision) => precision switch
    {
        WeightPrecision.Float32 => 4,
        WeightPrecision.Float16 => 2,
        WeightPrecision.Int8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown weight precision"),
    };

    /// <summary>Bytes of one sparse entry (u16 child offset + value) at a quantised precision.</summary>
    public static int EntryBytes(WeightPrecision precision) => 2 + ValueBytes(precision);

    /// <summary>The lower-case name used by the command line and messages: f32, f16, i8.</summary>
    public static string Name(WeightPrecision precision) => precision switch
    {
        WeightPrecision.Float32 => "f32",
        WeightPrecision.Float16 => "f16",
        WeightPrecision.Int8 => "i8",
        _ => precision.ToString(),
    };

    /// <summary>
    /// The 8-bit scale of one compiled chunk row, max |w| / 127 over its values (0 for a row of zeros): dense rows hold
    /// float bits per child, sparse rows (child offset, float bits) pairs.
    /// </summary>
    public static float Int8Scale(ReadOnlySpan<int> slots, bool dense)
    {
        float max = 0f;
        for (int i = dense ? 0 : 1; i < slots.Length; i += dense ? 1 : 2) max = Math.Max(max, Math.Abs(BitConverter.Int32BitsToSingle(slots[i])));
        return max / Int8Max;
    }

    /// <summary>The half bits of <paramref name="weight"/> (round to nearest even).</summary>
    /// <exception cref="ArgumentException">The weight is not finite or beyond half's range (65504).</exception>
    public static ushort ToHalfBits(float weight)
    {
        var half = (Half)weight;
        if (!Half.IsFinite(half))
            throw new ArgumentException($"weight {weight} lies outside half precision's range (|w| <= 65504); save this model as f32 or i8.");
        return BitConverter.HalfToUInt16Bits(half);
    }

    /// <summary>round(weight / scale), within [-127, 127]; 0 when the row's scale is 0.</summary>
    public static sbyte ToInt8(float weight, float scale)
    {
        if (scale == 0f) return 0;
        double q = Math.Round(weight / (double)scale, MidpointRounding.ToEven);
        return (sbyte)Math.Clamp(q, -Int8Max, Int8Max);
    }
}
