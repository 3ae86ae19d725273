using XmrEngine.Sharding;

namespace XmrEngine.Hosting;

/// <summary>
/// An XR-Linear model an <see cref="IModelSource"/> opened: the sharded router (whose shards may be anywhere) and
/// the connection it needs, disposed together.
/// </summary>
public sealed class RemoteXLinearModel : IDisposable
{
    private readonly IDisposable? _connection;

    /// <summary>A model answering through <paramref name="predictor"/>, which needs <paramref name="connection"/> (disposed after it).</summary>
    /// <param name="predictor">The router; its answers are the unsharded model's.</param>
    /// <param name="version">Names what is served, for <see cref="ServedModel.Version"/>: equal versions are not swapped on reload.</param>
    /// <param name="connection">What the router's shard calls go through (a cluster client), or null.</param>
    public RemoteXLinearModel(ShardedPredictor predictor, string version, IDisposable? connection)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentException.ThrowIfNullOrEmpty(version);
        Predictor = predictor;
        Version = version;
        _connection = connection;
    }

    /// <summary>The router.</summary>
    public ShardedPredictor Predictor { get; }

    /// <summary>The served version's name.</summary>
    public string Version { get; }

    /// <summary>Disposes the router, then the connection.</summary>
    public void Dispose()
    {
        Predictor.Dispose();
        _connection?.Dispose();
    }
}
