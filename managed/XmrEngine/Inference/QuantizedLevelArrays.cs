using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Inference;

/// <summary>
/// One level's chunked layout with quantised values: the arrays of <see cref="ChunkedLevelArrays"/> (chunk rows,
/// row ids, feature index) with the 4-byte slots replaced by the byte rows <see cref="QuantizedChunkRow"/> reads
/// (an 8-bit row starts with its own float scale), so row pointers and the feature index count bytes.
/// A quantised model file stores only this layout per level; the CSC weights are rebuilt from it on load
/// (<see cref="ToCsc"/>), so the file holds each weight once.
/// </summary>
internal sealed class QuantizedLevelArrays
{
    /// <summary>Most children of one parent a quantised level holds: sparse entries store the child offset in 16 bits.</summary>
    public const int MaxChildren = 1 << 16;

    public required WeightPrecision Precision { get; init; }
    public required int BiasRow { get; init; }
    public required int[] ChunkRowStart { get; init; }
    public required byte[] DenseChunk { get; init; }
    public required int[] RowIds { get; init; }
    public required long[] RowPtr { get; init; }
    public required byte[] Entries { get; init; }
    public required int[] FeatureRowStart { get; init; }
    public required long[] FeatureRows { get; init; }

    /// <summary>
    /// Compiles <paramref name="weights"/> for <paramref name="tree"/> and stores every value at
    /// <paramref name="precision"/> (rounded by <see cref="WeightQuantizer"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A parent has more than <see cref="MaxChildren"/> children, a weight is
    /// outside half precision's range, or the level's entries exceed 2 GB.</exception>
    public static QuantizedLevelArrays Quantize(TreeLevel tree, CscMatrix weights, WeightPrecision precision, int threads = 0)
    {
        if (precision == WeightPrecision.Float32) throw new ArgumentException("Float32 levels are stored as ChunkedLevelArrays.", nameof(precision));
        if (tree.MaxChildren > MaxChildren)
            throw new ArgumentException($"a parent has {tree.MaxChildren} children; quantised levels hold at most {MaxChildren} per parent (save this model as f32).");
        var full = ChunkedLevelArrays.Compile(tree, weights, threads);
        int valueBytes = WeightQuantizer.ValueBytes(precision), entryBytes = WeightQuantizer.EntryBytes(precision);
        int rowHeader = precision == WeightPrecision.Int8 ? QuantizedChunkRow.Int8ScaleBytes : 0;
        int rows = full.RowIds.Length;
        var rowPtr = Pinned<long>(rows + 1);
        rowPtr[0] = 0;
        for (int p = 0; p < tree.ParentCount; p++)
        {
            bool dense = full.DenseChunk[p] != 0;
            for (int r = full.ChunkRowStart[p]; r < full.ChunkRowStart[p + 1]; r++)
            {
                long slots = full.RowPtr[r + 1] - full.RowPtr[r];
                rowPtr[r + 1] = rowPtr[r] + rowHeader + (dense ? slots * valueBytes : slots / 2 * entryBytes);
            }
        }
        if (rowPtr[rows] > int.MaxValue)
            throw new ArgumentException($"the level's quantised entries take {rowPtr[rows]:N0} bytes; a level holds at most 2 GB.");
        var entries = Pinned<byte>((int)rowPtr[rows]);
        for (int p = 0; p < tree.ParentCount; p++)
        {
            bool dense = full.DenseChunk[p] != 0;
            for (int r = full.ChunkRowStart[p]; r < full.ChunkRowStart[p + 1]; r++)
            {
                var slots = full.Slots.AsSpan((int)full.RowPtr[r], (int)(full.RowPtr[r + 1] - full.RowPtr[r]));
                var target = entries.AsSpan((int)rowPtr[r], (int)(rowPtr[r + 1] - rowPtr[r]));
                float scale = 0f;
                if (precision == WeightPrecision.Int8)
                {
                    scale = WeightQuantizer.Int8Scale(slots, dense);
                    BinaryPrimitives.WriteSingleLittleEndian(target, scale);
                    target = target[rowHeader..];
                }
                if (dense)
                {
                    for (int j = 0; j < slots.Length; j++)
                        WriteValue(target[(j * valueBytes)..], BitConverter.Int32BitsToSingle(slots[j]), precision, scale);
                    continue;
                }
                for (int e = 0, at = 0; e < slots.Length; e += 2, at += entryBytes)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(target[at..], (ushort)slots[e]);
                    WriteValue(target[(at + 2)..], BitConverter.Int32BitsToSingle(slots[e + 1]), precision, scale);
                }
            }
        }
        var (featureStart, featureRows) = ChunkedLevelArrays.BuildFeatureIndex(full.RowIds, rowPtr, full.BiasRow);
        return new QuantizedLevelArrays
        {
            Precision = precision,
            BiasRow = full.BiasRow,
            ChunkRowStart = full.ChunkRowStart,
            DenseChunk = full.DenseChunk,
            RowIds = full.RowIds,
            RowPtr = rowPtr,
            Entries = entries,
            FeatureRowStart = featureStart,
            FeatureRows = featureRows,
        };
    }

    private static void WriteValue(Span<byte> target, float weight, WeightPrecision precision, float scale)
    {
        if (precision == WeightPrecision.Float16) BinaryPrimitives.WriteUInt16LittleEndian(target, WeightQuantizer.ToHalfBits(weight));
        else target[0] = (byte)WeightQuantizer.ToInt8(weight, scale);
    }

    /// <summary>The float a stored value stands for (an 8-bit value times its row's scale).</summary>
    public static float Decode(ReadOnlySpan<byte> value, WeightPrecision precision, float scale) => precision == WeightPrecision.Float16
        ? QuantizedChunkRow.HalfToSingle(BinaryPrimitives.ReadUInt16LittleEndian(value))
        : (sbyte)value[0] * scale;

    /// <summary>
    /// The level's weights as CSC (rows = features + bias, one column per node), each value decoded; zeros (dense
    /// padding, or weights that rounded to zero) are left out. Columns come out sorted because each chunk's rows ascend.
    /// </summary>
    public CscMatrix ToCsc(TreeLevel tree)
    {
        var colPtr = new long[tree.NodeCount + 1];
        ForEachWeight(tree, (node, _, _) => colPtr[node + 1]++);
        for (int c = 0; c < tree.NodeCount; c++) colPtr[c + 1] += colPtr[c];
        var rowIdx = new int[colPtr[^1]];
        var values = new float[colPtr[^1]];
        var fill = colPtr[..^1].ToArray();
        ForEachWeight(tree, (node, row, value) =>
        {
            long k = fill[node]++;
            rowIdx[k] = row;
            values[k] = value;
        });
        return new CscMatrix(BiasRow + 1, tree.NodeCount, colPtr, rowIdx, values);
    }

    /// <summary>Calls <paramref name="visit"/>(node, feature row, value) for every non-zero stored value, chunk by chunk, rows ascending.</summary>
    private void ForEachWeight(TreeLevel tree, Action<int, int, float> visit)
    {
        int valueBytes = WeightQuantizer.ValueBytes(Precision), entryBytes = WeightQuantizer.EntryBytes(Precision);
        for (int p = 0; p < tree.ParentCount; p++)
        {
            bool dense = DenseChunk[p] != 0;
            int first = tree.ChildStart[p], step = dense ? valueBytes : entryBytes;
            for (int r = ChunkRowStart[p]; r < ChunkRowStart[p + 1]; r++)
            {
                var row = Entries.AsSpan((int)RowPtr[r], (int)(RowPtr[r + 1] - RowPtr[r]));
                float scale = 0f;
                if (Precision == WeightPrecision.Int8)
                {
                    scale = BinaryPrimitives.ReadSingleLittleEndian(row);
                    row = row[QuantizedChunkRow.Int8ScaleBytes..];
                }
                for (int at = 0, j = 0; at < row.Length; at += step, j++)
                {
                    int position = first + (dense ? j : BinaryPrimitives.ReadUInt16LittleEndian(row[at..]));
                    float v = Decode(row[(dense ? at : at + 2)..], Precision, scale);
                    if (v != 0f) visit(tree.ChildIds[position], RowIds[r], v);
                }
            }
        }
    }

    /// <summary>A raw-pointer view of these arrays; valid while this object is reachable (built by <see cref="Quantize"/>, pinned).</summary>
    public unsafe ChunkedLevelView View() => new(
        BiasRow, ChunkRowStart.Length - 1, RowIds.Length, Entries.LongLength, FeatureRows.LongLength,
        Address(ChunkRowStart), Address(DenseChunk), Address(RowIds), Address(RowPtr), (int*)Address(Entries), Address(FeatureRowStart), Address(FeatureRows),
        Precision);

    private static unsafe T* Address<T>(T[] pinned) where T : unmanaged =>
        (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    private static T[] Pinned<T>(int length) where T : unmanaged => GC.AllocateUninitializedArray<T>(length, pinned: true);
}
