using System.Buffers.Binary;
using System.IO.Hashing;

namespace XmrEngine.Tests.Models;

/// <summary>
/// Reads a model file's section table and rewrites its checksums after a test has edited bytes, so that
/// tests can build crafted files whose damage only structural validation can catch.
/// </summary>
internal static class ModelFileSurgery
{
    public readonly record struct Section(int Index, uint Kind, int Level, long Offset, long Length)
    {
        public string Name => Kind switch
        {
            1 => "metadata",
            2 => $"tree level {Level}",
            3 => $"weights of level {Level}",
            4 => $"compiled level {Level}",
            _ => $"kind {Kind}",
        };
    }

    /// <summary>Absolute byte offsets of a compiled level's arrays, and its recorded counts.</summary>
    public readonly record struct CompiledLayout(
        int Parents, int BiasRow, int Rows, long SlotCount, long FeatureRowCount,
        long ChunkRowStart, long Dense, long RowIds, long RowPtr, long Slots, long FeatureRowStart, long FeatureRows);

    public static List<Section> Sections(byte[] file)
    {
        int count = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(28));
        var list = new List<Section>();
        for (int i = 0; i < count; i++)
        {
            var e = file.AsSpan(64 + 32 * i);
            list.Add(new Section(i, BinaryPrimitives.ReadUInt32LittleEndian(e), BinaryPrimitives.ReadInt32LittleEndian(e[4..]),
                BinaryPrimitives.ReadInt64LittleEndian(e[8..]), BinaryPrimitives.ReadInt64LittleEndian(e[16..])));
        }
        return list;
    }

    public static (Section Entry, CompiledLayout Layout) Compiled(byte[] file, int level)
    {
        var s = Sections(file).Single(x => x.Kind == 4 && x.Level == level);
        var pre = file.AsSpan((int)s.Offset);
        int parents = BinaryPrimitives.ReadInt32LittleEndian(pre), bias = BinaryPrimitives.ReadInt32LittleEndian(pre[4..]);
        int rows = BinaryPrimitives.ReadInt32LittleEndian(pre[8..]);
        long slots = BinaryPrimitives.ReadInt64LittleEndian(pre[16..]), featureRows = BinaryPrimitives.ReadInt64LittleEndian(pre[24..]);
        long at = s.Offset + 64;
        long Next(long n, int size)
        {
            long start = (at + 63) / 64 * 64;
            at = start + n * size;
            return start;
        }
        return (s, new CompiledLayout(parents, bias, rows, slots, featureRows,
            Next(parents + 1, 4), Next(parents, 1), Next(rows, 4), Next(rows + 1, 8), Next(slots, 4), Next(bias + 1, 4), Next(featureRows, 8)));
    }

    /// <summary>Recomputes every section CRC, the table and header CRCs and the whole-file hash in place.</summary>
    public static void Reseal(byte[] file)
    {
        var sections = Sections(file);
        foreach (var s in sections)
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(64 + 32 * s.Index + 24), Crc32.HashToUInt32(file.AsSpan((int)s.Offset, (int)s.Length)));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(56), Crc32.HashToUInt32(file.AsSpan(64, 32 * sections.Count)));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(60), Crc32.HashToUInt32(file.AsSpan(0, 60)));
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(file.Length - 16), XxHash64.HashToUInt64(file.AsSpan(0, file.Length - 16)));
    }
}
