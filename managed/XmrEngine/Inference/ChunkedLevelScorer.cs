using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Inference;

/// <summary>
/// The fast scorer: one chunk per parent holding only the weight rows that are non-zero for at least
/// one of the parent's children. A chunk row is stored either dense (one value per child, scored with
/// a SIMD axpy) or sparse (child offset + value pairs), whichever its density favours. Scoring matches
/// the query's sorted feature ids against the chunk's sorted row ids and adds each matched row, scaled
/// by the query value, into the children's scores; the bias row, when present, is the chunk's last row.
/// </summary>
internal sealed class ChunkedLevelScorer : LevelScorer
{
    /// <summary>Chunks at least this full (non-zeros / (rows x children)) store their rows dense.</summary>
    internal const double DenseChunkDensity = 0.25;

    /// <summary>
    /// Above this many features the dense query copy (one float per feature, per thread) costs more
    /// memory than it saves, so dense lookup is never chosen automatically.
    /// </summary>
    internal const int DenseLookupMaxFeatures = 1 << 22;

    private readonly int _biasRow;
    private readonly int[] _chunkRowStart;
    private readonly int[] _rowIds;
    private readonly long[] _rowPtr;
    // Row r's weights are _slots[_rowPtr[r] .. _rowPtr[r + 1]): in a dense chunk one float (stored as
    // its bits) per child; in a sparse chunk (child offset, float bits) pairs, interleaved so that a
    // short row costs one cache line rather than one in a column array and one in a value array.
    private readonly int[] _slots;
    private readonly bool[] _denseChunk;
    private readonly ChunkMatchStrategy _strategy;

    // Feature-major index of the chunk rows: the chunk rows holding feature f are
    // _featureRows[_featureRowStart[f] .. _featureRowStart[f + 1]), each packed as
    // (first entry << 32) | entry count. Entry offsets grow with the global row, so the list is
    // ascending and grouped by chunk. A chunk row is found with one short search per (feature, chunk)
    // whose cache lines the other beam parents reuse, where a search of the chunk's own row ids costs
    // ~log2(rows) cache misses (hundreds of thousands of rows near the root of a large model); the
    // packed span also saves the row-pointer read.
    private readonly int[] _featureRowStart;
    private readonly long[] _featureRows;

