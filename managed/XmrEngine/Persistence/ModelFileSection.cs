using System.Runtime.InteropServices;
using XmrEngine.Models;

namespace XmrEngine.Persistence;

/// <summary>
/// The content of one section to write: a sequence of byte blocks and typed arrays, each array starting
/// on a 64-byte boundary (zero padding in between). Knows its length and can stream its bytes.
/// </summary>
internal sealed class ModelFileSection
{
    /// <summary>Receives consecutive pieces of the section's bytes.</summary>
    public delegate void ByteSink(ReadOnlySpan<byte> bytes);

    private readonly List<(Array Data, long Count, int ElementSize, bool Aligned)> _parts = [];

    public ModelFileSection(ModelFileFormat.SectionKind kind, int level)
    {
        Kind = kind;
        Level = level;
    }

    public ModelFileFormat.SectionKind Kind { get; }

    public int Level { get; }

    /// <summary>Index of the ensemble tree the section belongs to (0 for metadata and one-tree models).</summary>
    public int Tree { get; private set; }

    /// <summary>Marks the section as belonging to tree <paramref name="tree"/>.</summary>
    public ModelFileSection ForTree(int tree)
    {
        Tree = tree;
        return this;
    }

    /// <summary>Total length in bytes, including the padding before each aligned array.</summary>
    public long Length { get; private set; }

    /// <summary>Appends raw bytes right after the previous part (no alignment).</summary>
    public ModelFileSection Bytes(byte[] bytes)
    {
        _parts.Add((bytes, bytes.Length, 1, false));
        Length += bytes.Length;
        return this;
    }

    /// <summary>Appends the first <paramref name="count"/> elements of an array, 64-byte aligned.</summary>
    public ModelFileSection Array<T>(T[] data, long count) where T : unmanaged
    {
        Length = ModelFileFormat.Align(Length);
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        _parts.Add((data, count, size, true));
        Length += count * size;
        return this;
    }

    /// <summary>Streams the section's bytes (padding included) into <paramref name="sink"/>.</summary>
    public void WriteTo(ByteSink sink)
    {
        Span<byte> zeros = stackalloc byte[ModelFileFormat.Alignment];
        zeros.Clear();
        long position = 0;
        foreach (var (data, count, size, aligned) in _parts)
        {
            if (aligned)
            {
                long start = ModelFileFormat.Align(position);
                if (start > position) sink(zeros[..(int)(start - position)]);
                position = start;
            }
            switch (data)
            {
                case byte[] b: sink(b.AsSpan(0, (int)count)); break;
                case int[] i: Emit(i, count, sink); break;
                case long[] l: Emit(l, count, sink); break;
                case float[] f: Emit(f, count, sink); break;
                default: throw new InvalidOperationException($"Unsupported array type {data.GetType()}.");
            }
            position += count * size;
        }
    }

    private static void Emit<T>(T[] data, long count, ByteSink sink) where T : unmanaged
    {
        const int chunk = 1 << 24; // elements per piece; keeps byte spans far below int.MaxValue
        for (long start = 0; start < count; start += chunk)
        {
            int n = (int)Math.Min(chunk, count - start);
            sink(MemoryMarshal.AsBytes(data.AsSpan((int)start, n)));
        }
    }
}
