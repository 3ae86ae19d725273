using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XmrEngine.Hosting;

namespace XmrEngine.Cli.Commands.Serve;

/// <summary>The web host <c>xmr serve</c> and <c>xmr bench serve</c> run: the hosting library over one models folder.</summary>
internal static class ServingHost
{
    /// <summary>
    /// Builds, maps and starts a host serving the models <paramref name="configure"/> names on <paramref name="urls"/>,
    /// and waits until the first load of every model has been tried. With <paramref name="logToStderr"/> the
    /// library's log goes to standard error (stdout stays for lines a script reads); otherwise nothing is logged.
    /// </summary>
    public static async Task<WebApplication> StartAsync(string urls, Action<XmrEngineOptions> configure, bool logToStderr, CancellationToken cancel)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        if (logToStderr)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        builder.Services.AddXmrEngine(configure);
        var app = builder.Build();
        try
        {
            app.MapXmrEngine();
            await app.StartAsync(cancel).ConfigureAwait(false);
            await app.Services.GetRequiredService<ModelRegistry>().InitialLoad.WaitAsync(cancel).ConfigureAwait(false);
            return app;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
