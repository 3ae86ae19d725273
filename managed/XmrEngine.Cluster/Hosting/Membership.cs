using System.Net;

namespace XmrEngine.Cluster.Hosting;

/// <summary>
/// How silos and clients find each other: a Redis membership table (<c>host:port</c>), or, without one, Orleans's
/// localhost development clustering (one machine; the primary silo's port names the cluster's seed).
/// </summary>
/// <param name="ClusterId">The cluster's id: silos and clients with the same id and store form one cluster.</param>
/// <param name="Redis">The Redis server holding the membership table, as <c>host:port</c>; null for localhost clustering.</param>
public sealed record Membership(string ClusterId, string? Redis)
{
    /// <summary>The Orleans service id every xmr cluster uses (the cluster id tells deployments apart).</summary>
    public const string ServiceId = "xmr";

    /// <summary>Checks the id and the Redis address.</summary>
    /// <exception cref="ArgumentException">The cluster id is empty or the Redis address is not host:port.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ClusterId)) throw new ArgumentException("--cluster-id must not be empty.");
        if (Redis is null) return;
        int colon = Redis.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(Redis.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
            throw new ArgumentException($"--redis must be host:port (for example 127.0.0.1:6379); got '{Redis}'.");
    }

    /// <summary>The StackExchange.Redis connection string: fail fast when Redis is down rather than retrying for a minute.</summary>
    public string RedisConnectionString => $"{Redis},abortConnect=false,connectTimeout=2000,syncTimeout=2000";

    /// <summary>The loopback endpoint on <paramref name="port"/>.</summary>
    internal static IPEndPoint Loopback(int port) => new(IPAddress.Loopback, port);
}
