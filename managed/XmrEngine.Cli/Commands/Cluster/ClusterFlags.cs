using System.CommandLine;
using XmrEngine.Cluster.Hosting;

namespace XmrEngine.Cli.Commands.Cluster;

/// <summary>The flags every <c>xmr cluster</c> verb shares: which cluster, and where its membership lives.</summary>
internal sealed class ClusterFlags
{
    public Option<string> ClusterId { get; } = new("--cluster-id") { Description = "The cluster's id: silos and clients with the same id and membership store form one cluster.", Required = true };

    public Option<string?> Redis { get; } = new("--redis") { Description = "Redis server holding the membership table, host:port (e.g. 127.0.0.1:6379). Without it: Orleans's localhost development clustering (one machine)." };

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(ClusterId);
        command.Options.Add(Redis);
    }

    /// <summary>The membership the flags describe (validated).</summary>
    public Membership Membership(ParseResult result)
    {
        var membership = new Membership(result.GetRequiredValue(ClusterId), result.GetValue(Redis));
        membership.Validate();
        return membership;
    }
}
