using XmrEngine.Sparse;

namespace XmrEngine.Text;

/// <summary>A growable (index, value) list: the occurrences of a document's terms, or a finished sparse row.</summary>
internal sealed class FeatureBuffer
{
    public int[] Indices = new int[64];
    public float[] Values = new float[64];
    public int Count;

    public void Clear() => Count = 0;

    public void Add(int index, float value)
    {
        if (Count == Indices.Length) Grow(Count + 1);
        Indices[Count] = index;
        Values[Count] = value;
        Count++;
    }

    public void EnsureCapacity(int n)
    {
        if (n > Indices.Length) Grow(n);
    }

    private void Grow(int n)
    {
        int size = (int)Math.Min(Array.MaxLength, Math.Max(n, 2L * Indices.Length));
        Array.Resize(ref Indices, size);
        Array.Resize(ref Values, size);
    }

    public Span<int> IndexSpan => Indices.AsSpan(0, Count);

    public Span<float> ValueSpan => Values.AsSpan(0, Count);

    public SparseVector View => new(Indices.AsSpan(0, Count), Values.AsSpan(0, Count));
}
