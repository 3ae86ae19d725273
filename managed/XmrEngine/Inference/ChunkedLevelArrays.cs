using System.Collections.Concurrent;
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
    /// <remarks>
    /// Two passes over the parents, each in parallel (the result does not depend on the thread count): the first
    /// counts every chunk's distinct rows and slots, so the final arrays are allocated once at their size (no second
    /// copy of a level that can hold gigabytes); the second fills each chunk's own region. Within a chunk the entries
    /// are bucketed by row through a dense per-worker counter over the feature ids (each child's column is sorted, so
    /// visiting children in order leaves each row's children ascending) and only the distinct rows are sorted, instead
    /// of sorting every (row, child) entry (the 20k-label model's three levels: about 530 -> 140 ms, perf/RESULTS.md).
    /// </remarks>
    /// <param name="tree">The level's parents and their children.</param>
    /// <param name="weights">The level's CSC weights (rows = features + bias).</param>
    /// <param name="threads">Workers [0 = one per processor]; the result does not depend on it.</param>
    public static ChunkedLevelArrays Compile(TreeLevel tree, CscMatrix weights, int threads = 0)
    {
        int biasRow = weights.Rows - 1;
        int parents = tree.ParentCount;
        // Each worker holds a counter per weight row (4 MB at 1M features), so the workers are also capped by a scratch budget.
        long byScratch = Math.Max(1, MaxScratchBytes / (4L * weights.Rows));
        int workers = (int)Math.Min(Math.Min(ThreadCount.Resolve(threads), Math.Max(parents, 1)), byScratch);
        var chunkRowStart = Pinned<int>(parents + 1);
        var denseChunk = Pinned<byte>(parents);
        var chunkRows = new int[parents];
        var chunkSlots = new long[parents];
        // Workers' counters are as long as the feature count (4 MB at 1M features): pooled across both passes.
        var pool = new ConcurrentBag<RowBuckets>();
        ForEachParent(parents, workers, pool, weights.Rows, (p, buckets) =>
        {
            var children = tree.Children(p);
            long n = buckets.Count(weights, children);
            int distinct = buckets.Distinct;
            buckets.Reset();
            bool dense = distinct > 0 && n >= DenseChunkDensity * distinct * (double)children.Length;
            denseChunk[p] = dense ? (byte)1 : (byte)0;
            chunkRows[p] = distinct;
            chunkSlots[p] = dense ? (long)distinct * children.Length : 2 * n;
        });
        var slotStart = new long[parents + 1];
        chunkRowStart[0] = 0;
        for (int p = 0; p < parents; p++)
        {
            chunkRowStart[p + 1] = checked(chunkRowStart[p] + chunkRows[p]);
            slotStart[p + 1] = slotStart[p] + chunkSlots[p];
        }
        int totalRows = chunkRowStart[parents];
        var rowIds = Pinned<int>(totalRows);
        var rowPtr = Pinned<long>(totalRows + 1);
        rowPtr[totalRows] = slotStart[parents];
        var slots = Pinned<int>(checked((int)slotStart[parents]));
        ForEachParent(parents, workers, pool, weights.Rows, (p, buckets) =>
            buckets.Fill(weights, tree.Children(p), denseChunk[p] == 1, chunkRowStart[p], slotStart[p], rowIds, rowPtr, slots));
        return FromChunks(biasRow, chunkRowStart, denseChunk, rowIds, rowPtr, slots);
    }

    /// <summary>The level from its chunk arrays (pinned), with the feature-major index built over them.</summary>
    private static ChunkedLevelArrays FromChunks(int biasRow, int[] chunkRowStart, byte[] denseChunk, int[] rowIds, long[] rowPtr, int[] slots)
    {
        var (featureStart, featureRows) = BuildFeatureIndex(rowIds, rowPtr, biasRow);
        return new ChunkedLevelArrays
        {
            BiasRow = biasRow,
            ChunkRowStart = chunkRowStart,
            DenseChunk = denseChunk,
            RowIds = rowIds,
            RowPtr = rowPtr,
            Slots = slots,
            FeatureRowStart = featureStart,
            FeatureRows = featureRows,
        };
    }

    /// <summary>Most bytes of per-worker row counters one <see cref="Compile"/> holds at once.</summary>
    private const long MaxScratchBytes = 256L << 20;

    /// <summary>
    /// Runs <paramref name="body"/> for every parent on up to <paramref name="workers"/> workers, each with pooled scratch.
    /// One parent per work item: the top levels have only a few parents, each a large chunk (4 parents and a million
    /// weights in the 20k-label model's second level).
    /// </summary>
    private static void ForEachParent(int parents, int workers, ConcurrentBag<RowBuckets> pool, int rows, Action<int, RowBuckets> body) =>
        ParallelWorkers.ForEach(parents, workers, () => pool.TryTake(out var b) ? b : new RowBuckets(rows), pool.Add, body);

    /// <summary>
    /// One worker's scratch for <see cref="Compile"/>: a counter per weight row (zero between chunks) and the rows a
    /// chunk touched. After <see cref="Count"/> the counters hold each row's entries; <see cref="Fill"/> reuses them as
    /// write positions.
    /// </summary>
    private sealed class RowBuckets(int rows)
    {
        private readonly int[] _count = new int[rows];
        private int[] _touched = new int[256];

        /// <summary>Distinct rows counted since the last reset.</summary>
        public int Distinct { get; private set; }

        /// <summary>Counts the entries of every row over the chunk's children; returns the chunk's entry count.</summary>
        public long Count(CscMatrix weights, ReadOnlySpan<int> children)
        {
            long n = 0;
            foreach (int c in children)
            {
                var ri = weights.Column(c).Indices;
                n += ri.Length;
                foreach (int r in ri)
                {
                    if (_count[r]++ != 0) continue;
                    if (Distinct == _touched.Length) Array.Resize(ref _touched, Distinct * 2);
                    _touched[Distinct++] = r;
                }
            }
            return n;
        }

        /// <summary>Zeroes the touched counters.</summary>
        public void Reset()
        {
            foreach (int r in _touched.AsSpan(0, Distinct)) _count[r] = 0;
            Distinct = 0;
        }

        /// <summary>Writes one chunk's rows, row pointers and slots into its region of the level's arrays.</summary>
        public void Fill(CscMatrix weights, ReadOnlySpan<int> children, bool dense, int rowBase, long slotBase, int[] rowIds, long[] rowPtr, int[] slots)
        {
            Count(weights, children);
            var rows = _touched.AsSpan(0, Distinct);
            rows.Sort();
            // Each row's first slot, relative to the chunk (a chunk's slots fit an int: the level's do).
            int offset = 0;
            for (int t = 0; t < rows.Length; t++)
            {
                int r = rows[t];
                rowIds[rowBase + t] = r;
                rowPtr[rowBase + t] = slotBase + offset;
                int width = dense ? children.Length : 2 * _count[r];
                _count[r] = offset;
                offset += width;
            }
            var region = slots.AsSpan(checked((int)slotBase), offset);
            if (dense) region.Clear();
            for (int j = 0; j < children.Length; j++)
            {
                var col = weights.Column(children[j]);
                var ri = col.Indices;
                var rv = col.Values;
                for (int e = 0; e < ri.Length; e++)
                {
                    int r = ri[e];
                    if (dense)
                    {
                        region[_count[r] + j] = BitConverter.SingleToInt32Bits(rv[e]);
                    }
                    else
                    {
                        int at = _count[r];
                        region[at] = j;
                        region[at + 1] = BitConverter.SingleToInt32Bits(rv[e]);
                        _count[r] = at + 2;
                    }
                }
            }
            Reset();
        }
    }

    /// <summary>
    /// The plain version of <see cref="Compile"/>: each chunk's entries keyed (row, child) and sorted. The oracle the
    /// tests compare <see cref="Compile"/> with, array by array.
    /// </summary>
    internal static ChunkedLevelArrays CompileReference(TreeLevel tree, CscMatrix weights)
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
        return FromChunks(biasRow, chunkRowStart, denseChunk, PinnedCopy(rowIds.Span), PinnedCopy(rowPtr.Span), PinnedCopy(slotBuffer.Span));
    }

    /// <summary>Groups the packed chunk-row spans by feature id (the bias row excluded); each group ascending.</summary>
    internal static (int[] Start, long[] Rows) BuildFeatureIndex(int[] rowIds, long[] rowPtr, int biasRow)
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
