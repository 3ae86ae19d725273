namespace XmrEngine.Cluster.Serving;

/// <summary>
/// How a shard call survives a silo failure: each attempt waits at most <see cref="AttemptTimeout"/>; a transient
/// failure (the silo died, its connection dropped, the grain is being moved, the attempt timed out) is retried after
/// a back-off that doubles from <see cref="FirstBackoff"/> up to <see cref="MaxBackoff"/>, until
/// <see cref="GiveUpAfter"/> has passed since the first attempt. A shard step is a pure function of its request, so
/// a retry can never change an answer, only delay it.
/// </summary>
/// <param name="AttemptTimeout">Longest wait for one attempt.</param>
/// <param name="FirstBackoff">Pause before the first retry.</param>
/// <param name="MaxBackoff">Longest pause between retries.</param>
/// <param name="GiveUpAfter">Total time after which the last error is thrown.</param>
public sealed record RetryPolicy(TimeSpan AttemptTimeout, TimeSpan FirstBackoff, TimeSpan MaxBackoff, TimeSpan GiveUpAfter)
{
    /// <summary>5 s per attempt, 50 ms doubling to 1 s between attempts, 60 s in all: longer than a failure detection with <c>FailureDetection</c>'s timings.</summary>
    public static RetryPolicy Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

}
