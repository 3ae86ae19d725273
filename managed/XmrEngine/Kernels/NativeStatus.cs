namespace XmrEngine.Kernels;

/// <summary>Status codes returned by libxmr_native (the XMR_OK / XMR_ERR_* macros of xmr_native.h).</summary>
internal static class NativeStatus
{
    public const int Ok = 0;
    public const int InvalidArgument = 1;
    public const int OutOfMemory = 2;
    public const int ShapeMismatch = 3;

    /// <summary>Turns a non-zero status from <paramref name="function"/> into an exception.</summary>
    /// <remarks>
    /// The managed layer validates every argument before calling, so a failure here means the two
    /// sides disagree about the contract (e.g. a stale library); the message names the C function.
    /// </remarks>
    public static void ThrowIfFailed(int status, string function)
    {
        if (status != Ok) Throw(status, function);
    }

    private static void Throw(int status, string function) => throw status switch
    {
        InvalidArgument => new ArgumentException($"libxmr_native {function} rejected its arguments (XMR_ERR_ARG): a null buffer, a negative length, an invalid row range or an output size that disagrees with the row pointers."),
        ShapeMismatch => new ArgumentException($"libxmr_native {function} found operand shapes that do not agree (XMR_ERR_SHAPE)."),
        OutOfMemory => new OutOfMemoryException($"libxmr_native {function} ran out of memory (XMR_ERR_NOMEM)."),
        _ => new InvalidOperationException($"libxmr_native {function} returned unknown status {status}."),
    };
}
