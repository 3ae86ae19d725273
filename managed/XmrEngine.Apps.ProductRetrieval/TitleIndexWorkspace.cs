using XmrEngine.Kernels;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// One thread's scratch space for <see cref="TitleIndex"/>: the query's cosine per item with the list of items it
/// touched (a <see cref="ScatterAccumulator"/>, so clearing costs only what was touched), the heap for top-N
/// selection and a marked set for merging candidate lists. Grown on demand, reused across queries; not
/// thread-safe.
/// </summary>
internal sealed class TitleIndexWorkspace
{
    private int[] _heapNodes = new int[16];
    private float[] _heapScores = new float[16];
    private int[] _mark = [];
    private int _epoch;

    /// <summary>The current query's accumulated cosines.</summary>
    public ScatterAccumulator Cosines { get; private set; } = new(0);

    /// <summary>Cosine of the current query with <paramref name="item"/> (0 when untouched).</summary>
    public float Score(int item) => Cosines.Value(item);

    /// <summary>Items touched by the current query, in first-touch order.</summary>
    public ReadOnlySpan<int> Touched => Cosines.Touched;

    /// <summary>The accumulator, made room for <paramref name="items"/> items (only grows; a new one starts cleared).</summary>
    public ScatterAccumulator CosinesFor(int items)
    {
        if (Cosines.Width < items)
        {
            Cosines = new ScatterAccumulator(items);
            _mark = new int[items];
            _epoch = 0;
        }
        return Cosines;
    }

    /// <summary>Starts a new marked set (see <see cref="Mark"/>), forgetting the previous one in O(1).</summary>
    public void NewMarkSet()
    {
        if (++_epoch == int.MaxValue)
        {
            Array.Clear(_mark);
            _epoch = 1;
        }
    }

    /// <summary>Adds <paramref name="item"/> to the current marked set.</summary>
    public void Mark(int item) => _mark[item] = _epoch;

    /// <summary>True when <paramref name="item"/> is in the current marked set.</summary>
    public bool IsMarked(int item) => _mark[item] == _epoch;

    /// <summary>Heap buffers of at least <paramref name="n"/> entries.</summary>
    public (int[] Nodes, float[] Scores) Heap(int n)
    {
        if (_heapNodes.Length < n)
        {
            int size = Math.Max(n, 2 * _heapNodes.Length);
            _heapNodes = new int[size];
            _heapScores = new float[size];
        }
        return (_heapNodes, _heapScores);
    }

    /// <summary>Resets the touched items' cosines to 0 and forgets them.</summary>
    public void Clear() => Cosines.Clear();
}
