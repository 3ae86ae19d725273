using System.Buffers.Binary;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using static XmrEngine.Persistence.ModelFileFormat;

namespace XmrEngine.Persistence;

/// <summary>
/// Writes a level's quantised chunked layout (<see cref="QuantizedLevelArrays"/>) as a model-file section and maps
/// or reads one back. Preamble: i32 parents (chunks), i32 bias row (= features), i32 chunk rows, i32 precision code,
/// i64 entry bytes, i64 feature-index entries; then, each 64-byte aligned: i32 chunk row start [parents + 1], u8 dense
/// flag [parents], i32 row ids [rows], i64 row byte offsets [rows + 1], u8 rows [bytes] (see QuantizedChunkRow),
/// i32 feature row start [features + 1], i64 packed feature rows [entries].
/// Mapping checks only that the counts fit the section; <see cref="ChunkedLevelView.Validate"/> checks the contents.
/// </summary>
internal static class QuantizedLevelSection
{
    /// <summary>The section holding <paramref name="arrays"/> for tree level <paramref name="level"/>.</summary>
    public static ModelFileSection Build(QuantizedLevelArrays arrays, int level)
    {
        var preamble = new byte[PreambleSize];
        BinaryPrimitives.WriteInt32LittleEndian(preamble, arrays.ChunkRowStart.Length - 1);
        BinaryPrimitives.WriteInt32LittleEndian(preamble.AsSpan(4), arrays.BiasRow);
        BinaryPrimitives.WriteInt32LittleEndian(preamble.AsSpan(8), arrays.RowIds.Length);
        BinaryPrimitives.WriteInt32LittleEndian(preamble.AsSpan(12), (int)arrays.Precision);
        BinaryPrimitives.WriteInt64LittleEndian(preamble.AsSpan(16), arrays.Entries.LongLength);
        BinaryPrimitives.WriteInt64LittleEndian(preamble.AsSpan(24), arrays.FeatureRows.LongLength);
        return new ModelFileSection(SectionKind.QuantizedLevel, level)
            .Bytes(preamble)
            .Array(arrays.ChunkRowStart, arrays.ChunkRowStart.Length)
            .Array(arrays.DenseChunk, arrays.DenseChunk.Length)
            .Array(arrays.RowIds, arrays.RowIds.Length)
            .Array(arrays.RowPtr, arrays.RowPtr.Length)
            .Array(arrays.Entries, arrays.Entries.Length)
            .Array(arrays.FeatureRowStart, arrays.FeatureRowStart.Length)
            .Array(arrays.FeatureRows, arrays.FeatureRows.Length);
    }

    /// <summary>Where each array of a quantised level section starts (absolute file offsets) and its counts.</summary>
    public readonly record struct Layout(
        WeightPrecision Precision, int Parents, int BiasRow, int Rows, long EntryBytes, long FeatureRows,
        long ChunkRowStartAt, long DenseAt, long RowIdsAt, long RowPtrAt, long EntriesAt, long FeatureRowStartAt, long FeatureRowsAt);

    /// <summary>Reads and checks the preamble of <paramref name="entry"/> from its first <see cref="PreambleSize"/> bytes.</summary>
    /// <exception cref="XmrDataException">Counts out of range, a precision other than the file's, or a length that does not add up.</exception>
    public static Layout Plan(ReadOnlySpan<byte> pre, SectionEntry entry, WeightPrecision filePrecision, string path)
    {
        XmrDataException Bad(string problem) => new(path, null, null, $"section '{entry.Name}'", problem);
        if (entry.Length < PreambleSize)
            throw Bad($"the section has {entry.Length} bytes, fewer than its {PreambleSize}-byte preamble.");
        int parents = BinaryPrimitives.ReadInt32LittleEndian(pre), biasRow = BinaryPrimitives.ReadInt32LittleEndian(pre[4..]);
        int rows = BinaryPrimitives.ReadInt32LittleEndian(pre[8..]), code = BinaryPrimitives.ReadInt32LittleEndian(pre[12..]);
        long bytes = BinaryPrimitives.ReadInt64LittleEndian(pre[16..]), featureRows = BinaryPrimitives.ReadInt64LittleEndian(pre[24..]);
        if (code != (int)filePrecision)
            throw Bad($"the section stores precision code {code}; the file's header records {(int)filePrecision} ({WeightQuantizer.Name(filePrecision)}).");
        // Every count is at most int.MaxValue, so no offset below can overflow a long.
        if (parents < 0 || biasRow < 0 || rows < 0 || rows == int.MaxValue || parents == int.MaxValue || biasRow == int.MaxValue
            || bytes < 0 || bytes > int.MaxValue || featureRows < 0 || featureRows > int.MaxValue)
            throw Bad($"the section records out-of-range counts: {parents} chunks, bias row {biasRow}, {rows} rows, {bytes} entry bytes, {featureRows} feature-index entries.");
        long at = entry.Offset + PreambleSize;
        long Next(long count, int size)
        {
            long start = Align(at);
            at = start + count * size;
            return start;
        }
        var layout = new Layout(filePrecision, parents, biasRow, rows, bytes, featureRows,
            Next(parents + 1L, 4), Next(parents, 1), Next(rows, 4), Next(rows + 1L, 8), Next(bytes, 1), Next(biasRow + 1L, 4), Next(featureRows, 8));
        if (at != entry.Offset + entry.Length)
            throw Bad($"the section records {parents} chunks, {rows} rows, {bytes} entry bytes, {featureRows} feature-index entries over {biasRow} features, which needs {at - entry.Offset} bytes, not its length {entry.Length}.");
        return layout;
    }

    /// <summary>Pointers into the mapped section <paramref name="entry"/> of <paramref name="file"/>.</summary>
    /// <param name="file">The mapped model file.</param>
    /// <param name="entry">The quantised level's section.</param>
    /// <param name="precision">The file's precision (from its header).</param>
    /// <exception cref="XmrDataException">See <see cref="Plan"/>.</exception>
    public static unsafe ChunkedLevelView Map(MappedFileView file, SectionEntry entry, WeightPrecision precision)
    {
        var l = Plan(file.Bytes(entry.Offset, (int)Math.Min(entry.Length, PreambleSize)), entry, precision, file.Path);
        byte* b = file.Pointer;
        return new ChunkedLevelView(l.BiasRow, l.Parents, l.Rows, l.EntryBytes, l.FeatureRows,
            (int*)(b + l.ChunkRowStartAt), b + l.DenseAt, (int*)(b + l.RowIdsAt), (long*)(b + l.RowPtrAt), (int*)(b + l.EntriesAt),
            (int*)(b + l.FeatureRowStartAt), (long*)(b + l.FeatureRowsAt), precision);
    }
}
