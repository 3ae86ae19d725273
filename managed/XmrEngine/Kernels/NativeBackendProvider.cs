namespace XmrEngine.Kernels;

/// <summary>
/// Loads libxmr_native once per process and hands out <see cref="NativeKernels"/>. Loading checks
/// that the library's ABI version matches this assembly; the outcome (and the reason for a failure)
/// is cached, and nothing here throws except <see cref="Get"/> when the library is unusable.
/// </summary>
internal static class NativeBackendProvider
{
    private static readonly Lazy<(bool Loaded, string Reason)> s_load = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether the native kernels can be used; <paramref name="reason"/> explains a failure (empty on success).</summary>
    public static bool TryLoad(out string reason)
    {
        var (loaded, why) = s_load.Value;
        reason = why;
        return loaded;
    }

    /// <summary>The SIMD width the loaded library runs at (bits: 0, 256 or 512); below the managed width when the build or CPU lacks it.</summary>
    internal static int SimdBits { get; private set; }

    /// <summary>The native kernels.</summary>
    /// <exception cref="KernelUnavailableException">The library is missing, fails to load or has another ABI version.</exception>
    public static SparseKernels Get() =>
        TryLoad(out var reason) ? NativeKernels.Instance : throw new KernelUnavailableException(KernelBackend.Native, reason);

    private static (bool, string) Load()
    {
        try
        {
            NativeLibraryResolver.RegisterXmrNative();
            int version = NativeMethods.AbiVersion();
            if (version != NativeMethods.ExpectedAbiVersion)
                return (false, $"{string.Join("/", NativeLibraryResolver.XmrNativeFileNames)} has ABI version {version} but this XmrEngine needs {NativeMethods.ExpectedAbiVersion}; rebuild native/ (dotnet build does it when cmake is on PATH).");
            // The library sums at the width the managed kernels use (XMR_SIMD), so both backends train the same models.
            SimdBits = NativeMethods.SetSimdBits(SimdSelection.MaxBits);
            return (true, "");
        }
        catch (DllNotFoundException e)
        {
            return (false, $"{string.Join("/", NativeLibraryResolver.XmrNativeFileNames)} was not found in {string.Join(", ", NativeLibraryResolver.ProbeDirectories())} or on the default library path (install cmake and a C compiler, then rebuild): {e.Message}");
        }
        catch (EntryPointNotFoundException e)
        {
            return (false, $"The loaded libxmr_native lacks xmr_abi_version; it is not an XmrEngine native library: {e.Message}");
        }
        catch (Exception e)
        {
            // Loading must never take the process down: any other failure (bad image, permissions) just disables the backend.
            return (false, $"libxmr_native failed to load: {e.GetType().Name}: {e.Message}");
        }
    }
}
