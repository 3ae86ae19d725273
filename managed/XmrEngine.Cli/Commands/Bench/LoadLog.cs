using System.Globalization;
using System.Text.RegularExpressions;

namespace XmrEngine.Cli.Commands.Bench;

/// <summary>
/// The answers of an <c>xmr bench load</c> run, gathered by window of send time: status counts, latencies of the
/// answered (200) requests, reloads, and at each window's end a sample of the server process (RSS and open handles
/// from /proc, GC heap from its /metrics). Thread-safe: answers arrive on many threads.
/// </summary>
internal sealed partial class LoadLog(double windowSeconds, int? serverPid, HttpClient http)
{
    public const string Header = "t_s,sent,ok,status_429,status_503,status_504,status_5xx_other,other,timeouts,p50_ms,p99_ms,max_ms,reloads_ok,reloads_failed,rss_mb,handles,gc_heap_mb";

    private readonly object _gate = new();
    private readonly SortedDictionary<int, Window> _windows = [];
    private readonly List<double> _allOk = [];
    private readonly Dictionary<int, long> _allStatus = [];
    private int _flushed;
    private int _reloadsOk, _reloadsFailed, _totalReloadsOk, _totalReloadsFailed;

    private sealed class Window
    {
        public readonly List<double> Ok = [];
        public readonly Dictionary<int, long> Status = [];
        public long Sent;
    }

    public void Record(double sentAtSeconds, int status, double ms)
    {
        lock (_gate)
        {
            int w = (int)(sentAtSeconds / windowSeconds);
            if (!_windows.TryGetValue(w, out var window)) _windows[w] = window = new Window();
            window.Sent++;
            window.Status[status] = window.Status.GetValueOrDefault(status) + 1;
            _allStatus[status] = _allStatus.GetValueOrDefault(status) + 1;
            if (status == 200)
            {
                window.Ok.Add(ms);
                _allOk.Add(ms);
            }
        }
    }

    public void Reloaded(bool ok)
    {
        lock (_gate)
        {
            if (ok) { _reloadsOk++; _totalReloadsOk++; }
            else { _reloadsFailed++; _totalReloadsFailed++; }
        }
    }

    /// <summary>Lines for the windows that ended before <paramref name="nowSeconds"/> (less the longest answer we wait for).</summary>
    public IEnumerable<string> Flush(double nowSeconds)
    {
        var lines = new List<string>();
        while (true)
        {
            Window? window;
            int w;
            lock (_gate)
            {
                w = _flushed;
                // A window is written once its requests have had time to answer (a few seconds after it ends).
                if ((w + 1) * windowSeconds + 5 > nowSeconds && !double.IsPositiveInfinity(nowSeconds)) break;
                if (!_windows.Remove(w, out window))
                {
                    if (double.IsPositiveInfinity(nowSeconds) && _windows.Count == 0) break;
                    window = new Window();
                }
                _flushed++;
            }
            lines.Add(Line(w, window));
        }
        return lines;
    }

    private string Line(int w, Window window)
    {
        var ok = window.Ok.Order().ToArray();
        long Count(Func<int, bool> which) => window.Status.Where(kv => which(kv.Key)).Sum(kv => kv.Value);
        int reloadsOk, reloadsFailed;
        lock (_gate)
        {
            (reloadsOk, reloadsFailed) = (_reloadsOk, _reloadsFailed);
            _reloadsOk = _reloadsFailed = 0;
        }
        var (rss, handles) = ProcessSample();
        double heap = GcHeapMegabytes();
        var c = CultureInfo.InvariantCulture;
        return string.Create(c, $"{(w + 1) * windowSeconds:F0},{window.Sent},{Count(s => s == 200)},{Count(s => s == 429)},{Count(s => s == 503)},{Count(s => s == 504)}," +
                                $"{Count(s => s >= 500 && s is not 503 and not 504)},{Count(s => s is > 0 and not 200 and not 429 and < 500)},{Count(s => s <= 0)}," +
                                $"{LoadBenchCommand.Pct(ok, 0.5):F3},{LoadBenchCommand.Pct(ok, 0.99):F3},{(ok.Length == 0 ? double.NaN : ok[^1]):F3}," +
                                $"{reloadsOk},{reloadsFailed},{rss:F1},{handles},{heap:F1}");
    }

    public string Summary(double seconds)
    {
        lock (_gate)
        {
            var ok = _allOk.Order().ToArray();
            string statuses = string.Join(", ", _allStatus.OrderBy(kv => kv.Key).Select(kv => $"{(kv.Key == 0 ? "client timeout" : kv.Key == -1 ? "connection failed" : kv.Key.ToString(CultureInfo.InvariantCulture))}: {kv.Value:N0}"));
            return string.Create(CultureInfo.InvariantCulture,
                $"summary: {_allStatus.Values.Sum():N0} requests in {seconds:F0} s ({statuses}); answered p50 {LoadBenchCommand.Pct(ok, 0.5):F2} ms, p99 {LoadBenchCommand.Pct(ok, 0.99):F2} ms, max {(ok.Length == 0 ? double.NaN : ok[^1]):F2} ms; reloads {_totalReloadsOk} ok, {_totalReloadsFailed} failed");
        }
    }

    private (double RssMb, int Handles) ProcessSample()
    {
        if (serverPid is not { } pid) return (double.NaN, -1);
        try
        {
            double rss = double.NaN;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    rss = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            return (rss, Directory.GetFiles($"/proc/{pid}/fd").Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (double.NaN, -1);
        }
    }

    /// <summary>The server's GC heap after its last collection, from the runtime's own meter on /metrics; NaN when not exported.</summary>
    private double GcHeapMegabytes()
    {
        try
        {
            string text = http.GetStringAsync("/metrics").GetAwaiter().GetResult();
            double total = 0;
            bool any = false;
            foreach (Match m in HeapLine().Matches(text))
            {
                total += double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                any = true;
            }
            return any ? total / (1024 * 1024) : double.NaN;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return double.NaN;
        }
    }

    [GeneratedRegex(@"^dotnet_gc_last_collection_heap_size_bytes\{[^}]*\}\s+([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex HeapLine();
}
