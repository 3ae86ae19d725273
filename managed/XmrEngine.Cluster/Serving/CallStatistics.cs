using System.Diagnostics;

namespace XmrEngine.Cluster.Serving;

/// <summary>
/// What the shard calls of a client went through: calls made, calls that needed at least one retry, retries in all,
/// and the longest time one call took from its first attempt to its answer (the stall a silo failure caused).
/// Thread-safe; for reporting only, nothing decides on these numbers.
/// </summary>
public sealed class CallStatistics
{
    private long _calls;
    private long _retriedCalls;
    private long _retries;
    private long _longestTicks;
    private long _reruns;

    /// <summary>Shard calls answered.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Calls that needed at least one retry.</summary>
    public long RetriedCalls => Interlocked.Read(ref _retriedCalls);

    /// <summary>Retries in all.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Training jobs started again because the silo running them was lost.</summary>
    public long Reruns => Interlocked.Read(ref _reruns);

    /// <summary>Records a training job started again.</summary>
    public void Rerun() => Interlocked.Increment(ref _reruns);

    /// <summary>The longest time from a call's first attempt to its answer.</summary>
    public TimeSpan LongestCall => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _longestTicks));

    /// <summary>Records an answered call that needed <paramref name="retries"/> retries and took <paramref name="elapsedTicks"/> (Stopwatch ticks).</summary>
    public void Record(int retries, long elapsedTicks)
    {
        Interlocked.Increment(ref _calls);
        if (retries > 0)
        {
            Interlocked.Increment(ref _retriedCalls);
            Interlocked.Add(ref _retries, retries);
        }
        long seen = Interlocked.Read(ref _longestTicks);
        while (elapsedTicks > seen)
        {
            long before = Interlocked.CompareExchange(ref _longestTicks, elapsedTicks, seen);
            if (before == seen) break;
            seen = before;
        }
    }

    /// <summary>One line for the CLI.</summary>
    public override string ToString() =>
        $"{Calls:N0} calls, {RetriedCalls:N0} retried ({Retries:N0} retries), longest call {LongestCall.TotalMilliseconds:F0} ms" +
        (Reruns > 0 ? $", {Reruns:N0} training jobs rerun" : "");
}
