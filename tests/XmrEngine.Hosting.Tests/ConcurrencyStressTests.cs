using System.Collections.Concurrent;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Inference;
using XmrEngine.Persistence;
using XmrEngine.Tests.Support;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// 32 threads query one shared model of each kind for a bounded time while another thread keeps replacing it
/// (a memory-mapped predictor is disposed after each replacement): every answer equals the serial answer, and the
/// only exception ever seen is the documented <see cref="ObjectDisposedException"/> of a disposed mapped predictor.
/// </summary>
public sealed class ConcurrencyStressTests
{
    private const int Threads = 32;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

    /// <summary>Runs <paramref name="query"/> on <paramref name="Threads"/> threads until the time is up, while <paramref name="replace"/> runs on one more.</summary>
    private static (long Queries, int Disposed, List<string> Failures) Stress(int cases, Func<int, string?> query, Action replace)
    {
        var failures = new ConcurrentQueue<string>();
        long queries = 0;
        int disposed = 0;
        using var stop = new CancellationTokenSource(Duration);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var rng = new Random(t);
            while (!stop.IsCancellationRequested)
            {
                int i = rng.Next(cases);
                try
                {
                    if (query(i) is { } mismatch) failures.Enqueue(mismatch);
                    Interlocked.Increment(ref queries);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref disposed); // documented: a call on a predictor disposed meanwhile
                }
                catch (Exception e)
                {
                    failures.Enqueue($"{e.GetType().Name}: {e.Message}");
                }
            }
        }) { IsBackground = true }).ToList();
        var replacer = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    replace();
                }
                catch (Exception e)
                {
                    failures.Enqueue($"replacing: {e.GetType().Name}: {e.Message}");
                }
                Thread.Sleep(20);
            }
        }) { IsBackground = true };
        workers.ForEach(w => w.Start());
        replacer.Start();
        workers.ForEach(w => Assert.That(w.Join(TimeSpan.FromSeconds(60)), Is.True, "a worker hung"));
        Assert.That(replacer.Join(TimeSpan.FromSeconds(60)), Is.True, "the replacer hung");
        return (queries, disposed, failures.ToList());
    }

    private static string Key(ScoredLabel[] labels) => string.Join(' ', labels.Select(l => $"{l.Label}:{BitConverter.SingleToInt32Bits(l.Score)}"));

    [Test]
    public void XLinearReadAndMappedPredictorsUnderReplacement()
    {
        using var dir = new TempDir();
        ModelFolder.CopyTo(dir.Path);
        string path = dir.File("xr.xmr");
        var read = new XLinearPredictor(XLinearModelFile.Load(path));
        var rows = RandomSparse.Csr(200, ModelFolder.Features, 0.04, seed: 17);
        var serial = Enumerable.Range(0, rows.Rows).Select(i => Key(read.Predict(rows.Row(i).Indices, rows.Row(i).Values))).ToArray();
        XLinearPredictor mapped = XLinearModelFile.OpenMapped(path);
        var (queries, disposed, failures) = Stress(rows.Rows * 2, i =>
        {
            int r = i % rows.Rows;
            // Half the calls on the read-loaded predictor, half on whichever mapped one is current.
            var predictor = i < rows.Rows ? read : Volatile.Read(ref mapped);
            string got = Key(predictor.Predict(rows.Row(r).Indices, rows.Row(r).Values));
            return got == serial[r] ? null : $"row {r}: {got} != {serial[r]}";
        }, () =>
        {
            var fresh = XLinearModelFile.OpenMapped(path);
            Interlocked.Exchange(ref mapped, fresh).Dispose();
        });
        mapped.Dispose();
        TestContext.Out.WriteLine($"xlinear: {queries} queries on {Threads} threads, {disposed} hit a disposed mapped predictor, {failures.Count} failures");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(5)));
        Assert.That(queries, Is.GreaterThan(1000));
    }

    [Test]
    public void QacAndProductModelsUnderReplacement()
    {
        using var dir = new TempDir();
        ModelFolder.CopyTo(dir.Path);
        var qac = QacModel.Load(dir.File("qac"));
        var shop = ProductRetrievalModel.Load(dir.File("shop"));
        var cases = Enumerable.Range(0, 40).Select(i => ($"context{i % 9} alpha{i % 9}", ((char)('a' + i % 4)).ToString())).ToArray();
        string QacKey(QacModel m, int i) => string.Join('|', m.Suggest(cases[i].Item1, cases[i].Item2).Select(s => $"{s.Query}:{BitConverter.SingleToInt32Bits(s.Score)}:{s.Source}"));
        var items = ModelFolder.Catalog.Items;
        string ShopKey(ProductRetrievalModel m, int i) => string.Join('|', m.Predict(items[i % items.Length], 10).Select(p => $"{p.Id}:{BitConverter.SingleToInt32Bits(p.Score)}"));
        var serialQac = Enumerable.Range(0, cases.Length).Select(i => QacKey(qac, i)).ToArray();
        var serialShop = Enumerable.Range(0, cases.Length).Select(i => ShopKey(shop, i)).ToArray();
        var (queries, _, failures) = Stress(cases.Length * 2, i =>
        {
            int c = i % cases.Length;
            if (i < cases.Length)
            {
                string got = QacKey(Volatile.Read(ref qac), c);
                return got == serialQac[c] ? null : $"qac case {c}: {got} != {serialQac[c]}";
            }
            string hits = ShopKey(Volatile.Read(ref shop), c);
            return hits == serialShop[c] ? null : $"product case {c}: {hits} != {serialShop[c]}";
        }, () =>
        {
            Volatile.Write(ref qac, QacModel.Load(dir.File("qac")));
            Volatile.Write(ref shop, ProductRetrievalModel.Load(dir.File("shop")));
        });
        TestContext.Out.WriteLine($"qac + products: {queries} queries on {Threads} threads, {failures.Count} failures");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(5)));
        Assert.That(queries, Is.GreaterThan(1000));
    }
}
