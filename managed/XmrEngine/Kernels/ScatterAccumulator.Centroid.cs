using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

// The k-means centre operations of the hierarchical indexer. A centre must come out bit-identical on
// every backend and run, so each method fixes its float operations and their order: rows and entries
// in the order given, norms accumulated in double over the touched coordinates in first-touch order.
public sealed partial class ScatterAccumulator
{
    /// <summary>
    /// this += alpha * (sum of the rows <paramref name="rows"/> of <paramref name="z"/>), rows and entries
    /// in order: the k-means centre update, run by <paramref name="kernels"/>
    /// (<see cref="SparseKernels.AccumulateRows"/>; every backend performs the same float operations in
    /// the same order).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="z"/> is wider than this vector.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row id is outside <paramref name="z"/>.</exception>
    public void AddRows(CsrMatrix z, ReadOnlySpan<int> rows, float alpha, SparseKernels kernels)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(kernels);
        if (z.Cols > _values.Length)
            throw new ArgumentException($"The rows have {z.Cols} columns but the vector has width {_values.Length}.", nameof(z));
        // The touched list always has room for every coordinate, so the kernel never runs out of it.
        kernels.AccumulateRows(z, rows, alpha, _values, MarksAsBool, _touched, ref _count);
    }

    /// <summary>this += alpha * other, visiting other's touched coordinates in their order.</summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> is wider than this vector.</exception>
    public void AddScaled(ScatterAccumulator other, float alpha)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Width > Width)
            throw new ArgumentException($"The other vector has width {other.Width}; this one {Width}.", nameof(other));
        foreach (int j in other.Touched) Add(j, alpha * other._values[j]);
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
}
