using Microsoft.Extensions.Hosting;
using XmrEngine.Cluster.Hosting;
using XmrEngine.Cluster.Serving;
using XmrEngine.Persistence;
using XmrEngine.Serving;
using XmrEngine.Sharding;
using XmrEngine.Sparse;

namespace XmrEngine.Cluster.Tests;

/// <summary>Three real silo processes with Redis membership and an in-process client, for one test fixture.</summary>
internal sealed class ClusterFixture : IDisposable
{
    public List<SiloProcess> Silos { get; }
    public string ClusterId { get; } = "xmr-test-" + Guid.NewGuid().ToString("N")[..12];
    public string Redis { get; }
    public IClusterClient Client { get; }
    public CallStatistics Statistics { get; } = new();
    private readonly IHost _clientHost;

    public ClusterFixture(int silos)
    {
        Redis = RedisServer.Require();
        Silos = SiloProcess.StartCluster(silos, ClusterId, Redis);
        try
        {
            (_clientHost, Client) = ClusterClient.ConnectAsync(new Membership(ClusterId, Redis), [], RetryPolicy.Default.AttemptTimeout)
                .WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        }
        catch
        {
            foreach (var silo in Silos) silo.Dispose();
            throw;
        }
    }

    /// <summary>The sharded model in <paramref name="directory"/>, answered by the cluster through a router in this process.</summary>
    public XLinearServingModel Open(string directory, int batchRows = 256, int concurrentBatches = 2) =>
        ClusterShardedModel.Open(Client, directory, RetryPolicy.Default, Statistics, verifyChecksums: true, batchRows, concurrentBatches);

    /// <summary>Everything the silos printed, for a failure message.</summary>
    public string Output => string.Join("\n---\n", Silos.Select(s => s.Output));

    public void Dispose()
    {
        try
        {
            _clientHost.StopAsync().WaitAsync(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // The silos are killed next anyway.
        }
        _clientHost.Dispose();
        foreach (var silo in Silos) silo.Dispose();
    }

    /// <summary>Same rows, same labels, scores within 1e-6 (they are in fact the same floats).</summary>
    public static void AssertSame(CsrMatrix expected, CsrMatrix actual, string context)
    {
        Assert.That(actual.Rows, Is.EqualTo(expected.Rows), $"{context}: rows");
        Assert.That(actual.Pointers.ToArray(), Is.EqualTo(expected.Pointers.ToArray()), $"{context}: labels per row");
        Assert.That(actual.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()), $"{context}: labels");
        var e = expected.Values.ToArray();
        var a = actual.Values.ToArray();
        for (int i = 0; i < e.Length; i++) Assert.That(a[i], Is.EqualTo(e[i]).Within(1e-6f), $"{context}: score {i}");
    }

    /// <summary>Shards <paramref name="model"/> into a new directory under <paramref name="root"/>.</summary>
    public static string Shard(Models.XLinearModel model, string root, string name, int splitLevel, int shards)
    {
        string dir = Path.Combine(root, name);
        ModelSharder.Write(model, ModelMetadata.Default, splitLevel, shards, dir);
        return dir;
    }

    /// <summary>
    /// A generated 2,000-label model (8 subtrees under the split at level 1) sharded 3 ways under <paramref name="root"/>,
    /// with one bit of shard <paramref name="corruptShard"/> flipped; returns the directory and the damaged file.
    /// Every query's beam reaches every subtree root at level 0 (8 roots, beam 10), so every shard is always asked.
    /// </summary>
    public static (string Directory, string DamagedShard) ShardWithOneCorrupt(string root, string name, int corruptShard, int seed)
    {
        var model = GeneratedModel.Create(labels: 2_000, branching: 8, features: 500, weightsPerNode: 10, seed: seed);
        string dir = Shard(model, root, name, 1, 3);
        var (version, _) = ShardedModelDirectory.ReadManifest(dir);
        string shard = Path.Combine(version, ModelSharder.ShardFileName(corruptShard));
        var bytes = File.ReadAllBytes(shard);
        bytes[bytes.Length / 3] ^= 0x10;
        File.WriteAllBytes(shard, bytes);
        return (dir, shard);
    }
}
