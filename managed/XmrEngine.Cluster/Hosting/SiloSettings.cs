using System.Net;

namespace XmrEngine.Cluster.Hosting;

/// <summary>What <c>xmr cluster silo</c> is told: its ports, the address it advertises and its cluster.</summary>
/// <param name="SiloPort">Silo-to-silo port.</param>
/// <param name="GatewayPort">Port clients connect to.</param>
/// <param name="Address">The address the silo listens on and advertises to the others.</param>
/// <param name="Membership">The cluster id and membership store.</param>
/// <param name="PrimaryPort">Localhost clustering only: the silo port of the cluster's first silo (this silo's own when null).</param>
public sealed record SiloSettings(int SiloPort, int GatewayPort, IPAddress Address, Membership Membership, int? PrimaryPort = null)
{
    /// <summary>Checks the ports and the membership.</summary>
    /// <exception cref="ArgumentException">A port is out of range or both ports are the same.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Address);
        ArgumentNullException.ThrowIfNull(Membership);
        foreach (var (flag, port) in new[] { ("--port", SiloPort), ("--gateway-port", GatewayPort), ("--primary-port", PrimaryPort ?? SiloPort) })
            if (port is < 1 or > 65535) throw new ArgumentException($"{flag} must be in [1, 65535]; got {port}.");
        if (SiloPort == GatewayPort) throw new ArgumentException($"--port and --gateway-port must differ; both are {SiloPort}.");
        if (PrimaryPort is not null && Membership.Redis is not null) throw new ArgumentException("--primary-port is for localhost clustering; with --redis the membership table finds the silos.");
        Membership.Validate();
    }
}
