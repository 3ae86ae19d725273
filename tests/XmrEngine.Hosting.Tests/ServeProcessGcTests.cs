using XmrEngine.Tests.Support;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// <c>xmr serve</c> runs with the garbage collector set for serving (no large-object-heap compaction, which training
/// asks for and which made every model load in a server pause queries), in the same process the user started.
/// </summary>
[NonParallelizable]
public sealed class ServeProcessGcTests
{
    [Test]
    public async Task TheServerProcess_RunsWithoutMemoryConservingGc_UnderTheIdItWasStartedWith()
    {
        Assume.That(OperatingSystem.IsLinux(), "reads /proc");
        using var dir = new TempDir();
        ModelFolder.CopyTo(dir.Path);
        using var server = await LiveServer.StartAsync(dir.Path, []);
        var environment = File.ReadAllText($"/proc/{server.ProcessId}/environ").Split('\0');
        Assert.That(environment, Does.Contain("DOTNET_GCConserveMemory=0"), "the process started (same id) replaced itself with the serving GC setting");
        using var http = new HttpClient { BaseAddress = server.Address };
        Assert.That(await http.GetStringAsync("/v1/models"), Does.Contain("\"xr\""), "and serves");
    }
}
