using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Hosting;
using XmrEngine.Cluster.Hosting;

namespace XmrEngine.Cli.Commands.Cluster;

/// <summary><c>xmr cluster silo</c>: run one Orleans silo that hosts shard grains, until SIGINT or SIGTERM.</summary>
internal static class ClusterSiloCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Silo-to-silo port.", Required = true };
        var gateway = new Option<int>("--gateway-port") { Description = "Port clients connect to.", Required = true };
        var address = new Option<string>("--address") { Description = "Address to listen on and advertise to the other silos.", DefaultValueFactory = _ => "127.0.0.1" };
        var primary = new Option<int?>("--primary-port") { Description = "Without --redis: the silo port of the cluster's first silo (default: this silo's own, i.e. this is the first)." };
        var flags = new ClusterFlags();
        var command = new Command("silo", "Run a silo of an xmr cluster (hosts shard grains) until Ctrl+C / SIGTERM, then leave the cluster gracefully.") { port, gateway, address, primary };
        flags.AddTo(command);
        command.SetAction(async (result, cancel) =>
        {
            string addressText = result.GetRequiredValue(address);
            if (!IPAddress.TryParse(addressText, out var ip)) throw new ArgumentException($"--address must be an IP address; got '{addressText}'.");
            var settings = new SiloSettings(result.GetValue(port), result.GetValue(gateway), ip, flags.Membership(result), result.GetValue(primary));
            using var host = ClusterSilo.Build(settings);
            await host.StartAsync(cancel).ConfigureAwait(false);
            string store = settings.Membership.Redis is { } redis ? $"Redis membership at {redis}" : "localhost clustering";
            CliConsole.OutWriter.WriteLine($"silo running: {ip}:{settings.SiloPort}, gateway {settings.GatewayPort}, cluster '{settings.Membership.ClusterId}', {store} (Ctrl+C or SIGTERM stops it)");
            CliConsole.OutWriter.Flush();
            // The host's console lifetime turns SIGINT/SIGTERM into a graceful stop: the silo leaves the membership table first.
            await host.WaitForShutdownAsync(cancel).ConfigureAwait(false);
            CliConsole.OutWriter.WriteLine("silo stopped");
            return 0;
        });
        return command;
    }
}
