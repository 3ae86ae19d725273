using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Models;

namespace XmrEngine.Inference;

/// <summary>
/// Raw pointers to one level's compiled chunked layout (see <see cref="ChunkedLevelArrays"/> for what
/// each array holds), over either pinned managed arrays or a memory-mapped model file. The pointers
/// stay valid only while their owner (the arrays, or the mapping) is alive; the scorer keeps it alive.
/// </summary>
internal readonly unsafe struct ChunkedLevelView(
    int biasRow, int parentCount, int rowCount, long slotCount, long featureRowCount,
    int* chunkRowStart, byte* denseChunk, int* rowIds, long* rowPtr, int* slots, int* featureRowStart, long* featureRows,
    WeightPrecision precision = WeightPrecision.Float32)
{
    /// <summary>
    /// How values are stored. Float32: <see cref="Slots"/> holds 4-byte slots and every count is in slots. Quantised:
    /// <see cref="Slots"/> addresses the byte entries of <see cref="QuantizedLevelArrays"/> and the slot count, row
    /// pointers and feature index count bytes.
    /// </summary>
    public WeightPrecision Precision { get; } = precision;

    /// <summary>Index of the bias row (= the feature count); feature ids lie below it.</summary>
    public int BiasRow { get; } = biasRow;

    /// <summary>Chunks (= parents at this level); ChunkRowStart has one more entry, DenseChunk this many.</summary>
    public int ParentCount { get; } = parentCount;

    /// <summary>Chunk rows over all chunks; RowIds has this many entries, RowPtr one more.</summary>
    public int RowCount { get; } = rowCount;

    /// <summary>4-byte slots over all rows.</summary>
    public long SlotCount { get; } = slotCount;

    /// <summary>Entries of the feature index; FeatureRowStart has BiasRow + 1 entries.</summary>
    public long FeatureRowCount { get; } = featureRowCount;

    public int* ChunkRowStart { get; } = chunkRowStart;
    public byte* DenseChunk { get; } = denseChunk;
    public int* RowIds { get; } = rowIds;
    public long* RowPtr { get; } = rowPtr;
    public int* Slots { get; } = slots;
    public int* FeatureRowStart { get; } = featureRowStart;
    public long* FeatureRows { get; } = featureRows;

    /// <summary>
    /// Checks every invariant the scorer's unchecked pointer arithmetic relies on, so that a crafted or
    /// damaged layout fails here instead of reading out of bounds: pointers monotone and in range, one
    /// chunk per parent of <paramref name="tree"/>, row ids ascending within a chunk and at most the bias
    /// row, dense rows exactly one slot per child, sparse child offsets below the chunk's width, and a
    /// feature index that lists exactly the chunk rows of each feature, in order. Reads every array once.
    /// </summary>
    /// <param name="tree">The tree level the layout must serve.</param>
    /// <param name="featureCount">The model's feature count, which is the layout's bias row.</param>
    /// <param name="filePath">The mapped model file, named in the exception.</param>
    /// <param name="section">The section holding the layout, named in the exception.</param>
    /// <exception cref="XmrDataException">An invariant is broken; the message says which and where.</exception>
    public void Validate(TreeLevel tree, int featureCount, string filePath, string section)
    {
        XmrDataException Invalid(string problem) => new(filePath, null, null, $"section '{section}'", $"invalid compiled layout: {problem}.");

        if (BiasRow != featureCount)
            throw Invalid($"the bias row is {BiasRow} but the model has {featureCount} features");
        if (ParentCount != tree.ParentCount)
            throw Invalid($"{ParentCount} chunks but the tree level has {tree.ParentCount} parents");
        if (RowCount < 0 || SlotCount < 0 || SlotCount > int.MaxValue || FeatureRowCount < 0 || FeatureRowCount > int.MaxValue)
            throw Invalid($"counts out of range: {RowCount} rows, {SlotCount} slots, {FeatureRowCount} feature-index entries");
        if (ChunkRowStart[0] != 0 || ChunkRowStart[ParentCount] != RowCount)
            throw Invalid($"chunk row pointers run from {ChunkRowStart[0]} to {ChunkRowStart[ParentCount]}; expected 0 to {RowCount}");
        if (RowPtr[0] != 0 || RowPtr[RowCount] != SlotCount)
            throw Invalid($"row pointers run from {RowPtr[0]} to {RowPtr[RowCount]}; expected 0 to {SlotCount}");
        for (int p = 0; p < ParentCount; p++)
        {
            int rs = ChunkRowStart[p], re = ChunkRowStart[p + 1];
            if (re < rs || re > RowCount)
                throw Invalid($"chunk {p} has row pointers {rs}..{re}, not monotone within [0, {RowCount}]");
            byte dense = DenseChunk[p];
            if (dense > 1) throw Invalid($"chunk {p} has dense flag {dense}; expected 0 or 1");
            int width = tree.ChildStart[p + 1] - tree.ChildStart[p];
            if (re > rs && width == 0) throw Invalid($"chunk {p} has rows but its parent has no children");
            int previousId = -1;
            for (int r = rs; r < re; r++)
            {
                int id = RowIds[r];
                if (id <= previousId || id > BiasRow)
                    throw Invalid($"chunk {p}, row {r} has id {id}; ids must ascend within a chunk and stay within [0, {BiasRow}]");
                previousId = id;
                long start = RowPtr[r], end = RowPtr[r + 1];
                if (end <= start || end > SlotCount)
                    throw Invalid($"row {r} has slot pointers {start}..{end}, not increasing within [0, {SlotCount}]");
                if (Precision != WeightPrecision.Float32)
                {
                    ValidateQuantizedRow(Invalid, p, r, start, end, width, dense == 1);
                    continue;
                }
                if (dense == 1)
                {
                    if (end - start != width)
                        throw Invalid($"dense row {r} of chunk {p} has {end - start} slots for {width} children");
                    continue;
                }
                if (((end - start) & 1) != 0)
                    throw Invalid($"sparse row {r} of chunk {p} has an odd slot count {end - start}");
                int previousChild = -1;
                for (long e = start; e < end; e += 2)
                {
                    int child = Slots[e];
                    if (child <= previousChild || child >= width)
                        throw Invalid($"sparse row {r} of chunk {p} names child offset {child}; offsets must ascend within [0, {width})");
                    previousChild = child;
                }
            }
        }
        ValidateFeatureIndex(Invalid);
    }

    /// <summary>
    /// A quantised row: an 8-bit row's finite scale first; then dense rows one value per child, sparse rows at least one
    /// whole entry, 16-bit child offsets ascending below the width.
    /// </summary>
    private void ValidateQuantizedRow(Func<string, XmrDataException> invalid, int p, int r, long start, long end, int width, bool dense)
    {
        int valueBytes = WeightQuantizer.ValueBytes(Precision), entryBytes = WeightQuantizer.EntryBytes(Precision);
        if (Precision == WeightPrecision.Int8)
        {
            if (end - start <= QuantizedChunkRow.Int8ScaleBytes)
                throw invalid($"8-bit row {r} of chunk {p} has {end - start} bytes, no room for its scale and a value");
            float scale = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(new ReadOnlySpan<byte>((byte*)Slots + start, 4));
            if (!float.IsFinite(scale)) throw invalid($"8-bit row {r} of chunk {p} has scale {scale}");
            start += QuantizedChunkRow.Int8ScaleBytes;
        }
        if (dense)
        {
            if (end - start != (long)width * valueBytes)
                throw invalid($"dense row {r} of chunk {p} has {end - start} bytes for {width} children of {valueBytes} bytes");
            return;
        }
        if ((end - start) % entryBytes != 0)
            throw invalid($"sparse row {r} of chunk {p} has {end - start} bytes, not a whole number of {entryBytes}-byte entries");
        byte* bytes = (byte*)Slots;
        int previousChild = -1;
        for (long e = start; e < end; e += entryBytes)
        {
            int child = bytes[e] | (bytes[e + 1] << 8);
            if (child <= previousChild || child >= width)
                throw invalid($"sparse row {r} of chunk {p} names child offset {child}; offsets must ascend within [0, {width})");
            previousChild = child;
        }
    }

    /// <summary>The feature index must equal the one <see cref="ChunkedLevelArrays"/> builds from the rows.</summary>
    private void ValidateFeatureIndex(Func<string, XmrDataException> invalid)
    {
        if (FeatureRowStart[0] != 0 || FeatureRowStart[BiasRow] != FeatureRowCount)
            throw invalid($"feature index pointers run from {FeatureRowStart[0]} to {FeatureRowStart[BiasRow]}; expected 0 to {FeatureRowCount}");
        var fill = new int[BiasRow];
        for (int f = 0; f < BiasRow; f++)
        {
            int s = FeatureRowStart[f];
            if (FeatureRowStart[f + 1] < s) throw invalid($"feature index pointers decrease at feature {f}");
            fill[f] = s;
        }
        for (int r = 0; r < RowCount; r++)
        {
            int id = RowIds[r];
            if (id >= BiasRow) continue;
            int at = fill[id]++;
            long expected = (RowPtr[r] << 32) | (RowPtr[r + 1] - RowPtr[r]);
            if (at >= FeatureRowStart[id + 1] || FeatureRows[at] != expected)
                throw invalid($"the feature index entry for feature {id}, row {r} is missing or wrong");
        }
        for (int f = 0; f < BiasRow; f++)
            if (fill[f] != FeatureRowStart[f + 1])
                throw invalid($"the feature index lists {FeatureRowStart[f + 1] - FeatureRowStart[f]} rows for feature {f} but the chunks hold {fill[f] - FeatureRowStart[f]}");
    }
}
