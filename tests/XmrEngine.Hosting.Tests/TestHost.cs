using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XmrEngine.Tests.Support;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// A service embedding the engine as a user would (<c>AddXmrEngine</c> + <c>MapXmrEngine</c>), over a fresh copy of
/// <see cref="ModelFolder"/>'s models: in memory (ASP.NET Core's TestServer) or on a loopback Kestrel port.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    private readonly TempDir _dir;

    private TestHost(TempDir dir, WebApplication app, HttpClient client)
    {
        _dir = dir;
        App = app;
        Client = client;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public string Models => _dir.Path;

    public ModelRegistry Registry => App.Services.GetRequiredService<ModelRegistry>();

    public string Path(string name) => System.IO.Path.Combine(_dir.Path, name);

    /// <summary>Starts a service over a copy of the models (or an empty folder) and waits for their first load.</summary>
    public static async Task<TestHost> StartAsync(Action<XmrEngineOptions>? configure = null, bool kestrel = false, bool withModels = true,
        Action<string>? prepare = null, ILoggerProvider? logs = null)
    {
        var dir = new TempDir();
        if (withModels) ModelFolder.CopyTo(dir.Path);
        prepare?.Invoke(dir.Path);
        var builder = WebApplication.CreateSlimBuilder();
        if (kestrel) builder.WebHost.UseUrls("http://127.0.0.1:0");
        else builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddXmrEngine(o =>
        {
            o.ModelsDirectory = dir.Path;
            o.PollInterval = TimeSpan.FromMilliseconds(250);
            o.ChangeSettleTime = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(o);
        });
        var app = builder.Build();
        app.MapXmrEngine();
        await app.StartAsync();
        await app.Services.GetRequiredService<ModelRegistry>().InitialLoad.WaitAsync(TimeSpan.FromSeconds(60));
        var client = kestrel ? new HttpClient { BaseAddress = new Uri(app.Urls.First()) } : app.GetTestClient();
        return new TestHost(dir, app, client);
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds or <paramref name="seconds"/> pass.</summary>
    public static async Task<bool> Eventually(Func<bool> condition, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _dir.Dispose();
    }
}
