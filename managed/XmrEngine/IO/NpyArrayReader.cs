using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace XmrEngine.IO;

/// <summary>
/// Reads the data part of an NPY array (after <see cref="NpyHeader"/>) into .NET arrays, converting the
/// element type on the way in fixed-size chunks, so a file never needs a second full-size copy. Problems
/// are reported through a <c>fail(field, problem)</c> callback that must return the exception to throw.
/// </summary>
internal static class NpyArrayReader
{
    private const int ChunkBytes = 1 << 16;

    private delegate void ChunkHandler(ReadOnlySpan<byte> chunk, int firstIndex);

    /// <summary>Integers that must fit in int32 (indices); any signed or unsigned integer dtype is accepted.</summary>
    public static int[] ReadInt32(Stream stream, NpyHeader header, Func<string, string, Exception> fail)
    {
        var result = new int[CheckedCount(header, fail)];
        if (header.Dtype.Kind == NpyKind.SignedInt && header.Dtype.ItemSize == 4)
        {
            // Same layout: copy chunks straight into the result.
            ReadChunks(stream, result.Length, 4, fail, (chunk, first) => MemoryMarshal.Cast<byte, int>(chunk).CopyTo(result.AsSpan(first)));
            return result;
        }
        if (header.Dtype.Kind == NpyKind.SignedInt && header.Dtype.ItemSize == 8)
        {
            // int64 indices (large SciPy matrices): narrow per chunk with a range check, no per-element delegate.
            ReadChunks(stream, result.Length, 8, fail, (chunk, first) =>
            {
                var longs = MemoryMarshal.Cast<byte, long>(chunk);
                var dest = result.AsSpan(first, longs.Length);
                for (int k = 0; k < longs.Length; k++)
                {
                    long v = longs[k];
                    if (v is < int.MinValue or > int.MaxValue)
                        throw fail("data", $"element {first + k} is {v}, outside the int32 range.");
                    dest[k] = (int)v;
                }
            });
            return result;
        }
        ReadIntegers(stream, header, fail, (value, i) =>
        {
            if (value is < int.MinValue or > int.MaxValue)
                throw fail("data", $"element {i} is {value}, outside the int32 range.");
            result[i] = (int)value;
        });
        return result;
    }

    /// <summary>Integers widened to int64 (pointers, shapes); any integer dtype is accepted.</summary>
    public static long[] ReadInt64(Stream stream, NpyHeader header, Func<string, string, Exception> fail)
    {
        var result = new long[CheckedCount(header, fail)];
        if (header.Dtype.Kind == NpyKind.SignedInt && header.Dtype.ItemSize == 8)
        {
            ReadChunks(stream, result.Length, 8, fail, (chunk, first) => MemoryMarshal.Cast<byte, long>(chunk).CopyTo(result.AsSpan(first)));
            return result;
        }
        if (header.Dtype.Kind == NpyKind.SignedInt && header.Dtype.ItemSize == 4)
        {
            // int32 pointers (SciPy's default): widen per chunk.
            ReadChunks(stream, result.Length, 4, fail, (chunk, first) =>
            {
                var ints = MemoryMarshal.Cast<byte, int>(chunk);
                var dest = result.AsSpan(first, ints.Length);
                for (int k = 0; k < ints.Length; k++) dest[k] = ints[k];
            });
            return result;
        }
        ReadIntegers(stream, header, fail, (value, i) => result[i] = value);
        return result;
    }

    /// <summary>
    /// Values converted to float32 from any float, integer or bool dtype. NaN, infinities and float64 values
    /// outside the float32 range are rejected, naming the element.
    /// </summary>
    public static float[] ReadFloat32(Stream stream, NpyHeader header, Func<string, string, Exception> fail)
    {
        var dtype = header.Dtype;
        var result = new float[CheckedCount(header, fail)];
        if (dtype.Kind == NpyKind.Float)
        {
            ReadChunks(stream, result.Length, dtype.ItemSize, fail, (chunk, first) =>
            {
                var dest = result.AsSpan(first);
                switch (dtype.ItemSize)
                {
                    case 4:
                        MemoryMarshal.Cast<byte, float>(chunk).CopyTo(dest);
                        break;
                    case 8:
                        var doubles = MemoryMarshal.Cast<byte, double>(chunk);
                        for (int k = 0; k < doubles.Length; k++) dest[k] = (float)doubles[k];
                        break;
                    default:
                        var halves = MemoryMarshal.Cast<byte, Half>(chunk);
                        for (int k = 0; k < halves.Length; k++) dest[k] = (float)halves[k];
                        break;
                }
                int count = chunk.Length / dtype.ItemSize;
                for (int k = 0; k < count; k++)
                {
                    if (!float.IsFinite(dest[k]))
                        throw fail("data", dtype.ItemSize == 8 && double.IsFinite(MemoryMarshal.Cast<byte, double>(chunk)[k])
                            ? $"element {first + k} ({MemoryMarshal.Cast<byte, double>(chunk)[k]:R}) is outside the float32 range."
                            : $"element {first + k} is NaN or infinite.");
                }
            });
            return result;
        }
        if (dtype.Kind is NpyKind.Bytes or NpyKind.Unicode)
            throw fail("descr", $"dtype '{dtype.Descr}' is a string type; numbers were expected.");
        ReadIntegers(stream, header, fail, (value, i) => result[i] = value);
        return result;
    }

