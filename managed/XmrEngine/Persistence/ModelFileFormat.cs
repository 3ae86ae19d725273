using System.Buffers.Binary;
using System.Text;
using XmrEngine.Models;

namespace XmrEngine.Persistence;

/// <summary>
/// Layout of the XmrEngine XR-Linear model file (little-endian):
/// <code>
/// [0, 64)        header: magic "XMRMODEL", u32 version, u32 header size (64), i32 features, f32 bias,
///                i32 depth, i32 section count, i64 file length, i64 table offset (64),
///                u32 reserved x2, u32 CRC32 of the section table, u32 CRC32 of header bytes [0, 60)
/// [64, ...)      section table: per section u32 kind, i32 level, i64 offset, i64 length, u32 CRC32, u32 reserved
/// sections       each starts on a 64-byte boundary; arrays inside a section start on 64-byte boundaries
///                (relative to the file start) so the file can be memory-mapped with aligned arrays
/// [len-16, len)  trailer: u64 XxHash64 of bytes [0, len-16), then the magic "XMRENDOK"
/// </code>
/// Sections: metadata JSON (UTF-8, optional), one chain level per tree level (preamble i32 nodes,
/// i32 parents; then i32 parent id per node) and one weight level per tree level (preamble i32 rows,
/// i32 cols, i64 nnz; then i64 column pointers, i32 row indices, f32 values).
/// <para>
/// Version 2 (written by default) adds an optional compiled level per tree level: the weights already
/// rearranged into the chunked layout the predictor scores from (see Inference.ChunkedLevelArrays), so a
/// memory-mapped file can be served without a compile step or any copy. Preamble i32 parents (chunks),
/// i32 bias row (= features), i32 chunk rows, i32 reserved, i64 slots, i64 feature-index entries; then,
/// each 64-byte aligned: i32 chunk row start [parents + 1], u8 dense flag [parents], i32 row ids [rows],
/// i64 row pointers [rows + 1], i32 slots [slots], i32 feature row start [features + 1], i64 packed
/// feature rows [entries]. Compiled levels are present for every level or for none (a file saved
/// without them maps by falling back to read and compile). The CSC weight levels stay in the file, so
/// <c>Load</c> (read into managed arrays) works on every version-2 file and ignores the compiled levels,
/// whose checksums it still verifies. Version 1 files (no compiled levels) are still read.
/// </para>
/// <para>
/// Version 3 holds an ensemble of trees: the header's first reserved word (offset 48) is the tree count and
/// each section-table entry's reserved word is the section's tree index (0-based); the header's depth is the
/// deepest tree's. Everything else is version 2, per tree. One-tree models are still written as version 2,
/// byte for byte what earlier builds wrote, so older readers keep reading them.
/// </para>
/// <para>
/// Version 4 holds quantised weights (<see cref="WeightPrecision"/> Float16 or Int8): the header's second reserved
/// word (offset 52) is the precision code, and each tree level has one quantised level section (kind 5) instead of
/// its CSC weights and compiled level, so every weight is stored once, at 2 or 1 bytes (see
/// <see cref="QuantizedLevelSection"/>). Everything else is version 3. Float32 models are still written as
/// version 2 or 3, so builds that read only those keep reading them, and refuse a version-4 file by its version.
/// </para>
/// <para>
/// An optional calibration section (kind 6, level -1, after the metadata) holds the model's score calibration; see
/// <see cref="CalibrationSection"/>. It does not change the version: files without it are what they were.
/// </para>
/// </summary>
internal static class ModelFileFormat
{
    public const int Version = 3;
    public const int QuantizedVersion = 4;
    public const int NewestReadableVersion = QuantizedVersion;
    public const int SingleTreeVersion = 2;
    public const int OldestReadableVersion = 1;
    public const int HeaderSize = 64;
    public const int TableEntrySize = 32;
    public const int TrailerSize = 16;
    public const int PreambleSize = 64;
    public const int Alignment = 64;

    public static ReadOnlySpan<byte> Magic => "XMRMODEL"u8;
    public static ReadOnlySpan<byte> EndMagic => "XMRENDOK"u8;

