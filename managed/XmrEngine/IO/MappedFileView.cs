using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace XmrEngine.IO;

/// <summary>
/// A read-only memory mapping of a whole model file with its base pointer acquired once, plus a
/// reference count that makes disposal safe under concurrent use: <see cref="Enter"/> and
/// <see cref="Exit"/> bracket every use of the pointer, and the pages are unmapped only when
/// <see cref="Dispose"/> has been called and the last bracket has closed (the view handle is a
/// <see cref="System.Runtime.InteropServices.SafeHandle"/>, whose release waits for outstanding references).
/// </summary>
internal sealed unsafe class MappedFileView : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _accessor;
    private readonly SafeMemoryMappedViewHandle _handle;
    private int _disposed;

    private MappedFileView(MemoryMappedFile file, MemoryMappedViewAccessor accessor, byte* pointer, long length, string path)
    {
        _file = file;
        _accessor = accessor;
        _handle = accessor.SafeMemoryMappedViewHandle;
        Pointer = pointer;
        Length = length;
        Path = path;
    }

    /// <summary>Address of the file's first byte.</summary>
    public byte* Pointer { get; }

    /// <summary>Mapped length in bytes (the whole file).</summary>
    public long Length { get; }

    /// <summary>The file's path, for messages.</summary>
    public string Path { get; }

    /// <summary>
    /// Maps <paramref name="length"/> bytes of the open file read-only. Mapping the handle that was
    /// already checked (rather than reopening the path) keeps the mapping on the same file even if the
    /// path is atomically replaced meanwhile.
    /// </summary>
    public static MappedFileView Open(SafeFileHandle handle, long length, string path)
    {
        var file = MemoryMappedFile.CreateFromFile(handle, null, length, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        MemoryMappedViewAccessor? accessor = null;
        try
        {
            accessor = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            accessor.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedFileView(file, accessor, pointer + accessor.PointerOffset, length, path);
        }
        catch
        {
            accessor?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>The bytes [<paramref name="offset"/>, offset + <paramref name="length"/>) (length below 2^31).</summary>
    public ReadOnlySpan<byte> Bytes(long offset, int length) => new(Pointer + offset, length);

    /// <summary>Takes a reference on the mapping; pair with <see cref="Exit"/> in a finally block.</summary>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public void Enter()
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(Inference.XLinearPredictor), $"The memory-mapped model '{Path}' has been disposed.");
        }
    }

    /// <summary>Drops the reference <see cref="Enter"/> took.</summary>
    public void Exit() => _handle.DangerousRelease();

    /// <summary>Releases the base pointer and closes the view; the pages go when the last reference does. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        GC.SuppressFinalize(this);
        _handle.ReleasePointer();
        _accessor.Dispose();
        _file.Dispose();
    }

    /// <summary>
    /// A view nobody disposed: drop the reference the base pointer holds so that the view handle's own
    /// (critical, hence later) finalizer can unmap the pages. Nothing can be using the pointer any more:
    /// every scorer reading it, and every call between <see cref="Enter"/> and <see cref="Exit"/>, keeps
    /// this object reachable.
    /// </summary>
    ~MappedFileView()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _handle.ReleasePointer();
    }
}
