using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Sparse;

namespace XmrEngine.Inference;

/// <summary>
/// The fast scorer: one chunk per parent holding only the weight rows that are non-zero for at least
/// one of the parent's children. A chunk row is stored either dense (one value per child, scored with
/// a SIMD axpy) or sparse (child offset + value pairs), whichever its density favours. Scoring matches
/// the query's sorted feature ids against the chunk's sorted row ids and adds each matched row, scaled
/// by the query value, into the children's scores; the bias row, when present, is the chunk's last row.
/// </summary>
internal sealed unsafe class ChunkedLevelScorer : ILevelScorer
{
    /// <summary>
    /// Above this many features the dense query copy (one float per feature, per thread) costs more
    /// memory than it saves, so dense lookup is never chosen automatically.
    /// </summary>
    internal const int DenseLookupMaxFeatures = 1 << 22;

    // The layout (see ChunkedLevelArrays) is addressed through raw pointers so that one code path
    // serves pinned managed arrays and memory-mapped files alike. Every index the loops below form
    // stays in bounds because the layout was either compiled here or passed ChunkedLevelView.Validate.
    private readonly int _biasRow;
    private readonly int* _chunkRowStart;
    private readonly byte* _denseChunk;
    private readonly int* _rowIds;
    private readonly long* _rowPtr;
    private readonly int* _slots;
    private readonly long _slotCount;
    // Quantised levels (QuantizedLevelArrays): _slots addresses the byte rows QuantizedChunkRow reads.
    private readonly WeightPrecision _precision;
    private readonly ChunkMatchStrategy _strategy;
    // The backend that adds the matched chunk rows into the scores. The managed one is called directly
    // (a flag test the JIT can inline past) rather than virtually: the serving loop adds rows of a few
    // dozen slots, where a virtual call per row would be a measurable share of the work.
    private readonly SparseKernels _kernels;
    private readonly bool _managedKernels;

    // Feature-major index of the chunk rows: the chunk rows holding feature f are
    // _featureRows[_featureRowStart[f] .. _featureRowStart[f + 1]), each packed as
    // (first entry << 32) | entry count. Entry offsets grow with the global row, so the list is
    // ascending and grouped by chunk. A chunk row is found with one short search per (feature, chunk)
    // whose cache lines the other beam parents reuse, where a search of the chunk's own row ids costs
    // ~log2(rows) cache misses (hundreds of thousands of rows near the root of a large model); the
    // packed span also saves the row-pointer read.
    private readonly int* _featureRowStart;
    private readonly long* _featureRows;

    /// <inheritdoc />
    public TreeLevel Tree { get; }

    /// <summary>Compiles <paramref name="weights"/> into pinned managed arrays and scores from them.</summary>
    public ChunkedLevelScorer(TreeLevel tree, CscMatrix weights, ChunkMatchStrategy strategy = ChunkMatchStrategy.Auto, SparseKernels? kernels = null)
        : this(tree, ChunkedLevelArrays.Compile(tree, weights), strategy, kernels)
    {
    }

    /// <summary>Scores from already compiled arrays (kept alive by this scorer).</summary>
    public ChunkedLevelScorer(TreeLevel tree, ChunkedLevelArrays arrays, ChunkMatchStrategy strategy = ChunkMatchStrategy.Auto, SparseKernels? kernels = null)
        : this(tree, arrays.View(), arrays, strategy, kernels)
    {
    }

    /// <summary>Scores from a quantised level (kept alive by this scorer), always on the managed kernels.</summary>
    public ChunkedLevelScorer(TreeLevel tree, QuantizedLevelArrays arrays, ChunkMatchStrategy strategy = ChunkMatchStrategy.Auto)
        : this(tree, arrays.View(), arrays, strategy)
    {
    }

