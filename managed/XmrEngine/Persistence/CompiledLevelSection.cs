using System.Buffers.Binary;
using XmrEngine.Inference;
using static XmrEngine.Persistence.ModelFileFormat;
using XmrEngine.IO;
using XmrEngine.Models;

namespace XmrEngine.Persistence;

/// <summary>
/// Writes a level's compiled chunked layout as a model-file section and maps one back to raw pointers
/// (layout in <see cref="ModelFileFormat"/>). Mapping checks only that the recorded counts fit the
/// section; <see cref="ChunkedLevelView.Validate"/> checks the contents.
/// </summary>
internal static class CompiledLevelSection
{
    /// <summary>The section holding <paramref name="arrays"/> for tree level <paramref name="level"/>.</summary>
    public static ModelFileSection Build(ChunkedLevelArrays arrays, int level)
    {
        var preamble = new byte[PreambleSize];
        BinaryPrimitives.WriteInt32LittleEndian(preamble, arrays.ChunkRowStart.Length - 1);
        BinaryPrimitives.WriteInt32LittleEndian(preamble.AsSpan(4), arrays.BiasRow);
        BinaryPrimitives.WriteInt32LittleEndian(preamble.AsSpan(8), arrays.RowIds.Length);
        BinaryPrimitives.WriteInt64LittleEndian(preamble.AsSpan(16), arrays.Slots.LongLength);
        BinaryPrimitives.WriteInt64LittleEndian(preamble.AsSpan(24), arrays.FeatureRows.LongLength);
        return new ModelFileSection(SectionKind.CompiledLevel, level)
            .Bytes(preamble)
            .Array(arrays.ChunkRowStart, arrays.ChunkRowStart.Length)
            .Array(arrays.DenseChunk, arrays.DenseChunk.Length)
            .Array(arrays.RowIds, arrays.RowIds.Length)
            .Array(arrays.RowPtr, arrays.RowPtr.Length)
            .Array(arrays.Slots, arrays.Slots.Length)
            .Array(arrays.FeatureRowStart, arrays.FeatureRowStart.Length)
            .Array(arrays.FeatureRows, arrays.FeatureRows.Length);
    }

    private static XmrDataException Bad(MappedFileView file, SectionEntry entry, string problem) =>
        new(file.Path, null, null, $"section '{entry.Name}'", problem);

    /// <summary>Pointers into the mapped section <paramref name="entry"/> of <paramref name="file"/>.</summary>
    /// <exception cref="XmrDataException">The recorded counts are negative, too large, or do not add up to the section's
    /// length; names the mapped file and the section.</exception>
    public static unsafe ChunkedLevelView Map(MappedFileView file, SectionEntry entry)
    {
        if (entry.Length < PreambleSize)
            throw Bad(file, entry, $"the section has {entry.Length} bytes, fewer than its {PreambleSize}-byte preamble.");
        var pre = file.Bytes(entry.Offset, PreambleSize);
        int parents = BinaryPrimitives.ReadInt32LittleEndian(pre), biasRow = BinaryPrimitives.ReadInt32LittleEndian(pre[4..]);
        int rows = BinaryPrimitives.ReadInt32LittleEndian(pre[8..]);
        long slots = BinaryPrimitives.ReadInt64LittleEndian(pre[16..]), featureRows = BinaryPrimitives.ReadInt64LittleEndian(pre[24..]);
        // Every count is at most int.MaxValue, so no offset below can overflow a long.
        if (parents < 0 || biasRow < 0 || rows < 0 || rows == int.MaxValue || parents == int.MaxValue || biasRow == int.MaxValue
            || slots < 0 || slots > int.MaxValue || featureRows < 0 || featureRows > int.MaxValue)
            throw Bad(file, entry, $"the section records out-of-range counts: {parents} chunks, bias row {biasRow}, {rows} rows, {slots} slots, {featureRows} feature-index entries.");
        long at = entry.Offset + PreambleSize;
        long Next(long count, int size)
        {
            long start = Align(at);
            at = start + count * size;
            return start;
        }
        long chunkRowStart = Next(parents + 1L, 4), dense = Next(parents, 1), rowIds = Next(rows, 4), rowPtr = Next(rows + 1L, 8);
        long slotAt = Next(slots, 4), featureRowStart = Next(biasRow + 1L, 4), featureRowAt = Next(featureRows, 8);
        if (at != entry.Offset + entry.Length)
            throw Bad(file, entry, $"the section records {parents} chunks, {rows} rows, {slots} slots and {featureRows} feature-index entries over {biasRow} features, which needs {at - entry.Offset} bytes, not its length {entry.Length}.");
        byte* b = file.Pointer;
        return new ChunkedLevelView(biasRow, parents, rows, slots, featureRows,
            (int*)(b + chunkRowStart), b + dense, (int*)(b + rowIds), (long*)(b + rowPtr), (int*)(b + slotAt), (int*)(b + featureRowStart), (long*)(b + featureRowAt));
    }
}
