using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace XmrEngine.Cluster.Hosting;

/// <summary>Connects to a cluster as a client: the same membership as the silos, gateways refreshed every second.</summary>
public static class ClusterClient
{
    /// <summary>
    /// Starts a client host for the cluster and returns it with its <see cref="IClusterClient"/>; dispose the host
    /// (after <c>StopAsync</c>) to disconnect.
    /// </summary>
    /// <param name="membership">The cluster id and store the silos use.</param>
    /// <param name="gatewayPorts">Localhost clustering only: the silos' gateway ports on this machine.</param>
    /// <param name="responseTimeout">How long a call may wait for its answer before it fails and is retried.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="ArgumentException">The membership is invalid, or localhost clustering was given no gateway port.</exception>
    public static async Task<(IHost Host, IClusterClient Client)> ConnectAsync(Membership membership, IReadOnlyList<int> gatewayPorts, TimeSpan responseTimeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(gatewayPorts);
        membership.Validate();
        if (membership.Redis is null && gatewayPorts.Count == 0)
            throw new ArgumentException("without --redis, give the silos' gateway ports (--gateway-port) for localhost clustering.");
        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // A killed silo makes Orleans log connection errors the client already handles by retrying.
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleansClient(client =>
        {
            if (membership.Redis is null)
                client.UseLocalhostClustering(gatewayPorts.ToArray(), Membership.ServiceId, membership.ClusterId);
            else
            {
                client.UseRedisClustering(membership.RedisConnectionString);
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = membership.ClusterId;
                    o.ServiceId = Membership.ServiceId;
                });
            }
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = responseTimeout);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return (host, host.Services.GetRequiredService<IClusterClient>());
    }
}
