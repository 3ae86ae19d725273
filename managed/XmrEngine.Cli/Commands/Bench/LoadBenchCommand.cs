using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace XmrEngine.Cli.Commands.Bench;

/// <summary>
/// <c>xmr bench load --url URL --paths FILE</c>: drives a running server (another process, as users would) at a
/// steady request rate for a while, optionally reloading a model every so often with an admin key, and writes one
/// CSV line per window: requests by status, p50/p99 of the answers, and the server process's RSS, open handles and
/// GC heap (from /proc and the server's /metrics). Requests are sent on a fixed schedule whether or not earlier ones
/// have answered (an open loop), so an overloaded server shows as queueing and shed requests, not as a slower client.
/// With <c>--rate 0</c> it instead measures capacity: <c>--clients</c> callers back to back, and prints requests per second.
/// </summary>
internal static class LoadBenchCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Base address of the running server, e.g. http://127.0.0.1:5080.", Required = true };
        var paths = new Option<string>("--paths") { Description = "File of request paths, one a line (GET, e.g. /v1/qac/aol/suggest?prev=...&prefix=...), sent in turn.", Required = true };
        var rate = new Option<double>("--rate") { Description = "Requests per second, sent on a fixed schedule; 0 measures capacity with --clients back-to-back callers.", DefaultValueFactory = _ => 100 };
        var duration = new Option<double>("--duration") { Description = "Seconds to run.", DefaultValueFactory = _ => 60 };
        var window = new Option<double>("--window") { Description = "Seconds per CSV line.", DefaultValueFactory = _ => 10 };
        var reloadModel = new Option<string?>("--reload-model") { Description = "Model to reload (POST /v1/models/NAME/reload) while the load runs." };
        var reloadEvery = new Option<double>("--reload-every") { Description = "Seconds between reloads; 0 reloads back to back.", DefaultValueFactory = _ => 30 };
        var apiKey = new Option<string?>("--api-key") { Description = "Key sent as X-Api-Key with every request (an admin key for reloads); or the XMR_API_KEY environment variable." };
        var pid = new Option<int?>("--server-pid") { Description = "The server's process id, to sample its RSS and open handles from /proc." };
        var clients = new Option<int>("--clients") { Description = "Concurrent callers when measuring capacity (--rate 0).", DefaultValueFactory = _ => 8 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds the client waits for one answer before counting it as timed out.", DefaultValueFactory = _ => 30 };
        var output = new Option<string?>("--csv") { Description = "Write the per-window lines here (also printed)." };
        var command = new Command("load", "Steady-rate (or capacity) load on a running server, with reloads; per-window status counts, latency and server memory.")
            { url, paths, rate, duration, window, reloadModel, reloadEvery, apiKey, pid, clients, timeout, output };
        command.SetAction((result, cancel) =>
        {
            var settings = new LoadSettings(BaseAddress(result.GetRequiredValue(url)), LoadPaths(result.GetRequiredValue(paths)),
                NonNegative(result.GetValue(rate), "--rate"), Positive(result.GetValue(duration), "--duration"), Positive(result.GetValue(window), "--window"),
                result.GetValue(reloadModel), NonNegative(result.GetValue(reloadEvery), "--reload-every"),
                result.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("XMR_API_KEY"), result.GetValue(pid),
                Math.Max(1, result.GetValue(clients)), TimeSpan.FromSeconds(Positive(result.GetValue(timeout), "--timeout")), result.GetValue(output));
            if (settings.Rate == 0 && settings.ReloadModel is not null)
                throw new ArgumentException("--reload-model needs a steady --rate; --rate 0 measures capacity without reloads.");
            return settings.Rate == 0 ? Capacity(settings, cancel) : Run(settings, cancel);
        });
        return command;
    }

    private static double Positive(double value, string flag) => value > 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{flag} must be positive; got {value}.");

    private static double NonNegative(double value, string flag) => value >= 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{flag} must be 0 or more; got {value}.");

    private static Uri BaseAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"--url must be an http:// or https:// address such as http://127.0.0.1:5080; got '{url}'.");

    private static string[] LoadPaths(string file)
    {
        if (!File.Exists(file)) throw new ArgumentException($"--paths: no such file '{file}'.");
        var lines = File.ReadLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0) throw new ArgumentException($"--paths: '{file}' has no request path.");
        var bad = Array.FindIndex(lines, l => !l.StartsWith('/'));
        if (bad >= 0) throw new ArgumentException($"--paths: {file}:{bad + 1}: a request path starts with '/'; got '{lines[bad]}'.");
        return lines;
    }

    private static HttpClient Client(LoadSettings s, int connections)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = s.Url,
            Timeout = s.Timeout,
        };
        if (s.ApiKey is not null) http.DefaultRequestHeaders.Add("X-Api-Key", s.ApiKey);
        return http;
    }

    /// <summary>Back-to-back callers for the duration; prints the answered requests per second (what a 5x overload is a multiple of).</summary>
    private static async Task<int> Capacity(LoadSettings s, CancellationToken cancel)
    {
        using var http = Client(s, s.Clients);
        var stop = Stopwatch.StartNew();
        long ok = 0, other = 0, next = 0;
        var latencies = new List<double>[s.Clients];
        await Task.WhenAll(Enumerable.Range(0, s.Clients).Select(async c =>
        {
            latencies[c] = [];
            while (stop.Elapsed.TotalSeconds < s.Duration && !cancel.IsCancellationRequested)
            {
                string path = s.Paths[(int)(Interlocked.Increment(ref next) % s.Paths.Length)];
                var t = Stopwatch.GetTimestamp();
                var status = await Send(http, path, cancel).ConfigureAwait(false);
                latencies[c].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                Interlocked.Increment(ref status == 200 ? ref ok : ref other);
            }
        })).ConfigureAwait(false);
        double seconds = stop.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        CliConsole.OutWriter.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"capacity: {ok / seconds:F0} answered req/s with {s.Clients} callers ({ok:N0} x 200, {other:N0} other in {seconds:F1} s); p50 {Pct(all, 0.5):F2} ms, p99 {Pct(all, 0.99):F2} ms"));
        return 0;
    }

    private static async Task<int> Run(LoadSettings s, CancellationToken cancel)
    {
        // Enough connections that the client never queues: the server's queue and limits are what is measured.
        using var http = Client(s, 1024);
        var log = new LoadLog(s.Window, s.Timeout.TotalSeconds + 1, s.ServerPid, http);
        using var stopSampling = new CancellationTokenSource();
        var sampling = log.SampleServerAsync(stopSampling.Token);
        using var writer = s.CsvPath is null ? null : new StreamWriter(s.CsvPath);
        CliConsole.OutWriter.WriteLine(LoadLog.Header);
        writer?.WriteLine(LoadLog.Header);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        int pruneAt = 4096;
        var reloads = s.ReloadModel is null ? Task.CompletedTask : ReloadLoop(http, s, log, clock, cancel);
        double interval = 1.0 / s.Rate;
        long sent = 0;
        while (clock.Elapsed.TotalSeconds < s.Duration && !cancel.IsCancellationRequested)
        {
            double due = sent * interval;
            double wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0.002) await Task.Delay(TimeSpan.FromSeconds(wait), cancel).ConfigureAwait(false);
            else if (wait > 0) Thread.SpinWait(50);
            else
            {
                string path = s.Paths[(int)(sent % s.Paths.Length)];
                sent++;
                inFlight.Add(One(http, path, log, clock, cancel));
                if (inFlight.Count > pruneAt)
                {
                    // Pruned when the list has doubled since the last pruning, so the scans cost O(1) per request.
                    inFlight.RemoveAll(t => t.IsCompleted);
                    pruneAt = Math.Max(4096, 2 * inFlight.Count);
                }
            }
            foreach (var line in log.Flush(clock.Elapsed.TotalSeconds))
            {
                CliConsole.OutWriter.WriteLine(line);
                writer?.WriteLine(line);
            }
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        await reloads.ConfigureAwait(false);
        await stopSampling.CancelAsync().ConfigureAwait(false);
        await sampling.ConfigureAwait(false);
        foreach (var line in log.Flush(double.PositiveInfinity))
        {
            CliConsole.OutWriter.WriteLine(line);
            writer?.WriteLine(line);
        }
        CliConsole.OutWriter.WriteLine(log.Summary(clock.Elapsed.TotalSeconds));
        return 0;
    }

    private static async Task One(HttpClient http, string path, LoadLog log, Stopwatch clock, CancellationToken cancel)
    {
        double start = clock.Elapsed.TotalMilliseconds;
        int status = await Send(http, path, cancel).ConfigureAwait(false);
        log.Record(start / 1000, status, clock.Elapsed.TotalMilliseconds - start);
    }

    /// <summary>The answer's status; 0 when the client gave up (its timeout) and -1 when the connection failed.</summary>
    private static async Task<int> Send(HttpClient http, string path, CancellationToken cancel)
    {
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancel).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            return 0;
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }

    private static async Task ReloadLoop(HttpClient http, LoadSettings s, LoadLog log, Stopwatch clock, CancellationToken cancel)
    {
        var path = $"/v1/models/{Uri.EscapeDataString(s.ReloadModel!)}/reload";
        while (clock.Elapsed.TotalSeconds < s.Duration && !cancel.IsCancellationRequested)
        {
            if (s.ReloadEvery > 0) await Task.Delay(TimeSpan.FromSeconds(s.ReloadEvery), cancel).ConfigureAwait(false);
            if (clock.Elapsed.TotalSeconds >= s.Duration) break;
            try
            {
                using var response = await http.PostAsync(path, null, cancel).ConfigureAwait(false);
                log.Reloaded(response.StatusCode == HttpStatusCode.OK);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancel.IsCancellationRequested))
            {
                // A refused connection or a reload slower than the client's timeout is a failed reload, not the end of the run.
                log.Reloaded(false);
            }
        }
    }

    internal static double Pct(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}

/// <summary>What one <c>xmr bench load</c> run is told to do.</summary>
internal sealed record LoadSettings(Uri Url, string[] Paths, double Rate, double Duration, double Window, string? ReloadModel, double ReloadEvery,
    string? ApiKey, int? ServerPid, int Clients, TimeSpan Timeout, string? CsvPath);
