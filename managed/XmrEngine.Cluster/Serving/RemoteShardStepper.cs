using System.Diagnostics;
using XmrEngine.Cluster.Grains;
using XmrEngine.Sharding;

namespace XmrEngine.Cluster.Serving;

/// <summary>
/// One shard as the router sees it in a cluster: each step is a call to the shard's grain, retried under a
/// <see cref="RetryPolicy"/> when the failure is transient. A <see cref="ShardLoadException"/> (the file was refused)
/// or an <see cref="ArgumentException"/> (a malformed call) is thrown at once: a retry would get the same answer.
/// </summary>
public sealed class RemoteShardStepper : IShardStepper
{
    private readonly IGrainFactory _grains;
    private readonly string _key;
    private readonly RetryPolicy _policy;
    private readonly CallStatistics _statistics;

    /// <summary>A stepper calling the grain with key <paramref name="key"/>.</summary>
    public RemoteShardStepper(IGrainFactory grains, ShardKey key, RetryPolicy policy, CallStatistics statistics)
    {
        _grains = grains ?? throw new ArgumentNullException(nameof(grains));
        _key = key.ToString();
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _statistics = statistics ?? throw new ArgumentNullException(nameof(statistics));
    }

    /// <inheritdoc />
    public async ValueTask<ShardStepResult> StepAsync(ShardStepRequest request, CancellationToken cancellationToken)
    {
        var call = ShardStepCall.From(request);
        long started = Stopwatch.GetTimestamp();
        var backoff = _policy.FirstBackoff;
        for (int retries = 0; ; retries++)
        {
            try
            {
                var answer = await _grains.GetGrain<IShardGrain>(_key).Step(call).WaitAsync(_policy.AttemptTimeout, cancellationToken).ConfigureAwait(false);
                _statistics.Record(retries, Stopwatch.GetTimestamp() - started);
                return answer.ToResult();
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && Stopwatch.GetElapsedTime(started) + backoff < _policy.GiveUpAfter)
            {
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _policy.MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>
    /// Failures of the cluster, not of the request: Orleans's own (a dead silo, a rejected or dropped message, a client
    /// that lost its gateways) and timeouts. Everything the shard itself throws is final.
    /// </summary>
    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e is TimeoutException or OrleansException or System.Net.Sockets.SocketException or IOException
        && e is not ShardLoadException;
}
