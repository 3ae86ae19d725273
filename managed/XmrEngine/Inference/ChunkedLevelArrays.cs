using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Inference;

/// <summary>
/// One tree level's weights compiled into the chunked layout <see cref="ChunkedLevelScorer"/> scores
/// from, held in managed arrays on the pinned object heap (so the scorer can address them with raw
/// pointers, exactly as it addresses a memory-mapped model file). The same arrays are what a model
/// file stores in its compiled sections.
/// <list type="bullet">
/// <item>Chunk rows of parent p are <c>[ChunkRowStart[p], ChunkRowStart[p + 1])</c>; DenseChunk[p] is 1
/// when the chunk stores its rows dense.</item>
/// <item>RowIds: the weight row (feature id, or the bias row last) of every chunk row, ascending within a chunk.</item>
/// <item>Row r's weights are <c>Slots[RowPtr[r] .. RowPtr[r + 1])</c>: in a dense chunk one float (stored as
/// its bits) per child; in a sparse chunk (child offset, float bits) pairs, interleaved so that a short
/// row costs one cache line rather than one in a column array and one in a value array.</item>
/// <item>Feature-major index: the chunk rows holding feature f are
/// <c>FeatureRows[FeatureRowStart[f] .. FeatureRowStart[f + 1])</c>, each packed as
/// (first slot &lt;&lt; 32) | slot count, ascending.</item>
/// </list>
/// </summary>
internal sealed class ChunkedLevelArrays
{
    /// <summary>Chunks at least this full (non-zeros / (rows x children)) store their rows dense.</summary>
    internal const double DenseChunkDensity = 0.25;

    public required int BiasRow { get; init; }
    public required int[] ChunkRowStart { get; init; }
    public required byte[] DenseChunk { get; init; }
    public required int[] RowIds { get; init; }
    public required long[] RowPtr { get; init; }
    public required int[] Slots { get; init; }
    public required int[] FeatureRowStart { get; init; }
    public required long[] FeatureRows { get; init; }

    /// <summary>Compiles the CSC weights of one level (rows = features + bias) for the tree's parents.</summary>
    public static ChunkedLevelArrays Compile(TreeLevel tree, CscMatrix weights)
    {
        int biasRow = weights.Rows - 1;
        int parents = tree.ParentCount;
        var chunkRowStart = Pinned<int>(parents + 1);
        chunkRowStart[0] = 0;
        var denseChunk = Pinned<byte>(parents);
        var rowIds = new GrowableBuffer<int>(1024);
        var rowPtr = new GrowableBuffer<long>(1024);
        var slotBuffer = new GrowableBuffer<int>(4096);
        rowPtr.Add(0);
        long[] keys = [];
        float[] keyVals = [];
        float[] rowScratch = [];
        for (int p = 0; p < parents; p++)
        {
            var children = tree.Children(p);
            long n = 0;
            foreach (int c in children) n += weights.ColumnLength(c);
            if (n > keys.Length)
            {
                keys = new long[n];
                keyVals = new float[n];
            }
            // Key = (row, child offset): sorting groups the chunk's entries by row, children ascending.
            int k = 0;
            for (int j = 0; j < children.Length; j++)
            {
                var ri = weights.Column(children[j]).Indices;
                var rv = weights.Column(children[j]).Values;
                for (int e = 0; e < ri.Length; e++, k++)
                {
                    keys[k] = ((long)ri[e] << 32) | (uint)j;
                    keyVals[k] = rv[e];
                }
            }
            Array.Sort(keys, keyVals, 0, k);
            int distinctRows = 0;
            for (int e = 0; e < k; e++) if (e == 0 || (keys[e] >> 32) != (keys[e - 1] >> 32)) distinctRows++;
            bool dense = distinctRows > 0 && k >= DenseChunkDensity * distinctRows * (double)children.Length;
            denseChunk[p] = dense ? (byte)1 : (byte)0;
            for (int e = 0; e < k;)
            {
                int row = (int)(keys[e] >> 32);
                rowIds.Add(row);
                if (dense)
                {
                    if (rowScratch.Length < children.Length) rowScratch = new float[children.Length];
                    var slots = rowScratch.AsSpan(0, children.Length);
                    slots.Clear();
                    for (; e < k && (int)(keys[e] >> 32) == row; e++) slots[(int)(keys[e] & 0xFFFFFFFF)] = keyVals[e];
                    for (int j = 0; j < slots.Length; j++) slotBuffer.Add(BitConverter.SingleToInt32Bits(slots[j]));
                }
                else
                {
                    for (; e < k && (int)(keys[e] >> 32) == row; e++)
                    {
                        slotBuffer.Add((int)(keys[e] & 0xFFFFFFFF));
                        slotBuffer.Add(BitConverter.SingleToInt32Bits(keyVals[e]));
                    }
                }
                rowPtr.Add(slotBuffer.Count);
            }
            chunkRowStart[p + 1] = rowIds.Count;
        }
        var ids = PinnedCopy(rowIds.Span);
        var ptr = PinnedCopy(rowPtr.Span);
        var (start, rows) = BuildFeatureIndex(ids, ptr, biasRow);
        return new ChunkedLevelArrays
        {
            BiasRow = biasRow,
            ChunkRowStart = chunkRowStart,
            DenseChunk = denseChunk,
            RowIds = ids,
            RowPtr = ptr,
            Slots = PinnedCopy(slotBuffer.Span),
            FeatureRowStart = start,
            FeatureRows = rows,
        };
    }

    /// <summary>Groups the packed chunk-row spans by feature id (the bias row excluded); each group ascending.</summary>
    private static (int[] Start, long[] Rows) BuildFeatureIndex(int[] rowIds, long[] rowPtr, int biasRow)
    {
        var start = Pinned<int>(biasRow + 1);
        Array.Clear(start);
        foreach (int id in rowIds) if (id < biasRow) start[id + 1]++;
        for (int f = 0; f < biasRow; f++) start[f + 1] += start[f];
        var rows = Pinned<long>(start[biasRow]);
        var fill = start.AsSpan(0, biasRow).ToArray();
        // Walking the global rows in ascending order keeps every feature's list sorted.
        for (int r = 0; r < rowIds.Length; r++)
        {
            int id = rowIds[r];
            if (id < biasRow) rows[fill[id]++] = (rowPtr[r] << 32) | (rowPtr[r + 1] - rowPtr[r]);
        }
        return (start, rows);
    }

    /// <summary>A raw-pointer view of these arrays; valid while this object is reachable (the arrays never move).</summary>
    public unsafe ChunkedLevelView View() => new(
        BiasRow, ChunkRowStart.Length - 1, RowIds.Length, Slots.LongLength, FeatureRows.LongLength,
        Address(ChunkRowStart), Address(DenseChunk), Address(RowIds), Address(RowPtr), Address(Slots), Address(FeatureRowStart), Address(FeatureRows));

    private static unsafe T* Address<T>(T[] pinned) where T : unmanaged =>
        (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    private static T[] Pinned<T>(int length) where T : unmanaged => GC.AllocateUninitializedArray<T>(length, pinned: true);

    private static T[] PinnedCopy<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var array = Pinned<T>(data.Length);
        data.CopyTo(array);
        return array;
    }
}
