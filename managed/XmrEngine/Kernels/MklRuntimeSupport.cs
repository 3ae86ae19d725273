using System.Runtime.InteropServices;

namespace XmrEngine.Kernels;

/// <summary>
/// Guards against MKL's fatal-exit paths: libmkl_rt dlopens its component libraries by name on the
/// first computational call and ends the process if one is missing, and its OpenMP threading layers
/// need the OpenMP runtime's symbols to be globally visible (dlopen with RTLD_GLOBAL), which
/// <see cref="NativeLibrary"/> never does.
/// </summary>
internal static class MklRuntimeSupport
{
    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    /// <summary>
    /// On Linux, where the library was loaded from (read from /proc/self/maps), checks that the core
    /// and LP64 interface components sit next to it. Returns a description of what is missing, or
    /// null. Elsewhere, or when the location cannot be read, returns null.
    /// </summary>
    public static string? MissingComponent()
    {
        var dir = LoadedDirectory();
        if (dir is null) return null;
        foreach (var component in (string[])["libmkl_core", "libmkl_intel_lp64"])
            if (!ComponentExists(dir, component)) return $"{component}.so is missing from {dir}.";
        if (!ComponentExists(dir, "libmkl_sequential") && !ComponentExists(dir, "libmkl_gnu_thread") && !ComponentExists(dir, "libmkl_intel_thread"))
            return $"no MKL threading library (libmkl_sequential.so, libmkl_gnu_thread.so, libmkl_intel_thread.so) is in {dir}.";
        return null;
    }

    /// <summary>
    /// Picks the threading layer: Intel OpenMP when libiomp5 loads, else GNU OpenMP when libgomp
    /// loads (both made globally visible first), else sequential.
    /// </summary>
    public static (int Layer, string Name) ChooseThreadingLayer()
    {
        var dir = LoadedDirectory();
        bool Has(string component) => dir is null || ComponentExists(dir, component);
        if (OperatingSystem.IsLinux())
        {
            if (Has("libmkl_intel_thread") && (LoadGlobal("libiomp5.so") || LoadGlobal("libiomp5.so.5")))
                return (MklLayers.ThreadingIntel, "Intel OpenMP");
            if (Has("libmkl_gnu_thread") && LoadGlobal("libgomp.so.1"))
                return (MklLayers.ThreadingGnu, "GNU OpenMP");
            return (MklLayers.ThreadingSequential, "sequential");
        }
        if (OperatingSystem.IsWindows() && NativeLibrary.TryLoad("libiomp5md.dll", out _))
            return (MklLayers.ThreadingIntel, "Intel OpenMP");
        if (OperatingSystem.IsMacOS() && NativeLibrary.TryLoad("libiomp5.dylib", out _))
            return (MklLayers.ThreadingIntel, "Intel OpenMP");
        return (MklLayers.ThreadingSequential, "sequential");
    }

    private static bool ComponentExists(string dir, string component) =>
        File.Exists(Path.Combine(dir, component + ".so")) || File.Exists(Path.Combine(dir, component + ".so.2"));

    /// <summary>Directory of the mapped libmkl_rt, from /proc/self/maps (Linux only).</summary>
    private static string? LoadedDirectory()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash < 0) continue;
                var path = line[slash..].Trim();
                if (Path.GetFileName(path).StartsWith("libmkl_rt.so", StringComparison.Ordinal)) return Path.GetDirectoryName(path);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>dlopen(name, RTLD_NOW | RTLD_GLOBAL) through glibc; false when either step fails.</summary>
    private static unsafe bool LoadGlobal(string name)
    {
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "dlopen", out var dlopen)) return false;
        var dlopenFn = (delegate* unmanaged<byte*, int, nint>)dlopen;
        // The name is copied to unmanaged memory (NUL-terminated UTF-8), which needs no pin.
        nint utf8 = Marshal.StringToCoTaskMemUTF8(name);
        try
        {
            return dlopenFn((byte*)utf8, RtldNow | RtldGlobal) != 0;
        }
        finally
        {
            Marshal.FreeCoTaskMem(utf8);
        }
    }
}
