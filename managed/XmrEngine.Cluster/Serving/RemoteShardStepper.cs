using XmrEngine.Cluster.Grains;
using XmrEngine.Sharding;

namespace XmrEngine.Cluster.Serving;

/// <summary>
/// One shard as the router sees it in a cluster: each step is a call to the shard's grain, retried under a
/// <see cref="RetryPolicy"/> when the failure is the cluster's (<see cref="RetryingCall"/>). A <see cref="ShardLoadException"/>
/// (the file was refused) or an <see cref="ArgumentException"/> (a malformed call) is thrown at once.
/// </summary>
internal sealed class RemoteShardStepper : IShardStepper
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
        var answer = await RetryingCall.RunAsync(() => _grains.GetGrain<IShardGrain>(_key).Step(call), _policy, _statistics, cancellationToken).ConfigureAwait(false);
        return answer.ToResult();
    }
}
