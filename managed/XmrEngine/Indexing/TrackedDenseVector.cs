using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    /// in order: the k-means centre update. <paramref name="native"/> runs it in libxmr_native
    /// (<c>xmr_centroid_add_rows</c>), which performs the same float operations in the same order.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="z"/> is wider than this vector.</exception>
    /// <exception cref="KernelUnavailableException"><paramref name="native"/> is set but libxmr_native does not load.</exception>
    public void AddRows(CsrMatrix z, ReadOnlySpan<int> rows, float alpha, bool native)
    {
        if (z.Cols > _values.Length)
            throw new ArgumentException($"The rows have {z.Cols} columns but the vector has width {_values.Length}.", nameof(z));
        if (!native)
        {
            foreach (int r in rows) AddRowUnchecked(z.RowIndices(r), z.RowValues(r), alpha);
            return;
        }
        NativeBackendProvider.Get();
        // Room for every coordinate the rows can touch, so the kernel never runs out of it.
        long entries = 0;
        foreach (int r in rows) entries += z.RowLength(r);
        long need = Math.Min(_values.Length, _count + entries);
        if (need > _touched.Length) Array.Resize(ref _touched, (int)Math.Max(need, Math.Min(_values.Length, 2L * _touched.Length)));
        AddRowsNative(z, rows, alpha);
    }

    /// <summary>
    /// this += alpha * row, without per-entry bounds checks: the caller has checked that the row's
    /// matrix is no wider than this vector (a validated CsrMatrix keeps its indices below its width).
    /// </summary>
    // Hot loop: compile fully optimised at once instead of starting at tier 0 (matters for one-shot training runs).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddRowUnchecked(ReadOnlySpan<int> idx, ReadOnlySpan<float> val, float alpha)
    {
        ref float values = ref MemoryMarshal.GetArrayDataReference(_values);
        ref bool marked = ref MemoryMarshal.GetArrayDataReference(_marked);
        ref int ri = ref MemoryMarshal.GetReference(idx);
        ref float rv = ref MemoryMarshal.GetReference(val);
        for (int k = 0; k < idx.Length; k++)
        {
            int j = Unsafe.Add(ref ri, k);
            if (!Unsafe.Add(ref marked, j)) Mark(j);
            Unsafe.Add(ref values, j) += alpha * Unsafe.Add(ref rv, k);
        }
    }

    private unsafe void AddRowsNative(CsrMatrix z, ReadOnlySpan<int> rows, float alpha)
    {
        int count = _count;
        fixed (long* ptr = z.RowPtrArray)
        fixed (int* idx = z.ColIdxArray)
        fixed (float* val = z.ValuesArray)
        fixed (int* pr = rows)
        fixed (float* dense = _values)
        fixed (bool* marked = _marked)
        fixed (int* touched = _touched)
        {
            var view = new NativeMethods.SparseView(z.Rows, z.Cols, ptr, idx, val);
            int status = NativeSolverMethods.CentroidAddRows(&view, pr, rows.Length, alpha, dense, (byte*)marked, touched, _touched.Length, &count);
            _count = count;
            NativeStatus.ThrowIfFailed(status, "xmr_centroid_add_rows");
        }
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
