using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XmrEngine.Kernels;

/// <summary>
/// Bindings to the training kernels of libxmr_native (native/include/xmr_native.h):
/// the dual coordinate-descent solver, the SplitMix64 shuffle it uses, and centroid accumulation.
/// Kept apart from <see cref="NativeMethods"/> (the inference kernels); the same library, resolver and
/// ABI check (<see cref="NativeBackendProvider.TryLoad"/>) apply. Every function returns a
/// <see cref="NativeStatus"/> code.
/// </summary>
internal static unsafe partial class NativeSolverMethods
{
    /// <summary>XMR_LOSS_HINGE: the dual is boxed in [0, C].</summary>
    public const int LossHinge = 0;

    /// <summary>XMR_LOSS_SQUARED_HINGE: the dual gains a diagonal 1/(2C) and has no upper bound.</summary>
    public const int LossSquaredHinge = 1;

    /// <summary>
    /// Mirror of <c>xmr_dcd_problem</c>: one binary problem over caller-owned arrays, which must stay
    /// pinned (<see cref="PinnedArray{T}"/>) while the C code reads them through these pointers.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct DcdProblem
    {
        public int Count;
        public int Features;
        public long Entries;
        public sbyte* Labels;
        public int* RowStart;
        public int* RowLength;
        public int* Indices;
        public float* Values;
        public double* SquaredNorms;
    }

    /// <summary>Mirror of <c>xmr_dcd_params</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct DcdParams
    {
        public int Loss;
        public int MaxIterations;
        public double Cp;
        public double Cn;
        public double Eps;
        public double Bias;
    }

    [LibraryImport(NativeMethods.LibraryName, EntryPoint = "xmr_dcd_hinge_solve")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int DcdHingeSolve(in DcdProblem problem, in DcdParams parameters, Span<float> w, Span<double> alpha, Span<int> order,
        out double bias, ref ulong rngState, out int iterations);

    [LibraryImport(NativeMethods.LibraryName, EntryPoint = "xmr_random_shuffle")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int RandomShuffle(ref ulong rngState, Span<int> items, int n);

    [LibraryImport(NativeMethods.LibraryName, EntryPoint = "xmr_centroid_add_rows")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int CentroidAddRows(in NativeMethods.SparseView z, ReadOnlySpan<int> rows, int rowCount, float alpha, Span<float> dense,
        Span<byte> marked, Span<int> touched, int touchedCapacity, ref int touchedCount);
}
