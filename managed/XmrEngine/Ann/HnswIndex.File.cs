using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using XmrEngine.IO;

namespace XmrEngine.Ann;

/// <summary>
/// The index's file: a header (magic, version, dimension, count, M, ef, metric, seed, entry, top level), the vectors
/// (float32, row-major), each node's level and deleted flag, the bottom level's neighbour counts and fixed-width lists,
/// then each upper-level list (count and ids), and a CRC32 of everything before it. Written atomically (a temporary
/// file, then a rename); read back fully validated, so a truncated or altered file is refused with the field named.
/// </summary>
public sealed partial class HnswIndex
{
    private static readonly byte[] Magic = "XMRANN\0\0"u8.ToArray();
    private const int FormatVersion = 1;

    /// <summary>Saves the index to <paramref name="path"/>, replacing any file there atomically. Takes the reader lock.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _lock.EnterReadLock();
        try
        {
            AtomicFile.Write(path, stream =>
            {
                var writer = new CheckedWriter(stream);
                writer.Bytes(Magic);
                writer.Ints([FormatVersion, Dimension, _count, Options.M, Options.EfConstruction, Options.EfSearch, (int)Options.Metric, Options.Seed, _entry, _maxLevel]);
                writer.Bytes(MemoryMarshal.AsBytes(_vectors.AsSpan(0, _count * Dimension)));
                writer.Ints(_nodeLevel.AsSpan(0, _count));
                for (int i = 0; i < _count; i++) writer.Bytes([_deleted[i] ? (byte)1 : (byte)0]);
                writer.Ints(_count0.AsSpan(0, _count));
                writer.Ints(_links0.AsSpan(0, _count * M0));
                for (int node = 0; node < _count; node++)
                    for (int level = 1; level <= _nodeLevel[node]; level++)
                    {
                        var list = Neighbours(node, level);
                        writer.Ints([list.Length]);
                        writer.Ints(list);
                    }
                writer.Trailer();
            });
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Reads an index saved by <see cref="Save"/>.</summary>
    /// <exception cref="XmrDataException">The file is not an index, of another version, truncated, or fails its checksum
    /// or a structural check; the message names the file and the field.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static HnswIndex Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);
        var reader = new CheckedReader(stream, path);
        if (!reader.Bytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw reader.Bad("header", "not an xmr ANN index (wrong magic bytes)");
        var h = reader.Ints(10);
        if (h[0] != FormatVersion) throw reader.Bad("version", $"format version {h[0]}; this build reads version {FormatVersion}");
        int dimension = h[1], count = h[2];
        if (dimension < 1) throw reader.Bad("dimension", $"{dimension}; must be at least 1");
        if (count < 0 || (long)count * dimension > Array.MaxLength) throw reader.Bad("count", $"{count} vectors of {dimension}");
        HnswOptions options;
        try
        {
            options = new HnswOptions { M = h[3], EfConstruction = h[4], EfSearch = h[5], Metric = (AnnMetric)h[6], Seed = h[7] };
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw reader.Bad("options", e.Message);
        }
        int entry = h[8], maxLevel = h[9];
        if (count == 0 ? entry != -1 || maxLevel != -1 : (uint)entry >= (uint)count || maxLevel is < 0 or > 32)
            throw reader.Bad("entry", $"entry node {entry} at level {maxLevel} does not fit {count} vectors");
        // The fixed-size parts must fit in the file before anything is allocated for them: a damaged count must not
        // ask for gigabytes and only then find the file short.
        long fixedBytes = Magic.Length + 40L + 4L * count * dimension + 9L * count + 8L * options.M * count + 4;
        if (stream.Length < fixedBytes) throw reader.Bad("count", $"{count:N0} vectors of {dimension} need at least {fixedBytes:N0} bytes; the file has {stream.Length:N0} (truncated)");
        var index = new HnswIndex(dimension, options);
        index.Reserve(Math.Max(count, 1));
        int m0 = index.M0;
        reader.Into(MemoryMarshal.AsBytes(index._vectors.AsSpan(0, count * dimension)), "vectors");
        for (int i = 0; i < count * dimension; i++)
            if (!float.IsFinite(index._vectors[i])) throw reader.Bad("vectors", $"vector {i / dimension} value {i % dimension} is {index._vectors[i]}");
        reader.Into(MemoryMarshal.AsBytes(index._nodeLevel.AsSpan(0, count)), "levels");
        var deleted = reader.Bytes(count);
        reader.Into(MemoryMarshal.AsBytes(index._count0.AsSpan(0, count)), "level-0 counts");
        reader.Into(MemoryMarshal.AsBytes(index._links0.AsSpan(0, count * m0)), "level-0 links");
        for (int node = 0; node < count; node++)
        {
            int level = index._nodeLevel[node];
            if (level < 0 || level > maxLevel) throw reader.Bad("levels", $"node {node} is on level {level}; the top level is {maxLevel}");
            if (deleted[node] > 1) throw reader.Bad("deleted", $"node {node} has flag {deleted[node]}");
            index._deleted[node] = deleted[node] == 1;
            index._deletedCount += deleted[node];
            int n0 = index._count0[node];
            // The count is checked (inside CheckLinks) before the list it sizes is looked at.
            CheckLinks(reader, node, 0, (uint)n0 <= (uint)m0 ? index._links0.AsSpan(node * m0, n0) : default, m0, count, n0);
            index._upper[node] = level == 0 ? [] : new int[]?[level];
            for (int l = 1; l <= level; l++)
            {
                int n = reader.Ints(1)[0];
                if (n < 0 || n > options.M) throw reader.Bad("upper links", $"node {node} has {n} neighbours on level {l}; at most {options.M}");
                var list = reader.Ints(n);
                CheckLinks(reader, node, l, list, options.M, count, n);
                index._upper[node]![l - 1] = list;
            }
        }
        if (count > 0 && index._nodeLevel[entry] != maxLevel) throw reader.Bad("entry", $"entry node {entry} is on level {index._nodeLevel[entry]}, not the top level {maxLevel}");
        reader.Trailer();
        index._count = count;
        index._entry = entry;
        index._maxLevel = maxLevel;
        return index;
    }

    private static void CheckLinks(CheckedReader reader, int node, int level, ReadOnlySpan<int> links, int capacity, int count, int n)
    {
        if (n < 0 || n > capacity) throw reader.Bad(level == 0 ? "level-0 counts" : "upper links", $"node {node} has {n} neighbours on level {level}; at most {capacity}");
        foreach (int link in links)
            if ((uint)link >= (uint)count || link == node)
                throw reader.Bad(level == 0 ? "level-0 links" : "upper links", $"node {node} links to {link} on level {level}; ids run from 0 to {count - 1}, never itself");
    }

    /// <summary>Writes little-endian values and keeps the CRC32 of everything written.</summary>
    private sealed class CheckedWriter(Stream stream)
    {
        private readonly Crc32 _crc = new();

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            _crc.Append(bytes);
            stream.Write(bytes);
        }

        public void Ints(ReadOnlySpan<int> values)
        {
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ANN index files are little-endian.");
            Bytes(MemoryMarshal.AsBytes(values));
        }

        public void Trailer()
        {
            Span<byte> crc = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(crc, _crc.GetCurrentHashAsUInt32());
            stream.Write(crc);
        }
    }

