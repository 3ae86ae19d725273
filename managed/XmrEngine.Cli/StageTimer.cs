using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace XmrEngine.Cli;

/// <summary>
/// Times the stages of a pipeline run: wall time, process CPU time and JIT compilation time since the last
/// <see cref="Restart"/>. On a shared machine wall time mostly measures the neighbours and CPU time what the
/// stage itself did; a cold process spends part of each stage compiling, which a long-running service pays once.
/// </summary>
internal sealed class StageTimer
{
    private readonly Stopwatch _wall = new();
    private TimeSpan _cpuAtStart;
    private TimeSpan _jitAtStart;

    public StageTimer() => Restart();

    /// <summary>Wall time of the current stage.</summary>
    public TimeSpan Elapsed => _wall.Elapsed;

    /// <summary>Starts a new stage.</summary>
    public void Restart()
    {
        _jitAtStart = JitInfo.GetCompilationTime();
        _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        _wall.Restart();
    }

    /// <summary>One table row for the current stage: name, wall ms, CPU ms, JIT ms, peak RSS MB, notes.</summary>
    public string[] Row(string stage, string notes) =>
        [stage, _wall.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture),
            (Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart).TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture),
            (JitInfo.GetCompilationTime() - _jitAtStart).TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture),
            PeakRssMb(), notes];

    /// <summary>The process's peak resident set so far, in MB.</summary>
    public static string PeakRssMb() => (Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0)).ToString("F0", CultureInfo.InvariantCulture);
}
