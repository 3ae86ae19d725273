using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace XmrEngine.Cli.Commands.Bench;

/// <summary>
/// The answers of an <c>xmr bench load</c> run, gathered by window of send time: status counts, latencies of the
/// answered (200) requests, reloads, and the latest sample of the server process (RSS and open handles from /proc,
/// GC heap from its /metrics, taken by <see cref="SampleServerAsync"/> off the sending loop). A window is written once
/// its slowest possible answer is in (<paramref name="answerWait"/> after it ends); an answer later than that still
/// counts in the summary, as late. Thread-safe: answers arrive on many threads.
/// </summary>
internal sealed partial class LoadLog(double windowSeconds, double answerWait, int? serverPid, HttpClient http)
{
    public const string Header = "t_s,sent,ok,status_429,status_503,status_504,status_5xx_other,other,timeouts,p50_ms,p99_ms,max_ms,reloads_ok,reloads_failed,rss_mb,handles,gc_heap_mb";

    private readonly object _gate = new();
    private readonly SortedDictionary<int, Window> _windows = [];
    private readonly List<double> _allOk = [];
    private readonly Dictionary<int, long> _allStatus = [];
    private int _flushed;
    private long _late;
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
            _allStatus[status] = _allStatus.GetValueOrDefault(status) + 1;
            if (status == 200) _allOk.Add(ms);
            if (w < _flushed)
            {
                // Its window's line is written already: the summary has it, as late.
                _late++;
                return;
            }
            if (!_windows.TryGetValue(w, out var window)) _windows[w] = window = new Window();
            window.Sent++;
            window.Status[status] = window.Status.GetValueOrDefault(status) + 1;
            if (status == 200) window.Ok.Add(ms);
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

    /// <summary>
    /// Lines for the windows whose answers are all in by <paramref name="nowSeconds"/> (they ended at least the longest
    /// answer wait before it); at the end of the run (infinity) every window up to the last one with an answer.
    /// </summary>
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
                if (double.IsPositiveInfinity(nowSeconds))
                {
                    if (_windows.Count == 0 || _windows.Keys.Max() < w) break;
                }
                else if ((w + 1) * windowSeconds + answerWait > nowSeconds) break;
                if (!_windows.Remove(w, out window)) window = new Window();
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
        var (rss, handles, heap) = Volatile.Read(ref _sampleBox).Value;
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
                $"summary: {_allStatus.Values.Sum():N0} requests in {seconds:F0} s ({statuses}{(_late > 0 ? $"; {_late:N0} answered after their window was written" : "")}); answered p50 {LoadBenchCommand.Pct(ok, 0.5):F2} ms, p99 {LoadBenchCommand.Pct(ok, 0.99):F2} ms, max {(ok.Length == 0 ? double.NaN : ok[^1]):F2} ms; reloads {_totalReloadsOk} ok, {_totalReloadsFailed} failed");
        }
    }

    private StrongBox<(double RssMb, int Handles, double HeapMb)> _sampleBox = new((double.NaN, -1, double.NaN));

    /// <summary>Samples the server once a window until <paramref name="stop"/>, so a slow /metrics never holds up sending.</summary>
    public async Task SampleServerAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Min(windowSeconds, 5)));
        do
        {
            var (rss, handles) = ProcessSample();
            double heap = await GcHeapMegabytesAsync(stop).ConfigureAwait(false);
            Volatile.Write(ref _sampleBox, new StrongBox<(double, int, double)>((rss, handles, heap)));
        }
        while (await NextTick(timer, stop).ConfigureAwait(false));
    }

    private static async Task<bool> NextTick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
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
    private async Task<double> GcHeapMegabytesAsync(CancellationToken stop)
    {
        try
        {
            string text = await http.GetStringAsync("/metrics", stop).ConfigureAwait(false);
            double total = 0;
            bool any = false;
            foreach (Match m in HeapLine().Matches(text))
            {
                total += double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                any = true;
            }
            return any ? total / (1024 * 1024) : double.NaN;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return double.NaN;
        }
    }

    [GeneratedRegex(@"^dotnet_gc_last_collection_heap_size_bytes\{[^}]*\}\s+([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex HeapLine();
}
