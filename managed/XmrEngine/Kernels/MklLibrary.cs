using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>
/// Finds, loads and configures <c>libmkl_rt</c> once per process and checks with a tiny product that
/// it computes. Never throws: failures become a reason string.
/// </summary>
/// <remarks>
/// MKL's single dynamic library picks its interface and threading layers on the first call, and when
/// a layer's library cannot be loaded it prints a fatal error and ends the process. So before the
/// first computational call this class selects LP64 explicitly (our MKL_INT is 32-bit), checks that
/// the MKL component files sit next to libmkl_rt, and selects a threading layer whose OpenMP runtime
/// it could load with global symbol visibility (Intel's libiomp5, else GNU libgomp, else sequential).
/// The chosen layer overrides an MKL_THREADING_LAYER environment variable.
/// </remarks>
internal static class MklLibrary
{
    private static readonly Lazy<ProbeResult> Probe = new(RunProbe, LazyThreadSafetyMode.ExecutionAndPublication);
    private static nint s_library;

    private sealed record ProbeResult(bool Available, string Reason, string Description);

    /// <summary>File names tried for the library, most specific first.</summary>
    internal static IReadOnlyList<string> CandidateNames { get; } =
        OperatingSystem.IsWindows() ? ["mkl_rt.2.dll", "mkl_rt.1.dll", "mkl_rt.dll"]
        : OperatingSystem.IsMacOS() ? ["libmkl_rt.2.dylib", "libmkl_rt.dylib"]
        : ["libmkl_rt.so", "libmkl_rt.so.2", "libmkl_rt.so.1"];

    /// <summary>Loads and checks MKL on first use; afterwards returns the cached outcome.</summary>
    /// <param name="reason">Why MKL cannot be used; empty when it can.</param>
    public static bool TryInitialize(out string reason)
    {
        var result = Probe.Value;
        reason = result.Reason;
        return result.Available;
    }

    /// <summary>MKL's version string and threading layer, or the reason it is unavailable.</summary>
    public static string Description => Probe.Value.Description;

    private static ProbeResult RunProbe()
    {
        try
        {
            string? loadedName = null;
            foreach (var name in CandidateNames)
            {
                if (NativeLibrary.TryLoad(name, typeof(MklLibrary).Assembly, null, out s_library))
                {
                    loadedName = name;
                    break;
                }
            }
            if (loadedName is null)
                return Unavailable($"Intel MKL was not found (tried {string.Join(", ", CandidateNames)}); on Debian install libmkl-rt from the non-free component.");
            var resolverContext = AssemblyLoadContext.GetLoadContext(typeof(MklLibrary).Assembly) ?? AssemblyLoadContext.Default;
            resolverContext.ResolvingUnmanagedDll += Resolve;

            string? missing = MklRuntimeSupport.MissingComponent();
            if (missing is not null) return Unavailable($"{loadedName} loaded, but {missing}");

            if (!HasExports(out string? absentExport))
                return Unavailable($"{loadedName} loaded, but it does not export {absentExport} (MKL too old?).");

            int iface = MklNative.SetInterfaceLayer(MklLayers.InterfaceLp64);
            if (iface != MklLayers.InterfaceLp64)
                return Unavailable($"MKL refused the LP64 interface (MKL_Set_Interface_Layer returned {iface}).");
            var (layer, layerName) = MklRuntimeSupport.ChooseThreadingLayer();
            int setLayer = MklNative.SetThreadingLayer(layer);
            if (setLayer != layer)
                return Unavailable($"MKL refused the {layerName} threading layer (MKL_Set_Threading_Layer returned {setLayer}).");

            string? wrong = SelfTest();
            if (wrong is not null) return Unavailable($"MKL self-test failed: {wrong}");
            return new ProbeResult(true, "", $"{VersionString()}, {layerName} threading");
        }
        catch (Exception e)
        {
            // Availability checks must never throw: whatever went wrong becomes the reason.
            return Unavailable($"MKL failed to initialise: {e.Message}");
        }
    }

    private static ProbeResult Unavailable(string reason) => new(false, reason, reason);

    private static nint Resolve(Assembly assembly, string name) =>
        assembly == typeof(MklLibrary).Assembly && name == MklNative.Library ? s_library : 0;

    /// <summary>Every entry point the backend binds must exist before any of them is called.</summary>
    private static bool HasExports(out string? absent)
    {
        string[] required =
        [
            "MKL_Set_Interface_Layer", "MKL_Set_Threading_Layer", "MKL_Set_Num_Threads_Local", "MKL_Get_Version_String",
            "mkl_sparse_s_create_csr", "mkl_sparse_s_export_csr", "mkl_sparse_destroy", "MKL_Get_Max_Threads",
            "mkl_sparse_sp2m", "mkl_sparse_s_mm",
        ];
        foreach (var export in required)
        {
            if (!NativeLibrary.TryGetExport(s_library, export, out _))
            {
                absent = export;
                return false;
            }
        }
        absent = null;
        return true;
    }

    /// <summary>Multiplies two 2x2 matrices with MKL and compares with the known answer.</summary>
    private static string? SelfTest()
    {
        // [1 2; 0 3] x [4 0; 5 6] = [14 12; 15 18]
        var a = new CsrMatrix(2, 2, [0, 2, 3], [0, 1, 1], [1f, 2f, 3f]);
        var b = new CsrMatrix(2, 2, [0, 1, 3], [0, 0, 1], [4f, 5f, 6f]);
        var c = MklSpGemm.Multiply(a, b, threads: 1);
        float[] expected = [14f, 12f, 15f, 18f];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                if (c[i, j] != expected[i * 2 + j]) return $"mkl_sparse_sp2m gave {c[i, j]} at ({i}, {j}), expected {expected[i * 2 + j]}.";
        var dense = new float[4];
        MklSpMm.Multiply(a, [4f, 0f, 5f, 6f], 2, dense, threads: 1);
        for (int k = 0; k < 4; k++)
            if (dense[k] != expected[k]) return $"mkl_sparse_s_mm gave {dense[k]} at {k}, expected {expected[k]}.";
        return null;
    }

    private static unsafe string VersionString()
    {
        byte* buffer = stackalloc byte[256];
        buffer[0] = 0;
        MklNative.GetVersionString(buffer, 256);
        buffer[255] = 0;
        var text = Marshal.PtrToStringUTF8((nint)buffer)?.Trim();
        return string.IsNullOrEmpty(text) ? "Intel MKL" : text;
    }
}
