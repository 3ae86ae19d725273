using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace XmrEngine.Cli;

/// <summary>
/// Wall time, process CPU time, JIT compilation time and minor page faults of one stage of a short command. A cold process spends much of
/// a stage that fills fresh memory in the kernel's page-fault path (and, on a shared machine, waiting for a core),
/// which a wall-clock figure alone cannot tell from the stage's own work.
/// </summary>
internal readonly record struct StageCounters(double WallMs, double CpuMs, double JitMs, long MinorFaults)
{
    /// <summary>The counters now, to subtract from a later reading.</summary>
    public static StageCounters Now() =>
        new(Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency, Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds,
            JitInfo.GetCompilationTime().TotalMilliseconds, ReadMinorFaults());

    /// <summary>What happened between <paramref name="start"/> and now.</summary>
    public static StageCounters Since(StageCounters start)
    {
        var now = Now();
        return new(now.WallMs - start.WallMs, now.CpuMs - start.CpuMs, now.JitMs - start.JitMs, now.MinorFaults < 0 ? -1 : now.MinorFaults - start.MinorFaults);
    }

    /// <summary><c>NAME WALL ms (cpu CPU ms, jit JIT ms, FAULTS page faults)</c>; the faults are left out where the OS does not count them.</summary>
    public string Describe(string name) => MinorFaults < 0
        ? string.Create(CultureInfo.InvariantCulture, $"{name} {WallMs:F0} ms (cpu {CpuMs:F0} ms, jit {JitMs:F0} ms)")
        : string.Create(CultureInfo.InvariantCulture, $"{name} {WallMs:F0} ms (cpu {CpuMs:F0} ms, jit {JitMs:F0} ms, {MinorFaults:N0} page faults)");

    /// <summary>The process's minor page faults so far (field 10 of /proc/self/stat), or -1 off Linux.</summary>
    private static long ReadMinorFaults()
    {
        if (!OperatingSystem.IsLinux()) return -1;
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            // The command name (field 2) is parenthesised and may hold spaces: count fields after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }
}
