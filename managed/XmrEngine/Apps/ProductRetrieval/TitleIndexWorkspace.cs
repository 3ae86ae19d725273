using XmrEngine.Inference;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// One thread's scratch space for <see cref="TitleIndex"/>: a dense score per item, the list of items the current
/// query touched (so clearing costs only what was touched) and the heap for top-N selection. Grown on demand,
/// reused across queries; not thread-safe.
/// </summary>
internal sealed class TitleIndexWorkspace
{
    private bool[] _touchedFlag = [];
    private int[] _touched = new int[64];
    private int _touchedCount;
    private ScoredLabel[] _heap = new ScoredLabel[16];
    private int[] _mark = [];
    private int _epoch;

    /// <summary>Accumulated cosine per item; 0 for untouched items.</summary>
    public float[] Scores { get; private set; } = [];

    /// <summary>Items touched by the current query, in first-touch order.</summary>
    public ReadOnlySpan<int> Touched => _touched.AsSpan(0, _touchedCount);

    /// <summary>Makes room for <paramref name="items"/> items (only grows).</summary>
    public void EnsureFor(int items)
    {
        if (Scores.Length >= items) return;
        Clear();
        Scores = new float[items];
        _touchedFlag = new bool[items];
        _mark = new int[items];
        _epoch = 0;
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

    /// <summary>True when the current query has already added to <paramref name="item"/>'s score.</summary>
    public bool IsTouched(int item) => _touchedFlag[item];

    /// <summary>Records that the current query adds to <paramref name="item"/>'s score.</summary>
    public void Touch(int item)
    {
        _touchedFlag[item] = true;
        if (_touchedCount == _touched.Length) Array.Resize(ref _touched, 2 * _touched.Length);
        _touched[_touchedCount++] = item;
    }

    /// <summary>A heap buffer of at least <paramref name="n"/> entries.</summary>
    public ScoredLabel[] Heap(int n)
    {
        if (_heap.Length < n) _heap = new ScoredLabel[Math.Max(n, 2 * _heap.Length)];
        return _heap;
    }

    /// <summary>Resets the touched items' scores to 0 and forgets them.</summary>
    public void Clear()
    {
        for (int i = 0; i < _touchedCount; i++)
        {
            int item = _touched[i];
            Scores[item] = 0f;
            _touchedFlag[item] = false;
        }
        _touchedCount = 0;
    }
}
