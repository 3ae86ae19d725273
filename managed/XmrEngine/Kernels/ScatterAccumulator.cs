namespace XmrEngine.Kernels;

/// <summary>
/// A dense value array plus the list of touched indices: accumulate into arbitrary columns of a row
/// in O(1) each, then read the touched entries out sorted and clear in O(touched). One per worker.
/// </summary>
internal sealed class ScatterAccumulator
{
    private readonly float[] _values;
    private readonly bool[] _seen;
    private int[] _touched = new int[64];
    private int _count;

    public ScatterAccumulator(int width)
    {
        _values = new float[width];
        _seen = new bool[width];
    }

    /// <summary>Number of distinct touched indices.</summary>
    public int Count => _count;

    /// <summary>values[j] += v.</summary>
    public void Add(int j, float v)
    {
        if (!_seen[j])
        {
            _seen[j] = true;
            if (_count == _touched.Length) Array.Resize(ref _touched, _count * 2);
            _touched[_count++] = j;
        }
        _values[j] += v;
    }

    /// <summary>
    /// Writes the touched entries sorted by index into the two lists and resets the accumulator.
    /// When most of the width was touched a linear scan replaces the sort.
    /// </summary>
    public void DrainSorted(GrowableBuffer<int> indices, GrowableBuffer<float> values)
    {
        if (_count > _values.Length / 16)
        {
            for (int j = 0; j < _values.Length; j++)
            {
                if (!_seen[j]) continue;
                indices.Add(j);
                values.Add(_values[j]);
                _values[j] = 0f;
                _seen[j] = false;
            }
        }
        else
        {
            var t = _touched.AsSpan(0, _count);
            t.Sort();
            foreach (int j in t)
            {
                indices.Add(j);
                values.Add(_values[j]);
                _values[j] = 0f;
                _seen[j] = false;
            }
        }
        _count = 0;
    }
}
