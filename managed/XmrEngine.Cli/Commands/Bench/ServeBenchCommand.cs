using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Hosting;
using XmrEngine.Serving;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands.Bench;

/// <summary>
/// <c>xmr bench serve --models DIR</c>: per model, single-request latency (p50/p99) and throughput with several
/// concurrent callers, made in-process through the library and over HTTP on loopback to a Kestrel server in
/// this process, interleaved in rounds so both see the same machine state; the difference is the HTTP layer's cost.
/// </summary>
internal static class ServeBenchCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "Folder of models, as for xmr serve.", Required = true };
        var xlinearTest = new Option<string?>("--xlinear-test") { Description = "Data file whose rows are the XR-Linear queries (.txt/.svm/.npz); random rows when absent." };
        var productQueries = new Option<string?>("--product-queries") { Description = "text2text file ('ids<TAB>query' or one query a line) of product searches; item titles when absent." };
        var qacLog = new Option<string?>("--qac-log") { Description = "Query log of the auto-complete model's test sessions; the model's own labels when absent." };
        var requests = new Option<int>("--requests") { Description = "Requests per endpoint, mode and round.", DefaultValueFactory = _ => 2000 };
        var clients = new Option<int>("--clients") { Description = "Concurrent callers for the throughput runs.", DefaultValueFactory = _ => 4 };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved repetitions (in-process, HTTP, in-process, ...).", DefaultValueFactory = _ => 3 };
        var command = new Command("serve", "Latency and throughput of each served model, in-process and over HTTP on loopback.")
            { models, xlinearTest, productQueries, qacLog, requests, clients, rounds };
        command.SetAction((result, cancel) => Run(result.GetRequiredValue(models), result.GetValue(xlinearTest), result.GetValue(productQueries),
            result.GetValue(qacLog), Positive(result.GetValue(requests), "--requests"), Positive(result.GetValue(clients), "--clients"),
            Positive(result.GetValue(rounds), "--rounds"), cancel));
        return command;
    }

    private static int Positive(int value, string flag) => value >= 1 ? value : throw new ArgumentException($"{flag} must be positive; got {value}.");

    private static async Task<int> Run(string folder, string? xlinearTest, string? productQueries, string? qacLog, int requests, int clients, int rounds, CancellationToken cancel)
    {
        if (!Directory.Exists(folder)) throw new ArgumentException($"--models: no such folder '{folder}'.");
        await using var app = await Serve.ServingHost.StartAsync("http://127.0.0.1:0", o =>
        {
            o.ModelsDirectory = folder;
            o.WatchForChanges = false;
            o.PollInterval = TimeSpan.Zero;
            // Every caller is let in: the bench measures the engine, not the server's overload protection.
            o.Traffic.MaxConcurrentRequests = Math.Max(o.Traffic.MaxConcurrentRequests, clients);
        }, logToStderr: false, cancel).ConfigureAwait(false);
        var registry = app.Services.GetRequiredService<ModelRegistry>();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(app.Urls.First()) };

        var table = new Table().AddColumn("model").AddColumn("endpoint").AddColumn("mode").AddColumn("p50 (ms)").AddColumn("p99 (ms)")
            .AddColumn($"req/s, {clients} callers").AddColumn("notes");
        foreach (var status in registry.Describe())
        {
            if (!status.Loaded || !registry.TryLease(status.Name, out var lease)) continue;
            List<ServeBenchCall> calls;
            string endpoint, notes;
            using (lease)
            {
                var m = lease!.Model;
                switch (m.Instance)
                {
                    case XLinearServingModel xlinear:
                        // Raw rows, as a user sends them: the model prepares them (in process and over HTTP alike).
                        CsrMatrix? rows = xlinearTest is null ? null : InputData.Load(xlinearTest, normalize: false).X;
                        calls = ServeBenchRequests.XLinear(m.Name, xlinear, rows, requests);
                        (endpoint, notes) = ("xlinear.predict", rows is null ? "random 20-feature rows" : $"rows of {Path.GetFileName(xlinearTest)}");
                        break;
                    case ProductRetrievalModel products:
                        var queries = productQueries is null ? products.Items.ToList() : ReadQueries(productQueries);
                        calls = ServeBenchRequests.Products(m.Name, queries, requests);
                        (endpoint, notes) = ("products.search", productQueries is null ? "item titles as queries" : $"queries of {Path.GetFileName(productQueries)}");
                        break;
                    case QacModel qac:
                        var cases = ServeBenchRequests.QacCases(qac, qacLog);
                        calls = ServeBenchRequests.Qac(m.Name, cases, requests);
                        (endpoint, notes) = ("qac.suggest", qacLog is null ? "label pairs" : "test sessions of the log");
                        break;
                    default:
                        continue; // a kind an application added: this benchmark has no requests for it
                }
            }
            var inProcess = new List<Measurement>();
            var overHttp = new List<Measurement>();
            for (int r = 0; r < rounds; r++)
            {
                inProcess.Add(await Measure(calls, c => { c.InProcess(registry); return Task.CompletedTask; }, clients).ConfigureAwait(false));
                overHttp.Add(await Measure(calls, async c =>
                {
                    using var response = await c.OverHttp(http).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                }, clients).ConfigureAwait(false));
            }
            table.AddRow(status.Name, endpoint, "in-process", Range(inProcess, x => x.P50), Range(inProcess, x => x.P99), Range(inProcess, x => x.Throughput, "F0"), Markup.Escape(notes));
            table.AddRow(status.Name, endpoint, "HTTP loopback", Range(overHttp, x => x.P50), Range(overHttp, x => x.P99), Range(overHttp, x => x.Throughput, "F0"), $"{requests} requests x {rounds} rounds");
        }
        CliConsole.Out.Write(table);
        double[] load = LoadAverage();
        CliConsole.Out.MarkupLine(Markup.Escape($"{Environment.ProcessorCount} cores, load average {string.Join(' ', load.Select(l => l.ToString("F2")))}; server and callers share this process and its cores"));
        await app.StopAsync(cancel).ConfigureAwait(false);
        return 0;
    }

    private readonly record struct Measurement(double P50, double P99, double Throughput);

    /// <summary>One warm-up pass, a sequential pass for latency, then the calls spread over <paramref name="clients"/> callers for throughput.</summary>
    private static async Task<Measurement> Measure(List<ServeBenchCall> calls, Func<ServeBenchCall, Task> run, int clients)
    {
        foreach (var c in calls.Take(Math.Min(200, calls.Count))) await run(c).ConfigureAwait(false);
        var times = new double[calls.Count];
        for (int i = 0; i < calls.Count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await run(calls[i]).ConfigureAwait(false);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < calls.Count) await run(calls[i]).ConfigureAwait(false);
        }))).ConfigureAwait(false);
        return new Measurement(times[(int)(0.5 * (times.Length - 1))], times[(int)Math.Ceiling(0.99 * (times.Length - 1))], calls.Count / clock.Elapsed.TotalSeconds);
    }

    private static string Range(List<Measurement> m, Func<Measurement, double> pick, string format = "F3")
    {
        double lo = m.Min(pick), hi = m.Max(pick);
        return m.Count == 1 || lo.ToString(format) == hi.ToString(format) ? lo.ToString(format) : $"{lo.ToString(format)}-{hi.ToString(format)}";
    }

    private static List<string> ReadQueries(string path)
    {
        var queries = File.ReadLines(path).Select(l => l.Contains('\t') ? l[(l.IndexOf('\t') + 1)..] : l).Where(q => q.Trim().Length > 0).ToList();
        return queries.Count > 0 ? queries : throw new ArgumentException($"--product-queries: {path} holds no query.");
    }

    private static double[] LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }
}
