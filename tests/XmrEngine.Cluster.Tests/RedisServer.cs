using System.Net.Sockets;

namespace XmrEngine.Cluster.Tests;

/// <summary>
/// The Redis server the cluster tests keep their membership table in: 127.0.0.1:6379, which <c>.ci/run</c> installs and
/// starts. Without it a developer's run skips these tests; a CI run (CI=true) fails instead, so a broken setup is seen.
/// </summary>
internal static class RedisServer
{
    public const string Address = "127.0.0.1:6379";

    /// <summary>Returns the address, or ignores (locally) / fails (CI) the test when nothing listens there.</summary>
    public static string Require()
    {
        try
        {
            using var client = new TcpClient();
            if (client.ConnectAsync("127.0.0.1", 6379).Wait(TimeSpan.FromSeconds(2))) return Address;
        }
        catch (AggregateException)
        {
            // Refused: handled below.
        }
        string message = $"no Redis server at {Address} (apt-get install redis-server; .ci/run starts one)";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message);
        Assert.Ignore(message + "; skipping the cluster tests");
        return Address;
    }
}
