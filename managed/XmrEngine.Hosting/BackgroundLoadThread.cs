using System.Runtime.InteropServices;

namespace XmrEngine.Hosting;

/// <summary>
/// Runs a model load on a thread of its own at a lower scheduling priority (Linux: 10 more niceness for that thread only), so
/// that loading, which is pure CPU work, yields the cores to the requests being served instead of competing with them
/// on the thread pool: a reload then lengthens itself rather than the queries' latency. Elsewhere it is a plain
/// background thread.
/// </summary>
internal static partial class BackgroundLoadThread
{
    /// <summary>The niceness of the loading thread (0 is normal; 19 the lowest priority).</summary>
    public const int Niceness = 10;

    /// <summary>Runs <paramref name="load"/> on a new low-priority thread and completes with its result or exception.</summary>
    public static Task<T> Run<T>(Func<T> load, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Lower();
            try
            {
                done.SetResult(load());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "xmr model load",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Lowers this thread's priority where the OS allows it; a refusal only means the load runs at normal priority.</summary>
    private static void Lower()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            // On Linux a thread is a task with its own id and its own nice value: this changes only the loading thread,
            // and relative to what it inherited (a server started under nice stays below its own request threads).
            int tid = GetThreadId();
            int current = GetPriority(PrioProcess, tid);
            _ = SetPriority(PrioProcess, tid, Math.Min(19, current + Niceness));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc without gettid (before glibc 2.30): keep the normal priority.
        }
    }

    private const int PrioProcess = 0;

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "getpriority")]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);
}