    /// <summary>Reads exactly what is asked for, keeping the CRC32; running out is a truncated file.</summary>
    private sealed class CheckedReader(Stream stream, string path)
    {
        private readonly Crc32 _crc = new();

        public XmrDataException Bad(string field, string problem) => new(path, null, null, field, problem);

        public void Into(Span<byte> target, string field)
        {
            try
            {
                stream.ReadExactly(target);
            }
            catch (EndOfStreamException)
            {
                throw Bad(field, "the file ends early (truncated)");
            }
            _crc.Append(target);
        }

        public byte[] Bytes(int n)
        {
            var b = new byte[n];
            Into(b, "header");
            return b;
        }

        public int[] Ints(int n)
        {
            var values = new int[n];
            Into(MemoryMarshal.AsBytes(values.AsSpan()), "header");
            return values;
        }

        public void Trailer()
        {
            Span<byte> stored = stackalloc byte[4];
            try
            {
                stream.ReadExactly(stored);
            }
            catch (EndOfStreamException)
            {
                throw Bad("checksum", "the file ends before its checksum (truncated)");
            }
            if (BinaryPrimitives.ReadUInt32LittleEndian(stored) != _crc.GetCurrentHashAsUInt32()) throw Bad("checksum", "CRC32 mismatch: the file was altered or damaged");
            if (stream.ReadByte() >= 0) throw Bad("checksum", "bytes after the checksum");
        }
    }
}
