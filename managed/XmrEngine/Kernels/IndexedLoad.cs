using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace XmrEngine.Kernels;

/// <summary>
/// How <see cref="SimdDriver.IndexedDot{TLoad}"/> fills one vector with <c>dense[idx[0 .. width)]</c>:
/// an operator in the style of .NET's TensorPrimitives, with one static method per vector width and a
/// flag per width saying whether the CPU runs it in hardware. The driver owns the loop structure,
/// accumulators and tail, so a new width is a new method here plus one block in the driver.
/// </summary>
internal interface IIndexedLoad
{
    /// <summary>Whether the 256-bit load runs in hardware.</summary>
    static abstract bool Is256Accelerated { get; }

    /// <summary>Whether the 512-bit load runs in hardware.</summary>
    static abstract bool Is512Accelerated { get; }

    /// <summary>Eight lanes dense[idx[0]], ..., dense[idx[7]]; the indices are in range.</summary>
    static abstract unsafe Vector256<float> Load256(float* dense, int* idx);

    /// <summary>Sixteen lanes dense[idx[0]], ..., dense[idx[15]]; the indices are in range.</summary>
    static abstract unsafe Vector512<float> Load512(float* dense, int* idx);
}

/// <summary>Lanes fetched by the hardware gather instruction (vpgatherdps): the serving and k-means gather-dot.</summary>
internal readonly struct GatherLoad : IIndexedLoad
{
    public static bool Is256Accelerated => Avx2.IsSupported;

    public static bool Is512Accelerated => Avx512F.IsSupported && Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> Load256(float* dense, int* idx) => Avx2.GatherVector256(dense, Avx.LoadVector256(idx), 4);

    // .NET exposes no 512-bit gather intrinsic, so the 512-bit lanes come from two 256-bit gathers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<float> Load512(float* dense, int* idx) => Vector512.Create(Load256(dense, idx), Load256(dense, idx + 8));
}

/// <summary>
/// Lanes filled by plain scalar loads: the solvers' row dot. Slower than a gather on Intel cores but
/// faster on the AMD cores measured (Bibtex rows in random order: 15% less time per dot). Gated on AVX2
/// like the gather so that both loads give the same lanes, reduction and bits on the same CPU.
/// </summary>
internal readonly struct ScalarLoad : IIndexedLoad
{
    public static bool Is256Accelerated => Avx2.IsSupported;

    public static bool Is512Accelerated => Avx512F.IsSupported && Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> Load256(float* dense, int* idx) => Vector256.Create(
        dense[idx[0]], dense[idx[1]], dense[idx[2]], dense[idx[3]], dense[idx[4]], dense[idx[5]], dense[idx[6]], dense[idx[7]]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<float> Load512(float* dense, int* idx) => Vector512.Create(Load256(dense, idx), Load256(dense, idx + 8));
}