    public ChunkedLevelScorer(TreeLevel tree, CscMatrix weights, ChunkMatchStrategy strategy = ChunkMatchStrategy.Auto) : base(tree)
    {
        _biasRow = weights.Rows - 1;
        _strategy = strategy;
        int parents = tree.ParentCount;
        _chunkRowStart = new int[parents + 1];
        _denseChunk = new bool[parents];
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
                var ri = weights.ColumnIndices(children[j]);
                var rv = weights.ColumnValues(children[j]);
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
            _denseChunk[p] = dense;
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
            _chunkRowStart[p + 1] = rowIds.Count;
        }
        _rowIds = rowIds.Span.ToArray();
        _rowPtr = rowPtr.Span.ToArray();
        _slots = slotBuffer.Span.ToArray();
        (_featureRowStart, _featureRows) = BuildFeatureIndex(_rowIds, _rowPtr, _biasRow);
    }

    /// <summary>Groups the packed chunk-row spans by feature id (the bias row excluded); each group ascending.</summary>
    private static (int[] Start, long[] Rows) BuildFeatureIndex(int[] rowIds, long[] rowPtr, int biasRow)
    {
        var start = new int[biasRow + 1];
        foreach (int id in rowIds) if (id < biasRow) start[id + 1]++;
        for (int f = 0; f < biasRow; f++) start[f + 1] += start[f];
        var rows = new long[start[biasRow]];
        var fill = start.AsSpan(0, biasRow).ToArray();
        // Walking the global rows in ascending order keeps every feature's list sorted.
        for (int r = 0; r < rowIds.Length; r++)
        {
            int id = rowIds[r];
            if (id < biasRow) rows[fill[id]++] = (rowPtr[r] << 32) | (rowPtr[r + 1] - rowPtr[r]);
        }
        return (start, rows);
    }

    /// <summary>Stored 4-byte slots: one per weight of a dense chunk row (zero padding included), two per sparse entry.</summary>
    public long StoredEntries => _slots.LongLength;

    /// <summary>Picks the matching strategy for a chunk of <paramref name="rows"/> rows and a query of <paramref name="queryLength"/> ids.</summary>
    /// <param name="queryLength">Number of query feature ids.</param>
    /// <param name="rows">Number of (non-bias) rows in the chunk.</param>
    /// <param name="denseAllowed">Whether the dense query copy may be used.</param>
    /// <param name="featureIndex">Whether the level's feature index may be used (it replaces gallop and dense lookup).</param>
    internal static ChunkMatchStrategy Choose(int queryLength, int rows, bool denseAllowed = true, bool featureIndex = false)
    {
        // Merge costs ~ q + r sequential reads and wins when the lengths are similar. Otherwise the
        // feature index costs ~ q short searches (a cache miss or two each), gallop ~ q log r and dense
        // lookup ~ r random reads, so the index wins whenever it exists.
        if (rows <= 2L * queryLength && queryLength <= 2L * rows) return ChunkMatchStrategy.Merge;
        if (featureIndex) return ChunkMatchStrategy.FeatureIndex;
        if ((long)queryLength * (BitOperations.Log2((uint)rows) + 1) < rows) return ChunkMatchStrategy.Gallop;
        return denseAllowed ? ChunkMatchStrategy.DenseLookup : ChunkMatchStrategy.Merge;
    }

    public override void ScoreChildren(int parent, in QueryVector query, PredictWorkspace workspace, Span<float> scores)
    {
        if (scores.Length != Tree.ChildStart[parent + 1] - Tree.ChildStart[parent])
            throw new ArgumentException($"Parent {parent} has {Tree.ChildStart[parent + 1] - Tree.ChildStart[parent]} children but the score span holds {scores.Length}.", nameof(scores));
        scores.Clear();
        int rs = _chunkRowStart[parent], re = _chunkRowStart[parent + 1];
        if (rs == re) return;
        bool dense = _denseChunk[parent];
        bool hasBias = _rowIds[re - 1] == _biasRow;
        int featureEnd = hasBias ? re - 1 : re;
        var q = query.Indices;
        if (featureEnd > rs && q.Length > 0)
        {
            var strategy = _strategy == ChunkMatchStrategy.Auto ? Choose(q.Length, featureEnd - rs, _biasRow <= DenseLookupMaxFeatures, featureIndex: true) : _strategy;
            switch (strategy)
            {
                case ChunkMatchStrategy.Gallop: MatchGallop(rs, featureEnd, query, dense, scores); break;
                case ChunkMatchStrategy.Merge: MatchMerge(rs, featureEnd, query, dense, scores); break;
                case ChunkMatchStrategy.FeatureIndex: MatchFeatureIndex(rs, featureEnd, query, workspace, dense, scores); break;
                default:
                    var map = workspace.Dense(query, _biasRow);
                    for (int r = rs; r < featureEnd; r++)
                    {
                        float v = map[_rowIds[r]];
                        if (v != 0f) AddRow(r, v, dense, scores);
                    }
                    break;
            }
        }
        if (hasBias && query.Bias != 0f) AddRow(re - 1, query.Bias, dense, scores);
    }

    private void MatchMerge(int rs, int re, in QueryVector query, bool dense, Span<float> scores)
    {
        var q = query.Indices;
        var rows = _rowIds;
        int a = 0, r = rs;
        while (a < q.Length && r < re)
        {
            int x = q[a], y = rows[r];
            if (x == y) AddRow(r++, query.Values[a++], dense, scores);
            else if (x < y) a++;
            else r++;
        }
    }

    private void MatchFeatureIndex(int rs, int re, in QueryVector query, PredictWorkspace workspace, bool dense, Span<float> scores)
    {
        var q = query.Indices;
        var starts = _featureRowStart;
        var rows = _featureRows;
        // Every row of the chunk has at least one entry, so its rows' first entries are exactly the
        // offsets in [chunkFirst, chunkEnd).
        long chunkFirst = _rowPtr[rs] << 32, chunkEnd = _rowPtr[re];
        var matched = workspace.MatchedRows(q.Length);
        var matchedValues = workspace.MatchedValues;
        int count = 0;
        // Two passes: the searches of different query ids are independent, so collecting the hits
        // first lets their cache misses overlap instead of waiting behind each row's weight reads.
        for (int a = 0; a < q.Length; a++)
        {
            int f = q[a];
            if ((uint)f >= (uint)_biasRow) continue;
            int lo = starts[f], end = starts[f + 1], hi = end;
            while (lo < hi)
            {
                int mid = (int)((uint)(lo + hi) >> 1);
                if (rows[mid] < chunkFirst) lo = mid + 1;
                else hi = mid;
            }
            if (lo < end && (rows[lo] >> 32) < chunkEnd)
            {
                matched[count] = rows[lo];
                matchedValues[count++] = query.Values[a];
            }
        }
        for (int i = 0; i < count; i++)
        {
            long span = matched[i];
            AddEntries((int)(span >> 32), (int)(span & 0xFFFFFFFF), matchedValues[i], dense, scores);
        }
    }

    private void MatchGallop(int rs, int re, in QueryVector query, bool dense, Span<float> scores)
    {
        var q = query.Indices;
        int lo = rs;
        for (int a = 0; a < q.Length && lo < re; a++)
        {
            int target = q[a];
            // Exponential probe from lo, then binary search inside the bracket.
            int step = 1, hi = lo;
            while (hi < re && _rowIds[hi] < target)
            {
                lo = hi + 1;
                hi += step;
                step <<= 1;
            }
            hi = Math.Min(hi + 1, re);
            int k = _rowIds.AsSpan(lo, hi - lo).BinarySearch(target);
            if (k >= 0)
            {
                AddRow(lo + k, query.Values[a], dense, scores);
                lo += k + 1;
            }
            else
            {
                lo += ~k;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddRow(int row, float scale, bool dense, Span<float> scores) =>
        AddEntries((int)_rowPtr[row], (int)(_rowPtr[row + 1] - _rowPtr[row]), scale, dense, scores);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddEntries(int start, int length, float scale, bool dense, Span<float> scores)
    {
        if (dense)
        {
            VectorMath.Axpy(scale, MemoryMarshal.Cast<int, float>(_slots.AsSpan(start, length)), scores);
            return;
        }
        // Column offsets were checked against the chunk's width at construction, and scores has
        // exactly that width, so the scatter skips bounds checks.
        ref float dst = ref MemoryMarshal.GetReference(scores);
        ref int slot = ref MemoryMarshal.GetArrayDataReference(_slots);
        for (int e = start, end = start + length; e < end; e += 2)
            Unsafe.Add(ref dst, Unsafe.Add(ref slot, e)) += scale * BitConverter.Int32BitsToSingle(Unsafe.Add(ref slot, e + 1));
    }
}
