using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XmrEngine.Hosting;

namespace XmrEngine.Cli.Commands.Serve;

/// <summary>The web host <c>xmr serve</c> and <c>xmr bench serve</c> run: the hosting library over one models folder.</summary>
internal static class ServingHost
{
    private const string SettingsError = "AddXmrEngine: ";

    /// <summary>
    /// Builds, maps and starts a host serving the models <paramref name="configure"/> names on <paramref name="urls"/>,
    /// and waits until the first load of every model has been tried. The configuration's <c>XmrEngine:Security</c> and
    /// <c>XmrEngine:Traffic</c> sections (appsettings.json in the working folder, environment variables such as
    /// <c>XmrEngine__Security__ApiKeys__0__Sha256</c>) are read first, then <paramref name="configure"/> applies on top.
    /// With <paramref name="certificate"/> the https:// addresses use it. With <paramref name="logToStderr"/> the
    /// library's log goes to standard error (stdout stays for lines a script reads); otherwise nothing is logged.
    /// </summary>
    public static async Task<WebApplication> StartAsync(string urls, Action<XmrEngineOptions> configure, bool logToStderr, CancellationToken cancel,
        X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        if (certificate is not null)
        {
            // The slim builder leaves out Kestrel's HTTPS address support. Kestrel's default protocols (HTTP/1.1 and
            // HTTP/2) stand: TLS addresses offer HTTP/2 by ALPN; plain-text ones stay HTTP/1.1 for every client.
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        }
        builder.Logging.ClearProviders();
        if (logToStderr)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        var engine = builder.Configuration.GetSection("XmrEngine");
        try
        {
            builder.Services.AddXmrEngine(o =>
            {
                engine.GetSection("Security").Bind(o.Security);
                engine.GetSection("Traffic").Bind(o.Traffic);
                configure(o);
            });
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith(SettingsError, StringComparison.Ordinal))
        {
            // The settings come from the user (flags, appsettings.json, the environment): a usage error, not a crash.
            throw new ArgumentException($"{e.Message[SettingsError.Length..]} (settings from the flags and the XmrEngine configuration section)", e);
        }
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
