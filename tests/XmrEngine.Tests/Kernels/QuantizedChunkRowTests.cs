using System.Buffers.Binary;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Models;

namespace XmrEngine.Tests.Kernels;

/// <summary>
/// The quantised chunk-row kernels against the float reference kernel run on the decoded values (the same numbers,
/// so only float rounding may differ) and against the original float weights within the precision's error bound:
/// every length around the SIMD widths, dense and sparse rows, zeros, extreme magnitudes, duplicate child offsets.
/// </summary>
public class QuantizedChunkRowTests
{
    private static readonly int[] Lengths = [0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65];

    private static float[] Weights(int n, Random rng, string kind) => kind switch
    {
        "zeros" => new float[n],
        "extreme" => Enumerable.Range(0, n).Select(i => (i % 4) switch
        {
            0 => 65504f * (i % 8 == 0 ? 1 : -1), // half's largest finite value
            1 => 3e-8f,                            // a half subnormal
            2 => -6.1e-5f,                         // near half's smallest normal
            _ => (float)(rng.NextDouble() * 2 - 1) * 1000f,
        }).ToArray(),
        _ => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1) * (float)Math.Pow(10, rng.Next(-3, 2))).ToArray(),
    };

    [Test]
    public void HalfToSingle_EqualsSystemHalf_ForEveryFiniteHalf()
    {
        for (int bits = 0; bits < 1 << 16; bits++)
        {
            var half = BitConverter.UInt16BitsToHalf((ushort)bits);
            if (!Half.IsFinite(half)) continue;
            Assert.That(BitConverter.SingleToInt32Bits(QuantizedChunkRow.HalfToSingle((ushort)bits)), Is.EqualTo(BitConverter.SingleToInt32Bits((float)half)), $"bits {bits:X4}");
        }
    }

    [Test]
    public void DenseHalfRows_MatchTheReferenceOnDecodedValues_AndTheFloatsWithinTheBound(
        [ValueSource(nameof(Lengths))] int n, [Values("random", "zeros", "extreme")] string kind)
    {
        var rng = new Random(n * 7 + kind.Length);
        var w = Weights(n, rng, kind);
        var entries = new byte[2 * n];
        var decoded = new int[n];
        for (int j = 0; j < n; j++)
        {
            ushort bits = WeightQuantizer.ToHalfBits(w[j]);
            BinaryPrimitives.WriteUInt16LittleEndian(entries.AsSpan(2 * j), bits);
            decoded[j] = BitConverter.SingleToInt32Bits((float)BitConverter.UInt16BitsToHalf(bits));
        }
        float scale = 0.37f;
        var start = Enumerable.Range(0, n).Select(j => (float)j * 0.25f).ToArray();
        var actual = (float[])start.Clone();
        var expected = (float[])start.Clone();
        QuantizedChunkRow.AddHalf(scale, entries, dense: true, actual);
        ReferenceKernels.Instance.AddChunkRow(scale, decoded, true, expected);
        for (int j = 0; j < n; j++)
        {
            Assert.That(actual[j], Is.EqualTo(expected[j]).Within(Math.Abs(expected[j]) * 1e-6 + 1e-30), $"child {j} vs reference");
            // Half rounding: relative 2^-11 for normals, absolute 2^-25 below them.
            double bound = Math.Abs(scale * w[j]) * Math.Pow(2, -11) + scale * Math.Pow(2, -25) + Math.Abs(start[j] + scale * w[j]) * 1e-6;
            Assert.That(actual[j], Is.EqualTo(start[j] + (double)scale * w[j]).Within(bound), $"child {j} vs float weight");
        }
    }

    [Test]
    public void DenseInt8Rows_MatchTheReferenceOnDecodedValues_AndTheFloatsWithinTheBound(
        [ValueSource(nameof(Lengths))] int n, [Values("random", "zeros", "extreme")] string kind)
    {
        var rng = new Random(n * 13 + kind.Length);
        var w = Weights(n, rng, kind);
        var floatSlots = w.Select(BitConverter.SingleToInt32Bits).ToArray();
        float rowScale = WeightQuantizer.Int8Scale(floatSlots, dense: true);
        Assert.That(rowScale, Is.EqualTo(w.Select(Math.Abs).DefaultIfEmpty(0f).Max() / 127f));
        var row = new byte[QuantizedChunkRow.Int8ScaleBytes + n];
        BinaryPrimitives.WriteSingleLittleEndian(row, rowScale);
        var decoded = new int[n];
        for (int j = 0; j < n; j++)
        {
            sbyte q = WeightQuantizer.ToInt8(w[j], rowScale);
            row[QuantizedChunkRow.Int8ScaleBytes + j] = (byte)q;
            decoded[j] = BitConverter.SingleToInt32Bits(q);
        }
        float x = -1.3f;
        var start = Enumerable.Range(0, n).Select(j => (float)j - 3f).ToArray();
        var actual = (float[])start.Clone();
        var expected = (float[])start.Clone();
        QuantizedChunkRow.AddInt8(x, row, dense: true, actual);
        // The kernel folds the row's scale into the query value: x * scale times the integers.
        ReferenceKernels.Instance.AddChunkRow(x * rowScale, decoded, true, expected);
        for (int j = 0; j < n; j++)
        {
            Assert.That(actual[j], Is.EqualTo(expected[j]).Within(Math.Abs(expected[j]) * 1e-6 + 1e-30), $"child {j} vs reference");
            double bound = Math.Abs(x) * rowScale * WeightQuantizer.Int8Max / 254.0 * (1 + 1e-5) + Math.Abs(expected[j]) * 1e-6 + 1e-30;
            Assert.That(actual[j], Is.EqualTo(start[j] + (double)x * w[j]).Within(bound), $"child {j}: |x| max|w| / 254");
        }
    }

    [Test]
    public void SparseRows_ScatterLikeTheReference_DuplicateOffsetsAddUp(
        [ValueSource(nameof(Lengths))] int n, [Values(WeightPrecision.Float16, WeightPrecision.Int8)] WeightPrecision precision)
    {
        var rng = new Random(n + (int)precision * 1000);
        int width = Math.Max(1, n * 2);
        // Offsets ascending with a repeat every fifth entry (a layout validation refuses, but the kernel must still
        // add both, as the reference does).
        var offsets = new int[n];
        for (int e = 0, at = 0; e < n; e++)
        {
            offsets[e] = Math.Min(at, width - 1);
            if (e % 5 != 4) at += 1 + rng.Next(2);
        }
        var w = Weights(n, rng, "random");
        int entry = WeightQuantizer.EntryBytes(precision);
        // An 8-bit row starts with its scale: 10 / 127 here, so every weight below 10 in magnitude fits.
        int head = precision == WeightPrecision.Int8 ? QuantizedChunkRow.Int8ScaleBytes : 0;
        float rowScale = 10f / WeightQuantizer.Int8Max;
        var row = new byte[head + n * entry];
        if (head > 0) BinaryPrimitives.WriteSingleLittleEndian(row, rowScale);
        var entries = row.AsSpan(head);
        var slots = new int[2 * n];
        for (int e = 0; e < n; e++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(entries[(e * entry)..], (ushort)offsets[e]);
            float decoded;
            if (precision == WeightPrecision.Float16)
            {
                ushort bits = WeightQuantizer.ToHalfBits(w[e]);
                BinaryPrimitives.WriteUInt16LittleEndian(entries[(e * entry + 2)..], bits);
                decoded = (float)BitConverter.UInt16BitsToHalf(bits);
            }
            else
            {
                sbyte q = WeightQuantizer.ToInt8(w[e], rowScale);
                entries[e * entry + 2] = (byte)q;
                decoded = q * rowScale;
            }
            slots[2 * e] = offsets[e];
            slots[2 * e + 1] = BitConverter.SingleToInt32Bits(decoded);
        }
        var actual = new float[width];
        var expected = new float[width];
        if (precision == WeightPrecision.Float16) QuantizedChunkRow.AddHalf(0.5f, row, dense: false, actual);
        else QuantizedChunkRow.AddInt8(0.5f, row, dense: false, actual);
        ReferenceKernels.Instance.AddChunkRow(0.5f, slots, false, expected);
        Assert.That(actual, Is.EqualTo(expected).Within(1e-6f));
    }

    [Test]
    public void Int8Rounding_IsSymmetricAndClamped()
    {
        Assert.That(WeightQuantizer.ToInt8(1f, 1f / 127), Is.EqualTo(127));
        Assert.That(WeightQuantizer.ToInt8(-1f, 1f / 127), Is.EqualTo(-127));
        Assert.That(WeightQuantizer.ToInt8(5f, 1f / 127), Is.EqualTo(127), "clamped, never -128 or wrapped");
        Assert.That(WeightQuantizer.ToInt8(0.3f, 0f), Is.EqualTo(0), "a row of zeros has scale 0");
        Assert.That(WeightQuantizer.ToInt8(0f, 1f), Is.EqualTo(0));
    }

    [Test]
    public void HalfOutOfRange_IsRefused()
    {
        Assert.That(() => WeightQuantizer.ToHalfBits(70000f), Throws.ArgumentException.With.Message.Contains("half precision's range"));
        Assert.That(() => WeightQuantizer.ToHalfBits(float.NaN), Throws.ArgumentException);
        Assert.That(WeightQuantizer.ToHalfBits(65504f), Is.EqualTo(BitConverter.HalfToUInt16Bits(Half.MaxValue)));
    }
}
