using System.Runtime.InteropServices;

namespace XmrEngine.Fuzz;

/// <summary>
/// Instrumented code writes every branch it takes into SharpFuzz's coverage map, which only
/// <c>Fuzzer.OutOfProcess.Run</c> sets up; code run before it (the targets' static setup, a model template trained
/// by <see cref="FuzzTarget.Prepare"/>) would write through a null pointer and crash the process. This points the
/// map at a scratch buffer of its own until the fuzz loop attaches the real one, so set-up work leaves no coverage.
/// </summary>
internal static unsafe class CoverageMap
{
    /// <summary>SharpFuzz's map size (the AFL default, 64 KiB).</summary>
    private const int MapSize = 1 << 16;

    public static void UseScratchUntilFuzzing() =>
        SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(MapSize);
}
