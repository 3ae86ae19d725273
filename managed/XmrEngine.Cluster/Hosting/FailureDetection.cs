using Orleans.Configuration;

namespace XmrEngine.Cluster.Hosting;

/// <summary>
/// Membership timings shorter than Orleans's defaults (10 s probes, 3 missed, tens of seconds to declare a silo
/// dead), because a shard whose silo died is unreachable until the silo is declared dead and the shard reactivated
/// elsewhere: with these a killed silo is voted dead in a few seconds on a loopback or LAN cluster. Tune upwards for
/// a WAN, where 1 s probes would declare live silos dead.
/// </summary>
internal static class FailureDetection
{
    /// <summary>Applies the timings to a silo's membership options.</summary>
    public static void Configure(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 2;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
    }
}
