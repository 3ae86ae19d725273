using System.IO.Hashing;
using Microsoft.Extensions.Hosting;
using XmrEngine.Cluster.Hosting;
using XmrEngine.Hosting;
using XmrEngine.IO;
using XmrEngine.Serving;
using XmrEngine.Sharding;

namespace XmrEngine.Cluster.Serving;

/// <summary>
/// Serves the hosting library's <c>NAME.cluster.json</c> files (<see cref="ClusterModelFile"/>): each one becomes the
/// XR-Linear model <c>NAME</c> (an <see cref="XLinearServingModel"/>), answered by a <see cref="ShardedPredictor"/> in this
/// process over the cluster's shard grains, so its answers are the unsharded model's. Each loaded version has its own cluster client, so a changed file
/// (another cluster, another model) swaps cleanly while requests on the old version finish.
/// </summary>
public sealed class ClusterModelSource : IModelSource
{
    private readonly ClusterModelOptions _options;

    /// <summary>A source with <paramref name="options"/> (null for the defaults).</summary>
    public ClusterModelSource(ClusterModelOptions? options = null)
    {
        _options = options ?? new ClusterModelOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string FileSuffix => ClusterModelFile.Suffix;

    /// <summary>Every shard call's retries and duration, over all the models of this source.</summary>
    public CallStatistics Statistics { get; } = new();

    /// <inheritdoc />
    /// <exception cref="XmrDataException">The file is malformed or names no usable model directory, or the cluster
    /// cannot be reached; the message names the file and the field.</exception>
    public async Task<IServableModel> OpenAsync(string path, CancellationToken cancellationToken)
    {
        byte[] json = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var file = ClusterModelFile.Parse(path, json);
        // The model directory is checked here, before connecting: a wrong path is the commonest mistake and the
        // cheapest to report, and the router's meta-model is opened from it in this process anyway.
        (string Directory, ShardManifest Manifest) found;
        try
        {
            found = ShardedModelDirectory.ReadManifest(file.ModelDirectory);
        }
        catch (Exception e) when (e is IOException or XmrDataException or UnauthorizedAccessException)
        {
            throw new XmrDataException(path, null, null, "field 'model'", e.Message, e);
        }
        var host = await ConnectAsync(path, file, cancellationToken).ConfigureAwait(false);
        var connection = new ClusterConnection(host.Host, _options.ConnectTimeout);
        try
        {
            return ClusterShardedModel.Open(host.Client, file.ModelDirectory, _options.RetryPolicy, Statistics, _options.VerifyChecksums,
                _options.BatchRows, _options.ConcurrentBatches, Version(json, found.Directory, found.Manifest), connection);
        }
        catch (Exception e) when (e is IOException or XmrDataException or UnauthorizedAccessException or ArgumentException)
        {
            connection.Dispose();
            throw new XmrDataException(path, null, null, "field 'model'", e.Message, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task<(IHost Host, IClusterClient Client)> ConnectAsync(string path, ClusterModelFile file, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ConnectTimeout);
        string store = file.Membership.Redis is { } redis ? $"Redis {redis}" : $"gateway ports {string.Join(", ", file.GatewayPorts)}";
        try
        {
            return await ClusterClient.ConnectAsync(file.Membership, file.GatewayPorts, _options.RetryPolicy.AttemptTimeout, deadline.Token)
                .WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            string why = e is OperationCanceledException ? $"no answer within {_options.ConnectTimeout.TotalSeconds:0.#} s" : e.Message;
            throw new XmrDataException(path, null, null, "field 'clusterId'", $"cannot reach cluster '{file.Membership.ClusterId}' through {store}: {why}", e);
        }
    }

    /// <summary>The file's content and the model's current version and manifest: any change there is a new version.</summary>
    private static string Version(byte[] json, string directory, ShardManifest manifest)
    {
        var hash = new XxHash64();
        hash.Append(json);
        hash.Append(System.Text.Encoding.UTF8.GetBytes(directory));
        hash.Append(manifest.ToJson());
        return "cluster:" + Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
