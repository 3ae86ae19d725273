using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using XmrEngine.IO;
using XmrEngine.Sharding;

namespace XmrEngine.Cluster.Grains;

/// <summary>
/// Serves one shard file: on activation it reads the manifest and memory-maps the file (checking its SHA-256
/// and structure, as <see cref="ModelShard.Open"/> does); each call runs <see cref="ModelShard.Step"/>, the code
/// a single machine runs. A refused file does not fail the activation with an opaque error: the grain stays up
/// just long enough to answer every call with a <see cref="ShardLoadException"/> naming the file, then
/// deactivates, so a repaired file is read again by the next activation.
/// </summary>
/// <remarks>Reentrant: a step is pure CPU work on an immutable, thread-safe shard, run on the thread pool, so
/// several batches may be scored at once instead of queueing behind each other.</remarks>
[Reentrant]
public sealed class ShardGrain : Grain, IShardGrain
{
    private readonly ILogger<ShardGrain> _logger;
    private ModelShard? _shard;
    private (string File, string Message)? _failure;

    /// <summary>Created by Orleans.</summary>
    public ShardGrain(ILogger<ShardGrain> logger)
    {
        _logger = logger;
    }

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = ShardKey.Parse(this.GetPrimaryKeyString());
        try
        {
            var manifest = ShardManifestReader.Read(Path.Combine(key.Directory, ShardManifest.FileName));
            if (key.Index >= manifest.Shards.Count)
                throw new XmrDataException(Path.Combine(key.Directory, ShardManifest.FileName), null, null, "shards", $"lists {manifest.Shards.Count} shards; shard {key.Index} was asked for");
            _shard = ModelShard.Open(key.Directory, manifest, key.Index);
            _logger.LogInformation("shard {Index} of {Directory} opened ({Mapped})", key.Index, key.Directory, _shard.IsMemoryMapped ? "memory-mapped" : "read");
        }
        catch (XmrDataException e)
        {
            _failure = (e.FilePath, e.Message);
            _logger.LogError("shard {Index} of {Directory} refused: {Message}", key.Index, key.Directory, e.Message);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _shard?.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ShardStepAnswer> Step(ShardStepCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (_failure is { } failure)
        {
            DeactivateOnIdle();
            throw new ShardLoadException(failure.File, failure.Message);
        }
        var shard = _shard!;
        var request = call.ToRequest();
        var result = await Task.Run(() => shard.Step(request)).ConfigureAwait(true);
        return ShardStepAnswer.From(result);
    }
}
