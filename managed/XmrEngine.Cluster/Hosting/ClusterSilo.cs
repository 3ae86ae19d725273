using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace XmrEngine.Cluster.Hosting;

/// <summary>Builds the host of one silo: endpoints, membership (Redis or localhost), faster failure detection; shard grains come with the assembly.</summary>
public static class ClusterSilo
{
    /// <summary>
    /// A host running one silo with <paramref name="settings"/>. Run it with <c>RunAsync</c>: it stops gracefully
    /// (the silo leaves the membership table and hands its grains over) on SIGINT or SIGTERM.
    /// </summary>
    /// <param name="settings">Ports, address and membership; validated here.</param>
    /// <param name="minimumLogLevel">Orleans's log level on standard error (warnings by default: a silo is quiet when healthy).</param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public static IHost Build(SiloSettings settings, LogLevel minimumLogLevel = LogLevel.Warning)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        var membership = settings.Membership;
        builder.UseOrleans(silo =>
        {
            if (membership.Redis is null)
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, Membership.Loopback(settings.PrimaryPort ?? settings.SiloPort),
                    Membership.ServiceId, membership.ClusterId);
            }
            else
            {
                silo.UseRedisClustering(membership.RedisConnectionString);
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = membership.ClusterId;
                    o.ServiceId = Membership.ServiceId;
                });
            }
            silo.Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = settings.Address;
                o.SiloPort = settings.SiloPort;
                o.GatewayPort = settings.GatewayPort;
            });
            silo.Configure<ClusterMembershipOptions>(FailureDetection.Configure);
        });
        return builder.Build();
    }
}