    /// <summary>
    /// Scores from a layout someone else owns (a memory-mapped file). The caller must have validated
    /// <paramref name="view"/> against <paramref name="tree"/> and must keep the memory alive while the
    /// scorer is used; <paramref name="owner"/> is only referenced, never disposed, here.
    /// <paramref name="kernels"/> adds the matched rows into the scores; null means the managed backend.
    /// </summary>
    public ChunkedLevelScorer(TreeLevel tree, ChunkedLevelView view, object owner, ChunkMatchStrategy strategy = ChunkMatchStrategy.Auto, SparseKernels? kernels = null)
    {
        Tree = tree;
        // Quantised values have only managed kernels; a backend given for such a level would be ignored silently,
        // so it is refused here (the serving front door refuses earlier with the file's name).
        if (view.Precision != WeightPrecision.Float32 && kernels is not null and not ManagedKernels)
            throw new NotSupportedException($"the {kernels.Name} backend scores float32 weights only; quantised ({WeightQuantizer.Name(view.Precision)}) levels are scored by the managed kernels.");
        _kernels = kernels ?? ManagedKernels.Instance;
        _managedKernels = _kernels is ManagedKernels;
        Owner = owner;
        _strategy = strategy;
        _biasRow = view.BiasRow;
        _chunkRowStart = view.ChunkRowStart;
        _denseChunk = view.DenseChunk;
        _rowIds = view.RowIds;
        _rowPtr = view.RowPtr;
        _slots = view.Slots;
        _slotCount = view.SlotCount;
        _precision = view.Precision;
        _featureRowStart = view.FeatureRowStart;
        _featureRows = view.FeatureRows;
    }

    /// <summary>How the level stores its weights.</summary>
    public WeightPrecision Precision => _precision;

    /// <summary>What keeps the layout's memory alive: the <see cref="ChunkedLevelArrays"/>, or the mapped file.</summary>
    public object Owner { get; }

    /// <summary>The managed arrays scored from, or null when the layout lives in a mapped file.</summary>
    public ChunkedLevelArrays? Arrays => Owner as ChunkedLevelArrays;

    /// <summary>Stored 4-byte slots: one per weight of a dense chunk row (zero padding included), two per sparse entry (bytes for a quantised level).</summary>
    public long StoredEntries => _slotCount;

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

    /// <inheritdoc />
    public void ScoreChildren(int parent, in QueryVector query, PredictWorkspace workspace, Span<float> scores)
    {
        if (scores.Length != Tree.ChildStart[parent + 1] - Tree.ChildStart[parent])
            throw new ArgumentException($"Parent {parent} has {Tree.ChildStart[parent + 1] - Tree.ChildStart[parent]} children but the score span holds {scores.Length}.", nameof(scores));
        scores.Clear();
        int rs = _chunkRowStart[parent], re = _chunkRowStart[parent + 1];
        if (rs == re) return;
        bool dense = _denseChunk[parent] != 0;
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
        int* rows = _rowIds;
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
        int* starts = _featureRowStart;
        long* rows = _featureRows;
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
            int k = new ReadOnlySpan<int>(_rowIds + lo, hi - lo).BinarySearch(target);
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
        // Dense rows hold one slot per child; sparse rows hold (child offset, value) pairs whose offsets
        // are below the chunk's width (compiled here, or checked by ChunkedLevelView.Validate), so the
        // trusted entry point skips the check.
        if (_precision != WeightPrecision.Float32)
        {
            var entries = new ReadOnlySpan<byte>((byte*)_slots + start, length);
            if (_precision == WeightPrecision.Float16) QuantizedChunkRow.AddHalf(scale, entries, dense, scores);
            else QuantizedChunkRow.AddInt8(scale, entries, dense, scores);
            return;
        }
        var slots = new ReadOnlySpan<int>(_slots + start, length);
        if (_managedKernels) ChunkRow.Add(scale, slots, dense, scores);
        else _kernels.AddChunkRowTrusted(scale, slots, dense, scores);
    }
}
