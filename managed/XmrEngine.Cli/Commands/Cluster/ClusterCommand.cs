using System.CommandLine;

namespace XmrEngine.Cli.Commands.Cluster;

/// <summary><c>xmr cluster</c>: serve a sharded model on a Microsoft Orleans cluster.</summary>
internal static class ClusterCommand
{
    public static Command Create() => new("cluster", "Serve a sharded model (xmr shard) on a Microsoft Orleans cluster: silos host the shards and run subtree training jobs, a client routes the beam search or coordinates training.")
    {
        ClusterSiloCommand.Create(),
        ClusterPredictCommand.Create(),
        ClusterTrainCommand.Create(),
    };
}
