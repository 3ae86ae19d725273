using System.Runtime.InteropServices;

namespace XmrEngine.Common;

/// <summary>
/// The CPU time the calling thread has used, where the OS gives it (Linux: <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>).
/// Beside a wall-clock latency it tells work from waiting: a call whose wall time is far above its thread CPU time was
/// descheduled (another runnable thread took the core) or blocked, not busy.
/// </summary>
public static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Whether <see cref="Nanoseconds"/> measures anything on this OS (Linux on 64-bit).</summary>
    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess && Probe();

    /// <summary>The calling thread's CPU time so far in nanoseconds; 0 where <see cref="IsAvailable"/> is false.</summary>
    public static long Nanoseconds()
    {
        if (!IsAvailable || ClockGetTime(ClockThreadCpuTimeId, out var t) != 0) return 0;
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
