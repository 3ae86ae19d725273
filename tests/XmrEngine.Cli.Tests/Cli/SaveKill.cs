using System.Diagnostics;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>Starts a saving <c>xmr</c> child and SIGKILLs it at a chosen moment of its work.</summary>
internal static class SaveKill
{
    /// <summary>
    /// Runs <paramref name="args"/> and kills the child <paramref name="delayMs"/> ms after <paramref name="saveStarted"/>
    /// first holds (polled), or 300 ms after the start when the delay is negative (during training, before any save).
    /// Returns whether the kill landed after the save had started (false also when the child finished first).
    /// </summary>
    public static bool Run(IEnumerable<string> args, Func<bool> saveStarted, double delayMs)
    {
        using var child = XmrCli.Start(args);
        var clock = Stopwatch.StartNew();
        bool saving = false;
        while (delayMs >= 0 && !child.HasExited && clock.Elapsed < XmrCli.Deadline)
        {
            if (saveStarted())
            {
                saving = true;
                break;
            }
            Thread.SpinWait(100);
        }
        if (delayMs < 0) Thread.Sleep(300);
        else if (saving) Thread.Sleep(TimeSpan.FromMilliseconds(delayMs));
        bool killed = false;
        if (!child.HasExited)
        {
            child.Kill(entireProcessTree: true);
            killed = saving;
        }
        XmrCli.WaitForExit(child);
        return killed;
    }
}
