using System.Diagnostics;
using XmrEngine.Cluster.Grains;

namespace XmrEngine.Cluster.Serving;

/// <summary>
/// Runs a grain call under a <see cref="RetryPolicy"/>: each attempt waits at most the policy's attempt timeout; a
/// failure of the cluster (Orleans's own exceptions: a dead silo, a rejected or dropped message, a client that lost
/// its gateways; timeouts; socket errors) is retried with doubling back-off until the policy gives up. Everything
/// the grain itself throws (a refused file, a malformed call) is final. Only for calls that are pure functions of
/// their arguments, whose retry cannot change the answer.
/// </summary>
public static class RetryingCall
{
    /// <summary>Calls <paramref name="call"/> until it answers, recording retries and duration in <paramref name="statistics"/>.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, RetryPolicy policy, CallStatistics statistics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(statistics);
        long started = Stopwatch.GetTimestamp();
        var backoff = policy.FirstBackoff;
        for (int retries = 0; ; retries++)
        {
            try
            {
                var answer = await call().WaitAsync(policy.AttemptTimeout, cancellationToken).ConfigureAwait(false);
                statistics.Record(retries, Stopwatch.GetTimestamp() - started);
                return answer;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && Stopwatch.GetElapsedTime(started) + backoff < policy.GiveUpAfter)
            {
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, policy.MaxBackoff.Ticks));
            }
        }
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e is TimeoutException or OrleansException or System.Net.Sockets.SocketException or IOException
        && e is not ShardLoadException;
}
