namespace XmrEngine.Common;

/// <summary>An append-only array that doubles when full; cheaper than List for blittable hot loops.</summary>
internal sealed class GrowableBuffer<T> where T : unmanaged
{
    private T[] _items;

    public GrowableBuffer(int capacity = 256) => _items = new T[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    public ReadOnlySpan<T> Span => _items.AsSpan(0, Count);

    public void Add(T item)
    {
        if (Count == _items.Length) Array.Resize(ref _items, checked(_items.Length * 2));
        _items[Count++] = item;
    }

    public void Clear() => Count = 0;
}
