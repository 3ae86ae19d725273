using System.Runtime.Intrinsics;

namespace XmrEngine.Kernels;

/// <summary>The widest vectors the managed kernels use (<c>XMR_SIMD=scalar|avx2|avx512</c>).</summary>
public enum SimdWidth
{
    /// <summary>No vectors: every loop runs its scalar tail (the slowest path; for comparisons and tests).</summary>
    Scalar = 0,

    /// <summary>256-bit vectors (AVX2 and FMA where present; Vector128 on CPUs without them). The default.</summary>
    Avx2 = 256,

    /// <summary>512-bit vectors (AVX-512F), where <see cref="Vector512.IsHardwareAccelerated"/>.</summary>
    Avx512 = 512,
}

/// <summary>
/// The vector width this process's managed kernels use, read once from <c>XMR_SIMD</c>. The default is
/// <see cref="SimdWidth.Avx2"/> even on AVX-512 CPUs: a wider vector sums a dot product in another order, so
/// models trained and scores computed at 512 bits differ in the last bits from the native library's (which is
/// 256-bit) and from every stored baseline; <c>XMR_SIMD=avx512</c> opts in (perf/RESULTS.md has the measured
/// difference). The native and MKL backends are not affected.
/// </summary>
public static class SimdSelection
{
    /// <summary>The environment variable that chooses the width.</summary>
    public const string EnvironmentVariable = "XMR_SIMD";

    private static readonly (SimdWidth Width, string? Error) Resolved = Resolve(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The width in use: the requested one, or the default when <c>XMR_SIMD</c> is unset or unusable (see <see cref="EnvironmentError"/>).</summary>
    public static SimdWidth Current => Resolved.Width;

    /// <summary>The widest vector in bits (0, 256 or 512): what the SIMD driver is given.</summary>
    internal static readonly int MaxBits = (int)Resolved.Width;

    /// <summary>Why <c>XMR_SIMD</c> could not be honoured (unknown name, or a width this CPU does not accelerate), or null.</summary>
    public static string? EnvironmentError => Resolved.Error;

    /// <summary>The widths this CPU can run.</summary>
    public static IReadOnlyList<SimdWidth> Available =>
        Vector512.IsHardwareAccelerated ? [SimdWidth.Scalar, SimdWidth.Avx2, SimdWidth.Avx512] : [SimdWidth.Scalar, SimdWidth.Avx2];

    /// <summary>"scalar", "avx2" or "avx512".</summary>
    public static string ToName(this SimdWidth width) => width switch
    {
        SimdWidth.Scalar => "scalar",
        SimdWidth.Avx2 => "avx2",
        SimdWidth.Avx512 => "avx512",
        _ => throw new ArgumentOutOfRangeException(nameof(width), width, "Unknown SIMD width."),
    };

    /// <summary>The width <paramref name="value"/> names, and why it cannot be used here (null when it can).</summary>
    public static (SimdWidth Width, string? Error) Resolve(string? value)
    {
        string name = (value ?? "").Trim().ToLowerInvariant();
        SimdWidth? width = name switch
        {
            "" or "auto" or "avx2" or "256" => SimdWidth.Avx2,
            "avx512" or "512" => SimdWidth.Avx512,
            "scalar" or "0" => SimdWidth.Scalar,
            _ => null,
        };
        if (width is null)
            return (SimdWidth.Avx2, $"{EnvironmentVariable}='{value}' is not a SIMD width; use scalar, avx2 or avx512.");
        if (width == SimdWidth.Avx512 && !Vector512.IsHardwareAccelerated)
            return (SimdWidth.Avx2, $"{EnvironmentVariable}=avx512 but this CPU does not accelerate 512-bit vectors (no AVX-512F); use avx2 or scalar.");
        return (width.Value, null);
    }
}
