using System.Runtime.InteropServices;

namespace XmrEngine.Kernels;

/// <summary>
/// An array pinned by a GC handle (no heap allocation) for as long as this value lives: for memory whose
/// address native code keeps beyond one call, inside a struct it reads (<see cref="PinnedView"/>, the
/// dual solver's problem) or inside an MKL matrix handle. A span handed to a single native call needs no
/// pin of its own: the <c>LibraryImport</c> bindings take spans and their generated stubs pin them.
/// </summary>
/// <typeparam name="T">An unmanaged element type.</typeparam>
internal unsafe struct PinnedArray<T> : IDisposable where T : unmanaged
{
    private GCHandle _handle;

    /// <summary>Pins <paramref name="array"/>; a null array gives a null <see cref="Pointer"/>.</summary>
    public PinnedArray(T[]? array)
    {
        if (array is null) return;
        _handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        Pointer = (T*)_handle.AddrOfPinnedObject();
    }

    /// <summary>The first element's address; valid until <see cref="Dispose"/>.</summary>
    public T* Pointer { get; }

    /// <summary>Releases the pin.</summary>
    public void Dispose()
    {
        if (_handle.IsAllocated) _handle.Free();
    }
}
