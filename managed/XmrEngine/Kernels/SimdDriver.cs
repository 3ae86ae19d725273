using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace XmrEngine.Kernels;

/// <summary>
/// The managed SIMD loops, written once: each driver walks its operands in the widest enabled vector
/// width (two accumulators to hide fused multiply-add latency, then one more vector, then a scalar
/// tail) and asks its operator only for what differs between kernels (how lanes are loaded). Widths
/// are blocks of the driver, so enabling another width touches the driver and the operators, never
/// the kernels that use them.
/// </summary>
internal static class SimdDriver
{
    /// <summary>
    /// Widest vector the kernels use by default, in bits. 512-bit vectors are implemented but not the
    /// default: a wider vector sums in another order, so models trained and scores computed with it would
    /// differ in the last bits from the 256-bit results every baseline and native kernel matches.
    /// </summary>
    public const int DefaultMaxWidth = 256;

    /// <summary>sum val[k] * dense[idx[k]] with lanes loaded by <typeparamref name="TLoad"/>; indices must be in range.</summary>
    /// <param name="idx">The sparse vector's indices.</param>
    /// <param name="val">Its values.</param>
    /// <param name="n">Its length.</param>
    /// <param name="dense">The dense vector.</param>
    /// <param name="maxWidth">Widest vector to use, in bits (0 for none, 256 or 512).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe float IndexedDot<TLoad>(int* idx, float* val, int n, float* dense, int maxWidth = DefaultMaxWidth)
        where TLoad : struct, IIndexedLoad
    {
        int i = 0;
        float sum = 0f;
        if (maxWidth >= 512 && TLoad.Is512Accelerated && n >= 16)
        {
            var acc0 = Vector512<float>.Zero;
            var acc1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                acc0 = MultiplyAdd(TLoad.Load512(dense, idx + i), Vector512.Load(val + i), acc0);
                acc1 = MultiplyAdd(TLoad.Load512(dense, idx + i + 16), Vector512.Load(val + i + 16), acc1);
            }
            if (i <= n - 16)
            {
                acc0 = MultiplyAdd(TLoad.Load512(dense, idx + i), Vector512.Load(val + i), acc0);
                i += 16;
            }
            sum = Vector512.Sum(acc0 + acc1);
        }
        else if (maxWidth >= 256 && TLoad.Is256Accelerated && n >= 8)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                acc0 = MultiplyAdd(TLoad.Load256(dense, idx + i), Vector256.Load(val + i), acc0);
                acc1 = MultiplyAdd(TLoad.Load256(dense, idx + i + 8), Vector256.Load(val + i + 8), acc1);
            }
            if (i <= n - 8)
            {
                acc0 = MultiplyAdd(TLoad.Load256(dense, idx + i), Vector256.Load(val + i), acc0);
                i += 8;
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++) sum += val[i] * dense[idx[i]];
        return sum;
    }

    /// <summary>y += alpha * x over n elements, in the widest enabled width, then a scalar tail.</summary>
    /// <param name="alpha">Scale.</param>
    /// <param name="x">Source.</param>
    /// <param name="y">Destination; updated.</param>
    /// <param name="n">Length of both.</param>
    /// <param name="maxWidth">Widest vector to use, in bits (0 for none, 128, 256 or 512).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void ScaledAdd(float alpha, float* x, float* y, int n, int maxWidth = DefaultMaxWidth)
    {
        int i = 0;
        if (maxWidth >= 512 && Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(alpha);
            for (; i <= n - 16; i += 16) MultiplyAdd(va, Vector512.Load(x + i), Vector512.Load(y + i)).Store(y + i);
        }
        else if (maxWidth >= 256 && Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(alpha);
            for (; i <= n - 8; i += 8) MultiplyAdd(va, Vector256.Load(x + i), Vector256.Load(y + i)).Store(y + i);
        }
        else if (maxWidth >= 128 && Vector128.IsHardwareAccelerated)
        {
            // Unfused at 128 bits, as the kernels always were there (no FMA check on this path).
            var va = Vector128.Create(alpha);
            for (; i <= n - 4; i += 4) (va * Vector128.Load(x + i) + Vector128.Load(y + i)).Store(y + i);
        }
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    // Fused when the CPU has FMA, otherwise multiply then add: the choice every managed kernel and
    // libxmr_native (xmr_fma256) make, which keeps their results identical.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;
}
