using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XmrEngine.Cluster.Serving;
using XmrEngine.Hosting;

namespace XmrEngine.Cli.Commands.Serve;

/// <summary>
/// <c>xmr serve</c>: serves every model of a folder over HTTP with the hosting library, hot-swapping models
/// replaced on disk, until SIGINT/SIGTERM (which drains the requests in flight).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "Folder of models: each .xmr file, each model sub-folder and each NAME.cluster.json (a sharded model served by an Orleans cluster) is served under its name.", Required = true };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on (';'-separated).", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var maxTopK = new Option<int>("--max-top-k") { Description = "Largest topK/count a request may ask for.", DefaultValueFactory = _ => 1000 };
        var poll = new Option<double>("--poll-seconds") { Description = "Also check the models for changes this often (0: only on file-system events).", DefaultValueFactory = _ => 5 };
        var noVerify = new Option<bool>("--no-verify") { Description = "Map .xmr files without reading every page for the checksums (faster opening of huge models)." };
        var readyWhen = new Option<string>("--ready-when")
        {
            Description = "all: /readyz answers 503 while any model has no loaded version; any: 200 once one model serves, naming the others (\"Degraded\"), which answer 503 themselves.",
            DefaultValueFactory = _ => "all",
        };
        readyWhen.AcceptOnlyFromAmong("all", "any");
        var blocklist = new Option<string>("--blocklist")
        {
            Description = "File of blocked words and phrases, one per line ('#' comments), matched as whole words ignoring case: suggestions and search results "
                + "holding one are left out. Read again when it changes; a bad change keeps the previous list.",
        };
        var security = new ServeSecurityFlags();
        var traffic = new ServeTrafficFlags();
        var https = new ServeCertificate();
        var command = new Command("serve", "Serve the models of a folder over HTTP (JSON API, OpenAPI document, health, metrics, a web page for search, prediction and auto-complete).")
            { models, urls, maxTopK, poll, noVerify, readyWhen, blocklist };
        foreach (var option in security.All.Concat(traffic.All).Concat(https.All)) command.Options.Add(option);
        command.SetAction((result, cancel) =>
        {
            string folder = result.GetRequiredValue(models);
            if (!Directory.Exists(folder)) throw new ArgumentException($"--models: no such folder '{folder}'.");
            double seconds = result.GetValue(poll);
            if (!(seconds >= 0)) throw new ArgumentException($"--poll-seconds must be 0 or more; got {seconds}.");
            int k = result.GetValue(maxTopK);
            if (k < 1) throw new ArgumentException($"--max-top-k must be positive; got {k}.");
            string addresses = result.GetRequiredValue(urls);
            var settings = new ServeSettings(security.Read(result), traffic.Read(result), https.Read(result, addresses));
            var readiness = result.GetValue(readyWhen) == "any" ? ReadinessRule.AnyModel : ReadinessRule.AllModels;
            string? blocked = result.GetValue(blocklist);
            if (blocked is not null && !File.Exists(blocked)) throw new ArgumentException($"--blocklist: no such file '{blocked}'.");
            return Run(folder, addresses, k, TimeSpan.FromSeconds(seconds), !result.GetValue(noVerify), readiness, blocked, settings, cancel);
        });
        return command;
    }

    private static async Task<int> Run(string folder, string urls, int maxTopK, TimeSpan poll, bool verify, ReadinessRule readiness, string? blocklist,
        ServeSettings settings, CancellationToken cancel)
    {
        using var certificate = settings.Certificate;
        await using var app = await ServingHost.StartAsync(urls, o =>
        {
            o.ModelsDirectory = folder;
            o.PollInterval = poll;
            o.VerifyChecksums = verify;
            o.Readiness = readiness;
            o.BlocklistFile = blocklist;
            o.Limits.MaxTopK = maxTopK;
            settings.Security(o.Security);
            settings.Traffic(o.Traffic);
            o.AddClusterModels();
        }, logToStderr: true, cancel, certificate).ConfigureAwait(false);
        var registry = app.Services.GetRequiredService<ModelRegistry>();
        var options = app.Services.GetRequiredService<XmrEngineOptions>();
        if (!options.Security.IsEnabled && ListenAddresses.Exposed(urls) is { Count: > 0 } exposed)
            CliConsole.Warn($"{string.Join(' ', exposed)} can be reached from other machines and no API key is configured: anyone who reaches it can "
                + "reload models. Give --api-keys FILE (`xmr keys new --role admin` makes a key), or listen on 127.0.0.1.");
        foreach (var m in registry.Describe())
            CliConsole.OutWriter.WriteLine(m.Loaded
                ? $"model {m.Name}\t{m.Kind}\t{m.LabelCount} labels\t{m.Version}"
                : $"model {m.Name}\tnot loaded\t{m.LastError}");
        CliConsole.OutWriter.WriteLine($"serving on {string.Join(' ', app.Urls)} (open it in a browser for the page: search, predict, auto-complete; Ctrl+C stops)");
        CliConsole.OutWriter.Flush();
        await app.WaitForShutdownAsync(cancel).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The security, traffic and HTTPS flags, read and checked before the server starts.</summary>
    private sealed record ServeSettings(Action<XmrEngine.Hosting.Security.ServingSecurity> Security,
        Action<XmrEngine.Hosting.Traffic.ServingTrafficLimits> Traffic, System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate);
}
