using XmrEngine.Tests.Support;
using System.Diagnostics;
using XmrEngine.Text;

namespace XmrEngine.Tests.Text;

/// <summary>
/// Fit and transform throughput on the Reuters-21578 bodies at 1 and 2 threads. Explicit: run it on
/// purpose, in Release (<c>dotnet test -c Release --filter FullyQualifiedName~TfidfThroughputBenchmark</c>).
/// It prints numbers and asserts only on correctness, never on time.
/// </summary>
[Explicit("Benchmark: prints throughput; run on purpose in Release.")]
[Category("Benchmark")]
public class TfidfThroughputBenchmark
{
    private static readonly CombinedTfidfOptions PecosTextConfig = new()
    {
        Bases =
        [
            new TfidfOptions { MinNgram = 1, MaxNgram = 2, MaxDfRatio = 0.98 },
            new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 3, MaxNgram = 3 },
        ],
    };

    [Test]
    public void ReutersBodies()
    {
        var docs = ReutersCorpus.ReadDirectory(SharedData.RequireDirectory("reuters21578")).Select(d => d.Body).ToList();
        long chars = docs.Sum(d => (long)d.Length);
        var log = TestContext.Out;
        log.WriteLine($"Reuters-21578 bodies: {docs.Count} docs, {chars / 1e6:F1} M chars; config word 1-2 (max_df 0.98) + char_wb 3; {Environment.ProcessorCount} cores");
        log.WriteLine($"load average at start: {LoadAverage()}");
        log.WriteLine("| step | threads | wall s | docs/s (wall) | process CPU s |");
        log.WriteLine("|---|---|---|---|---|");

        CombinedTfidfVectorizer? fitted = null;
        foreach (int threads in new[] { 1, 2 })
        {
            var (fit, cpu) = Best(() => fitted = CombinedTfidfVectorizer.Fit(docs, PecosTextConfig, threads));
            log.WriteLine($"| fit | {threads} | {fit:F2} | {docs.Count / fit:F0} | {cpu:F2} |");
        }
        log.WriteLine($"features: {fitted!.FeatureCount} ({fitted.Bases[0].FeatureCount} word + {fitted.Bases[1].FeatureCount} char_wb)");

        long nnz = 0;
        foreach (int threads in new[] { 1, 2 })
        {
            var (t, cpu) = Best(() => nnz = fitted.Transform(docs, threads).Nnz);
            log.WriteLine($"| transform (batch) | {threads} | {t:F2} | {docs.Count / t:F0} | {cpu:F2} |");
        }

        var ws = new TfidfWorkspace();
        foreach (var d in docs) fitted.Transform(d, ws);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double cpu0 = CpuSeconds();
        var sw = Stopwatch.StartNew();
        long single = 0;
        foreach (var d in docs) single += fitted.Transform(d, ws).Length;
        sw.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        log.WriteLine($"| transform (one at a time, warm workspace) | 1 | {sw.Elapsed.TotalSeconds:F2} | {docs.Count / sw.Elapsed.TotalSeconds:F0} | {CpuSeconds() - cpu0:F2} |");
        log.WriteLine($"load average at end: {LoadAverage()}");
        log.WriteLine($"bytes allocated by {docs.Count} warm single-document transforms: {allocated}; nnz {nnz}");
        Assert.That(single, Is.EqualTo(nnz));
    }

    /// <summary>Best wall time of two runs, with the process CPU time of that run.</summary>
    private static (double Wall, double Cpu) Best(Action run)
    {
        (double Wall, double Cpu) best = (double.MaxValue, 0);
        for (int i = 0; i < 2; i++)
        {
            double cpu = CpuSeconds();
            var sw = Stopwatch.StartNew();
            run();
            double wall = sw.Elapsed.TotalSeconds;
            if (wall < best.Wall) best = (wall, CpuSeconds() - cpu);
        }
        return best;
    }

    private static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
