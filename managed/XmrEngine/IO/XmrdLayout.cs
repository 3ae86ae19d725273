using System.Buffers.Binary;
using System.IO.Hashing;

namespace XmrEngine.IO;

/// <summary>
/// Layout of the <c>.xmrd</c> binary data set file, version 1 (little-endian):
/// <code>
/// [0, 64)       header: magic "XMRDDATA", u32 version, u32 header size (64), i32 rows, i32 feature columns,
///               i64 feature nnz, i32 label columns (-1: no labels), i32 section count (3 or 6), i64 label nnz,
///               i64 file length, u32 CRC32 of the section table, u32 CRC32 of header bytes [0, 60)
/// [64, ...)     section table, 32 bytes per section: u32 kind, u32 element size, i64 offset, i64 length in
///               bytes, u32 CRC32 of the section's bytes, u32 reserved (0)
/// sections      X row pointers (i64, rows + 1), X column indices (i32, nnz), X values (f32, nnz), then the
///               same three for Y when present; each starts on a 64-byte boundary, zero padding in between
/// [len-16, len) trailer: u64 XxHash64 of bytes [0, len-16), then the end marker "XMRDEND!"
/// </code>
/// Everything after the header follows from the header's shape, so a reader computes the expected table
/// and rejects any entry that differs instead of trusting offsets from the file: a corrupt table cannot
/// point a read outside the file or make it allocate more than the file holds.
/// </summary>
internal static class XmrdLayout
{
    public const uint FormatVersion = 1;
    public const int HeaderSize = 64;
    public const int TableEntrySize = 32;
    public const int TrailerSize = 16;
    public const int Alignment = 64;

    public static ReadOnlySpan<byte> Magic => "XMRDDATA"u8;
    public static ReadOnlySpan<byte> EndMagic => "XMRDEND!"u8;

    public static long Align(long offset) => (offset + Alignment - 1) / Alignment * Alignment;

    /// <summary>What a section holds; the order of the values is the order in the file.</summary>
    public enum SectionKind : uint
    {
        FeaturePointers = 1,
        FeatureIndices = 2,
        FeatureValues = 3,
        LabelPointers = 4,
        LabelIndices = 5,
        LabelValues = 6,
    }

    /// <summary>The name a message uses for a section.</summary>
    public static string Name(SectionKind kind) => kind switch
    {
        SectionKind.FeaturePointers => "X row pointers",
        SectionKind.FeatureIndices => "X column indices",
        SectionKind.FeatureValues => "X values",
        SectionKind.LabelPointers => "Y row pointers",
        SectionKind.LabelIndices => "Y column indices",
        SectionKind.LabelValues => "Y values",
        _ => $"section kind {(uint)kind}",
    };

    /// <summary>The fixed-size header. <see cref="LabelCols"/> is -1 when the file holds no label matrix.</summary>
    public readonly record struct Header(int Rows, int FeatureCols, long FeatureNnz, int LabelCols, long LabelNnz, long FileLength, uint TableCrc)
    {
        public bool HasLabels => LabelCols >= 0;

        public int SectionCount => HasLabels ? 6 : 3;

        public void Write(Span<byte> b)
        {
            b[..HeaderSize].Clear();
            Magic.CopyTo(b);
            BinaryPrimitives.WriteUInt32LittleEndian(b[8..], FormatVersion);
            BinaryPrimitives.WriteUInt32LittleEndian(b[12..], HeaderSize);
            BinaryPrimitives.WriteInt32LittleEndian(b[16..], Rows);
            BinaryPrimitives.WriteInt32LittleEndian(b[20..], FeatureCols);
            BinaryPrimitives.WriteInt64LittleEndian(b[24..], FeatureNnz);
            BinaryPrimitives.WriteInt32LittleEndian(b[32..], LabelCols);
            BinaryPrimitives.WriteInt32LittleEndian(b[36..], SectionCount);
            BinaryPrimitives.WriteInt64LittleEndian(b[40..], LabelNnz);
            BinaryPrimitives.WriteInt64LittleEndian(b[48..], FileLength);
            BinaryPrimitives.WriteUInt32LittleEndian(b[56..], TableCrc);
            BinaryPrimitives.WriteUInt32LittleEndian(b[60..], Crc32.HashToUInt32(b[..60]));
        }

        /// <summary>Reads the fields; the caller has checked magic, version and the header checksum.</summary>
        public static Header Read(ReadOnlySpan<byte> b) => new(
            BinaryPrimitives.ReadInt32LittleEndian(b[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(b[20..]),
            BinaryPrimitives.ReadInt64LittleEndian(b[24..]),
            BinaryPrimitives.ReadInt32LittleEndian(b[32..]),
            BinaryPrimitives.ReadInt64LittleEndian(b[40..]),
            BinaryPrimitives.ReadInt64LittleEndian(b[48..]),
            BinaryPrimitives.ReadUInt32LittleEndian(b[56..]));
    }

    /// <summary>One section table entry; <see cref="Length"/> is in bytes.</summary>
    public readonly record struct SectionEntry(SectionKind Kind, int ElementSize, long Offset, long Length, uint Crc)
    {
        public long Count => Length / ElementSize;

        public void Write(Span<byte> b)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)Kind);
            BinaryPrimitives.WriteInt32LittleEndian(b[4..], ElementSize);
            BinaryPrimitives.WriteInt64LittleEndian(b[8..], Offset);
            BinaryPrimitives.WriteInt64LittleEndian(b[16..], Length);
            BinaryPrimitives.WriteUInt32LittleEndian(b[24..], Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(b[28..], 0);
        }

        public static SectionEntry Read(ReadOnlySpan<byte> b) => new(
            (SectionKind)BinaryPrimitives.ReadUInt32LittleEndian(b),
            BinaryPrimitives.ReadInt32LittleEndian(b[4..]),
            BinaryPrimitives.ReadInt64LittleEndian(b[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(b[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(b[24..]));

        /// <summary>Equal in everything the layout fixes (the checksum is checked separately).</summary>
        public bool SamePlace(SectionEntry other) =>
            Kind == other.Kind && ElementSize == other.ElementSize && Offset == other.Offset && Length == other.Length;
    }

    /// <summary>
    /// The sections a header implies, in file order, with their offsets and lengths (checksums 0), and the
    /// resulting file length. Callers check the counts are non-negative first.
    /// </summary>
    public static (SectionEntry[] Entries, long FileLength) Plan(int rows, long featureNnz, bool hasLabels, long labelNnz)
    {
        var entries = new SectionEntry[hasLabels ? 6 : 3];
        long offset = Align(HeaderSize + (long)TableEntrySize * entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            var kind = (SectionKind)(i + 1);
            long nnz = i < 3 ? featureNnz : labelNnz;
            bool pointers = i % 3 == 0;
            int size = pointers ? sizeof(long) : sizeof(int);
            long count = pointers ? rows + 1L : nnz;
            entries[i] = new SectionEntry(kind, size, offset, size * count, 0);
            offset = Align(offset + size * count);
        }
        return (entries, offset + TrailerSize);
    }
}
