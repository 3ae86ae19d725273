using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;

namespace XmrEngine.Kernels;

/// <summary>
/// The one <see cref="NativeLibrary.SetDllImportResolver"/> hook of the XmrEngine assembly (the
/// runtime allows only one per assembly, so every native binding in this assembly registers its
/// library here instead of installing its own). For a registered library name it tries, in order:
/// the platform file names next to XmrEngine.dll, the same names in <see cref="AppContext.BaseDirectory"/>,
/// then the runtime's default search.
/// </summary>
/// <remarks>
/// The first two cover this repository's builds (Native.targets copies the library next to the assemblies)
/// and apps built or published for a runtime identifier (NuGet's <c>runtimes/linux-x64/native</c> asset lands
/// next to them). A RID-less app that gets the library from the XmrEngine package has it under
/// <c>bin/runtimes/linux-x64/native/</c> instead, listed in its deps.json: the host puts that folder in the
/// native search directories, which the default search consults (checked by samples/build-sample.sh).
/// </remarks>
internal static class NativeLibraryResolver
{
    private static readonly ConcurrentDictionary<string, string[]> s_fileNames = new(StringComparer.Ordinal);
    private static readonly Lazy<bool> s_installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The file names of libxmr_native on this platform.</summary>
    public static string[] XmrNativeFileNames { get; } = PlatformFileNames(NativeMethods.LibraryName);

    /// <summary>
    /// Registers <paramref name="libraryName"/> (as written in <c>[LibraryImport]</c>) with the file
    /// names to probe, and makes sure the resolver is installed. Safe to call repeatedly.
    /// </summary>
    /// <returns>False when some other code installed a resolver for this assembly first; the runtime's default search then applies.</returns>
    public static bool Register(string libraryName, params string[] fileNames)
    {
        s_fileNames[libraryName] = fileNames;
        return s_installed.Value;
    }

    /// <summary>Registers libxmr_native under its platform file names.</summary>
    public static bool RegisterXmrNative() => Register(NativeMethods.LibraryName, XmrNativeFileNames);

    /// <summary>Directories probed before the default search: the assembly's folder, then the app base.</summary>
    public static IEnumerable<string> ProbeDirectories()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in new[] { AssemblyDirectory(), AppContext.BaseDirectory })
            if (!string.IsNullOrEmpty(dir) && seen.Add(Path.GetFullPath(dir))) yield return Path.GetFullPath(dir);
    }

    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty Location (single-file apps) is skipped; AppContext.BaseDirectory is probed next.")]
    private static string? AssemblyDirectory() => Path.GetDirectoryName(typeof(NativeLibraryResolver).Assembly.Location);

    /// <summary>lib{name}.so on Linux, lib{name}.dylib on macOS, {name}.dll on Windows.</summary>
    public static string[] PlatformFileNames(string name) =>
        OperatingSystem.IsWindows() ? [name + ".dll"]
        : OperatingSystem.IsMacOS() ? ["lib" + name + ".dylib"]
        : ["lib" + name + ".so"];

    private static bool Install()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!s_fileNames.TryGetValue(libraryName, out var fileNames)) return IntPtr.Zero;
        foreach (var dir in ProbeDirectories())
        {
            foreach (var file in fileNames)
            {
                string path = Path.Combine(dir, file);
                if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
            }
        }
        return NativeLibrary.TryLoad(libraryName, assembly, searchPath, out var fallback) ? fallback : IntPtr.Zero;
    }
}
