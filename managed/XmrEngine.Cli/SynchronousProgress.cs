namespace XmrEngine.Cli;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the calling thread, serialised by a lock: the CLI has
/// no synchronisation context, and <see cref="Progress{T}"/> would post reports to the thread pool.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate) report(value);
    }
}