    public static long Align(long offset) => (offset + Alignment - 1) / Alignment * Alignment;

    public enum SectionKind : uint
    {
        Metadata = 1,
        ChainLevel = 2,
        WeightLevel = 3,
        CompiledLevel = 4,
        QuantizedLevel = 5,
        Calibration = 6,
    }

    public readonly record struct SectionEntry(SectionKind Kind, int Level, long Offset, long Length, uint Crc, int Tree = 0)
    {
        public string Name => (Tree == 0 ? "" : $"tree {Tree}: ") + Kind switch
        {
            SectionKind.Metadata => "metadata",
            SectionKind.ChainLevel => $"tree level {Level}",
            SectionKind.WeightLevel => $"weights of level {Level}",
            SectionKind.CompiledLevel => $"compiled level {Level}",
            SectionKind.QuantizedLevel => $"quantised level {Level}",
            SectionKind.Calibration => "calibration",
            _ => $"unknown section kind {(uint)Kind}",
        };

        public void Write(Span<byte> b)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)Kind);
            BinaryPrimitives.WriteInt32LittleEndian(b[4..], Level);
            BinaryPrimitives.WriteInt64LittleEndian(b[8..], Offset);
            BinaryPrimitives.WriteInt64LittleEndian(b[16..], Length);
            BinaryPrimitives.WriteUInt32LittleEndian(b[24..], Crc);
            BinaryPrimitives.WriteInt32LittleEndian(b[28..], Tree);
        }

        /// <summary>Reads an entry; files before version 3 have no tree index (the word is reserved there).</summary>
        public static SectionEntry Read(ReadOnlySpan<byte> b, uint version) => new(
            (SectionKind)BinaryPrimitives.ReadUInt32LittleEndian(b),
            BinaryPrimitives.ReadInt32LittleEndian(b[4..]),
            BinaryPrimitives.ReadInt64LittleEndian(b[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(b[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(b[24..]),
            version >= 3 ? BinaryPrimitives.ReadInt32LittleEndian(b[28..]) : 0);
    }

    public readonly record struct Header(int FeatureCount, float Bias, int Depth, int SectionCount, long FileLength, uint TableCrc, int TreeCount = 1,
        WeightPrecision Precision = WeightPrecision.Float32)
    {
        public uint FormatVersion => (uint)(Precision != WeightPrecision.Float32 ? QuantizedVersion : TreeCount == 1 ? SingleTreeVersion : Version);

        public void Write(Span<byte> b)
        {
            b[..HeaderSize].Clear();
            Magic.CopyTo(b);
            BinaryPrimitives.WriteUInt32LittleEndian(b[8..], FormatVersion);
            BinaryPrimitives.WriteUInt32LittleEndian(b[12..], HeaderSize);
            BinaryPrimitives.WriteInt32LittleEndian(b[16..], FeatureCount);
            BinaryPrimitives.WriteSingleLittleEndian(b[20..], Bias);
            BinaryPrimitives.WriteInt32LittleEndian(b[24..], Depth);
            BinaryPrimitives.WriteInt32LittleEndian(b[28..], SectionCount);
            BinaryPrimitives.WriteInt64LittleEndian(b[32..], FileLength);
            BinaryPrimitives.WriteInt64LittleEndian(b[40..], HeaderSize);
            if (FormatVersion >= Version) BinaryPrimitives.WriteInt32LittleEndian(b[48..], TreeCount);
            if (Precision != WeightPrecision.Float32) BinaryPrimitives.WriteInt32LittleEndian(b[52..], (int)Precision);
            BinaryPrimitives.WriteUInt32LittleEndian(b[56..], TableCrc);
            BinaryPrimitives.WriteUInt32LittleEndian(b[60..], System.IO.Hashing.Crc32.HashToUInt32(b[..60]));
        }
    }

    public static string Describe(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        foreach (byte c in bytes) sb.Append(c is >= 32 and < 127 ? (char)c : '.');
        return sb.ToString();
    }
}
