using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using XmrEngine.IO;
using XmrEngine.Serving;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// A bounded load on a real loopback Kestrel server while the auto-complete and XR-Linear models are replaced on
/// disk twice each, the second time by broken files: no request fails, and every answer names a complete version.
/// </summary>
public sealed class LoadWithSwapsTests
{
    private const int Clients = 6, RequestsPerClient = 400;
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(90);

    [Test]
    public async Task NoRequestFailsAndOnlyCompleteVersionsAnswerWhileModelsAreSwapped()
    {
        await using var host = await TestHost.StartAsync(kestrel: true);
        var goodXr = new ConcurrentDictionary<string, bool>();
        var goodQac = new ConcurrentDictionary<string, bool>();
        goodXr[host.Registry.Describe("xr")!.Version!] = true;
        goodQac[host.Registry.Describe("qac")!.Version!] = true;
        goodXr[ModelVersions.OfFile(ModelFolder.XLinearVersions[0])] = true;

        var failures = new ConcurrentQueue<string>();
        var seenXr = new ConcurrentDictionary<string, int>();
        var seenQac = new ConcurrentDictionary<string, int>();
        int done = 0;
        // Clients run at least RequestsPerClient each and on until the swapper has seen both swaps take effect under
        // load, so a fast machine cannot finish the load before a reload lands (the swaps are gated on the registry,
        // never on a request count alone).
        bool swapsSeen = false;
        using var stop = new CancellationTokenSource(Cap);
        var clock = Stopwatch.StartNew();

        async Task Client(int id)
        {
            using var http = new HttpClient { BaseAddress = host.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            for (int i = 0; (i < RequestsPerClient || !Volatile.Read(ref swapsSeen)) && !stop.IsCancellationRequested; i++)
            {
                try
                {
                    HttpResponseMessage response = (i + id) % 2 == 0
                        ? await http.GetAsync($"/v1/qac/qac/suggest?prev=context{i % 7}%20alpha{i % 7}&prefix={(char)('a' + i % 4)}", stop.Token)
                        : await http.PostAsJsonAsync("/v1/xlinear/xr/predict",
                            new { rows = new[] { new { indices = new[] { i % 50, 60 + i % 50, 200 }, values = new[] { 0.5f, 0.5f, 0.7f } } } }, stop.Token);
                    string body = await response.Content.ReadAsStringAsync(stop.Token);
                    if (!response.IsSuccessStatusCode)
                    {
                        failures.Enqueue($"{(int)response.StatusCode}: {body}");
                        continue;
                    }
                    using var doc = JsonDocument.Parse(body);
                    string model = doc.RootElement.GetProperty("model").GetString()!, version = doc.RootElement.GetProperty("version").GetString()!;
                    (model == "xr" ? seenXr : seenQac).AddOrUpdate(version, 1, (_, n) => n + 1);
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    failures.Enqueue(e.GetType().Name + ": " + e.Message);
                }
                Interlocked.Increment(ref done);
            }
        }

        async Task Swapper()
        {
            int total = Clients * RequestsPerClient;
            await WaitFor(() => Volatile.Read(ref done) > total / 5);
            // First replacement: good files (a new .xmr by rename, a new saved version of the folder).
            string newXr = ModelVersions.OfFile(ModelFolder.XLinearVersions[0]);
            ModelFolder.ReplaceByRename(ModelFolder.XLinearVersions[0], host.Path("xr.xmr"));
            ModelFolder.OtherQac.Save(host.Path("qac"));
            string newQac = Path.GetFileName(VersionedDirectory.Resolve(host.Path("qac"), "qac.json"));
            goodQac[newQac] = true;
            await WaitFor(() => host.Registry.Describe("xr")!.Version == newXr && host.Registry.Describe("qac")!.Version == newQac);
            await WaitForMoreRequests(total / 4);
            // Second replacement: broken files, which must never serve.
            ModelFolder.ReplaceByTruncatedCopy(ModelFolder.XLinearVersions[1], host.Path("xr.xmr"));
            ModelFolder.PublishBrokenVersion(host.Path("qac"), "qac.json");
            await WaitFor(() => host.Registry.Describe("xr")!.LastError is not null && host.Registry.Describe("qac")!.LastError is not null);
            await WaitForMoreRequests(total / 4);
            Volatile.Write(ref swapsSeen, true);
        }

        async Task WaitForMoreRequests(int count)
        {
            int target = Volatile.Read(ref done) + count;
            await WaitFor(() => Volatile.Read(ref done) >= target);
        }

        async Task WaitFor(Func<bool> condition)
        {
            while (!condition() && !stop.IsCancellationRequested) await Task.Delay(5);
        }

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(Client).Append(Swapper()));
        clock.Stop();

        Assert.That(stop.IsCancellationRequested, Is.False, $"the load did not finish within {Cap}");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(5)));
        Assert.That(done, Is.GreaterThanOrEqualTo(Clients * RequestsPerClient));
        Assert.That(seenXr.Keys, Is.SubsetOf(goodXr.Keys), "every XR-Linear answer came from a complete version");
        Assert.That(seenQac.Keys, Is.SubsetOf(goodQac.Keys), "every auto-complete answer came from a complete version");
        Assert.That(seenXr.Keys, Has.Count.EqualTo(2), "both good XR-Linear versions answered: the swap happened under load");
        Assert.That(seenQac.Keys, Has.Count.EqualTo(2), "both good auto-complete versions answered");
        Assert.That(host.Registry.Describe("xr")!.LastError is not null && host.Registry.Describe("qac")!.LastError is not null,
            "the broken replacements were tried and refused");
        TestContext.Out.WriteLine($"{done} requests from {Clients} clients in {clock.Elapsed.TotalSeconds:F2} s ({done / clock.Elapsed.TotalSeconds:F0}/s) " +
            $"with 2 swaps of each model (1 broken); xr versions {string.Join(", ", seenXr.Select(kv => $"{kv.Key}: {kv.Value}"))}; " +
            $"qac versions {string.Join(", ", seenQac.Select(kv => $"{kv.Key}: {kv.Value}"))}");
    }
}
