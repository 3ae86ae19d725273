namespace XmrEngine.Sparse;

/// <summary>A read-only view of one sparse row or column: sorted indices and their values.</summary>
public readonly ref struct SparseVector
{
    /// <summary>Sorted, distinct indices.</summary>
    public ReadOnlySpan<int> Indices { get; }

    /// <summary>Values aligned with <see cref="Indices"/>.</summary>
    public ReadOnlySpan<float> Values { get; }

    /// <summary>Number of stored entries.</summary>
    public int Length => Indices.Length;

    /// <summary>Creates a view; both spans must have the same length.</summary>
    public SparseVector(ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        if (indices.Length != values.Length)
            throw new ArgumentException($"Indices ({indices.Length}) and values ({values.Length}) differ in length.");
        Indices = indices;
        Values = values;
    }

    /// <summary>A view over spans the caller guarantees to have equal lengths (the matrices' own rows and columns).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal SparseVector(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, bool trusted)
    {
        _ = trusted;
        Indices = indices;
        Values = values;
    }

    /// <summary>The dot product with <paramref name="other"/>; both must have strictly increasing indices (as CSR rows do).</summary>
    public float Dot(SparseVector other) => XmrEngine.Kernels.VectorMath.SortedDot(this, other);
}
