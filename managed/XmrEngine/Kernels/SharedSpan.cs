namespace XmrEngine.Kernels;

/// <summary>
/// A caller's span made reachable from the blocks of a <see cref="Common.ParallelBlocks"/> run: a span
/// cannot be captured by the blocks' delegate, so <see cref="Pin(Span{T}, Action{SharedSpan{T}})"/>
/// pins it for the duration of the run and hands the blocks this (address, length) pair, which each
/// block turns back into a span. It is the only hand-written pin of a span in the kernels; a span given
/// to a single native call is pinned by the <c>LibraryImport</c> stub, and arrays whose address native
/// code keeps are pinned by <see cref="PinnedArray{T}"/>.
/// </summary>
/// <typeparam name="T">An unmanaged element type.</typeparam>
internal readonly unsafe struct SharedSpan<T> where T : unmanaged
{
    private readonly T* _pointer;

    private SharedSpan(T* pointer, int length)
    {
        _pointer = pointer;
        Length = length;
    }

    /// <summary>Elements in the span.</summary>
    public int Length { get; }

    /// <summary>The pinned span; only valid inside the body it was handed to.</summary>
    public Span<T> Span => new(_pointer, Length);

    /// <summary>Pins <paramref name="span"/> while <paramref name="body"/> runs (and the blocks it starts, which finish before it returns).</summary>
    public static void Pin(Span<T> span, Action<SharedSpan<T>> body)
    {
        fixed (T* p = span) body(new SharedSpan<T>(p, span.Length));
    }

    /// <summary>Pins a read-only operand and an output while <paramref name="body"/> runs; the body must not write the operand.</summary>
    public static void Pin(ReadOnlySpan<T> operand, Span<T> output, Action<SharedSpan<T>, SharedSpan<T>> body)
    {
        fixed (T* a = operand)
        fixed (T* b = output)
            body(new SharedSpan<T>(a, operand.Length), new SharedSpan<T>(b, output.Length));
    }
}
