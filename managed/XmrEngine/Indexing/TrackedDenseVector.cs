using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Indexing;

/// <summary>
/// A dense float vector that remembers which coordinates were written, so it can be scaled, read
/// and cleared in O(touched) rather than O(width). Cluster centres of small tree nodes touch only
/// a few of the possibly millions of feature columns. One per worker.
/// </summary>
internal sealed class TrackedDenseVector
{
    private readonly float[] _values;
    private readonly bool[] _marked;
    private int[] _touched = new int[64];
    private int _count;

    public TrackedDenseVector(int width)
    {
        _values = new float[width];
        _marked = new bool[width];
    }

    /// <summary>The dense values (zero outside the touched set).</summary>
    public float[] Values => _values;

    /// <summary>The touched coordinates, in first-touch order.</summary>
    public ReadOnlySpan<int> Touched => _touched.AsSpan(0, _count);

    /// <summary>
    /// this += alpha * (sum of the rows <paramref name="rows"/> of <paramref name="z"/>), rows and entries
    /// in order: the k-means centre update, run by <paramref name="kernels"/>
    /// (<see cref="SparseKernels.AccumulateRows"/>; every backend performs the same float operations in
    /// the same order).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="z"/> is wider than this vector.</exception>
    public void AddRows(CsrMatrix z, ReadOnlySpan<int> rows, float alpha, SparseKernels kernels)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        if (z.Cols > _values.Length)
            throw new ArgumentException($"The rows have {z.Cols} columns but the vector has width {_values.Length}.", nameof(z));
        // Room for every coordinate the rows can touch, so no kernel runs out of it.
        long entries = 0;
        foreach (int r in rows) entries += z.RowLength(r);
        long need = Math.Min(_values.Length, _count + entries);
        if (need > _touched.Length) Array.Resize(ref _touched, (int)Math.Max(need, Math.Min(_values.Length, 2L * _touched.Length)));
        kernels.AccumulateRows(z, rows, alpha, _values, _marked, _touched, ref _count);
    }

    /// <summary>this += alpha * other, touching other's coordinates.</summary>
    public void AddScaled(TrackedDenseVector other, float alpha)
    {
        foreach (int j in other.Touched)
        {
            Mark(j);
            _values[j] += alpha * other._values[j];
        }
    }

    /// <summary>Euclidean norm over the touched coordinates, accumulated in double.</summary>
    public double Norm()
    {
        double s = 0;
        foreach (int j in Touched) s += (double)_values[j] * _values[j];
        return Math.Sqrt(s);
    }

    /// <summary>Multiplies every touched coordinate by <paramref name="factor"/>.</summary>
    public void Scale(float factor)
    {
        foreach (int j in Touched) _values[j] *= factor;
    }

    /// <summary>Resets to all zeros in O(touched).</summary>
    public void Clear()
    {
        foreach (int j in Touched)
        {
            _values[j] = 0f;
            _marked[j] = false;
        }
        _count = 0;
    }

    private void Mark(int j)
    {
        if (_marked[j]) return;
        _marked[j] = true;
        if (_count == _touched.Length) Array.Resize(ref _touched, _count * 2);
        _touched[_count++] = j;
    }
}