    /// <summary>The single string held by a 0-d (or one-element) 'S' or 'U' array, without trailing NULs.</summary>
    public static string ReadString(Stream stream, NpyHeader header, Func<string, string, Exception> fail)
    {
        var dtype = header.Dtype;
        if (dtype.Kind is not (NpyKind.Bytes or NpyKind.Unicode))
            throw fail("descr", $"dtype '{dtype.Descr}' is not a string type.");
        if (CheckedCount(header, fail) != 1) throw fail("shape", "a single string was expected.");
        if (dtype.ItemSize > 1 << 16) throw fail("descr", $"string length {dtype.ItemSize} is too long.");
        var bytes = new byte[dtype.ItemSize];
        ReadChunks(stream, 1, dtype.ItemSize, fail, (chunk, _) => chunk.CopyTo(bytes));
        string s;
        if (dtype.Kind == NpyKind.Bytes)
        {
            s = Encoding.Latin1.GetString(bytes);
        }
        else
        {
            var sb = new StringBuilder();
            foreach (uint cp in MemoryMarshal.Cast<byte, uint>(bytes))
            {
                if (cp == 0) break;
                if (!Rune.IsValid(cp)) throw fail("data", $"code point {cp} is not valid Unicode.");
                sb.Append(new Rune(cp).ToString());
            }
            s = sb.ToString();
        }
        return s.TrimEnd('\0');
    }

    private static int CheckedCount(NpyHeader header, Func<string, string, Exception> fail)
    {
        long count;
        try
        {
            count = header.ElementCount;
        }
        catch (OverflowException)
        {
            throw fail("shape", "the element count overflows.");
        }
        if (count > Array.MaxLength) throw fail("shape", $"{count} elements exceed the supported maximum of {Array.MaxLength}.");
        return (int)count;
    }

    private static void ReadIntegers(Stream stream, NpyHeader header, Func<string, string, Exception> fail, Action<long, int> store)
    {
        var dtype = header.Dtype;
        if (dtype.Kind is not (NpyKind.SignedInt or NpyKind.UnsignedInt or NpyKind.Bool))
            throw fail("descr", $"dtype '{dtype.Descr}' ({dtype.Name}) is not an integer type.");
        int count = CheckedCount(header, fail);
        int size = dtype.ItemSize;
        bool signed = dtype.Kind == NpyKind.SignedInt;
        ReadChunks(stream, count, size, fail, (chunk, first) =>
        {
            int n = chunk.Length / size;
            switch (size)
            {
                case 4 when signed:
                    var ints = MemoryMarshal.Cast<byte, int>(chunk);
                    for (int k = 0; k < n; k++) store(ints[k], first + k);
                    break;
                case 8 when signed:
                    var longs = MemoryMarshal.Cast<byte, long>(chunk);
                    for (int k = 0; k < n; k++) store(longs[k], first + k);
                    break;
                default:
                    for (int k = 0; k < n; k++) store(ReadOne(chunk.Slice(k * size, size), signed, first + k, fail), first + k);
                    break;
            }
        });
    }

    private static long ReadOne(ReadOnlySpan<byte> b, bool signed, int index, Func<string, string, Exception> fail) => b.Length switch
    {
        1 => signed ? (sbyte)b[0] : b[0],
        2 => signed ? BinaryPrimitives.ReadInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
        4 => signed ? BinaryPrimitives.ReadInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
        _ => signed ? BinaryPrimitives.ReadInt64LittleEndian(b) : ReadUInt64AsInt64(b, index, fail),
    };

    private static long ReadUInt64AsInt64(ReadOnlySpan<byte> b, int index, Func<string, string, Exception> fail)
    {
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(b);
        if (v > long.MaxValue) throw fail("data", $"element {index} ({v}) is too large.");
        return (long)v;
    }

    private static void ReadChunks(Stream stream, int count, int itemSize, Func<string, string, Exception> fail, ChunkHandler handle)
    {
        int perChunk = Math.Max(1, ChunkBytes / itemSize);
        var buffer = new byte[Math.Min((long)perChunk, Math.Max(count, 1)) * itemSize];
        int done = 0;
        while (done < count)
        {
            int n = Math.Min(perChunk, count - done);
            var span = buffer.AsSpan(0, n * itemSize);
            int filled = 0;
            while (filled < span.Length)
            {
                int read = stream.Read(span[filled..]);
                if (read == 0)
                    throw fail("data", $"the array is truncated: {count} elements of {itemSize} bytes expected, the data ends inside element {done + filled / itemSize}.");
                filled += read;
            }
            handle(span, done);
            done += n;
        }
    }
}
