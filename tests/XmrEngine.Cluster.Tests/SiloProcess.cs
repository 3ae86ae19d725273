using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using XmrEngine.Tests.Support;

namespace XmrEngine.Cluster.Tests;

/// <summary>
/// One <c>xmr cluster silo</c> child process on loopback ports, with its output kept for failure messages. Started
/// through the same dotnet + xmr.dll as <see cref="XmrCli"/>; killed (SIGKILL) or stopped (SIGTERM) by the test.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int SiloPort { get; }
    public int GatewayPort { get; }

    private SiloProcess(string clusterId, string redis)
    {
        SiloPort = FreePort();
        GatewayPort = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { XmrCli.Dll(), "cluster", "silo", "--port", SiloPort.ToString(), "--gateway-port", GatewayPort.ToString(), "--cluster-id", clusterId, "--redis", redis })
            info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        _process.OutputDataReceived += (_, e) => Keep(e.Data, stdout: true);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data, stdout: false);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Keep(string? line, bool stdout)
    {
        if (line is null) return;
        if (_lines.Count < 200) _lines.Enqueue(line);
        if (stdout && line.StartsWith("silo running", StringComparison.Ordinal)) _running.TrySetResult();
    }

    /// <summary>Starts <paramref name="count"/> silos of one cluster at once and waits until every one says it runs.</summary>
    public static List<SiloProcess> StartCluster(int count, string clusterId, string redis)
    {
        var silos = Enumerable.Range(0, count).Select(_ => new SiloProcess(clusterId, redis)).ToList();
        foreach (var silo in silos)
        {
            if (!silo._running.Task.Wait(TimeSpan.FromSeconds(60)))
            {
                string output = silo.Output;
                foreach (var s in silos) s.Dispose();
                Assert.Fail($"a silo did not start within 60 s:\n{output}");
            }
        }
        return silos;
    }

    /// <summary>What the silo printed (the first 200 lines).</summary>
    public string Output => string.Join('\n', _lines);

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: the silo vanishes without leaving the cluster.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Kills what is still running.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
