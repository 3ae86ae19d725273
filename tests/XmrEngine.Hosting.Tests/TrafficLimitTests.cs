using System.Net;
using XmrEngine.Hosting.Security;
using XmrEngine.Serving;
using XmrEngine.Tests.Support;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// Rate limits, the concurrency bound with its queue, and request timeouts, through a real Kestrel server. Nothing here
/// depends on timing: rates use a bucket that refills once an hour, and busy and slow requests are held open by a test
/// endpoint (<see cref="HeldRequestKind"/>) until the test lets them go.
/// </summary>
public sealed class TrafficLimitTests
{
    private const string KeyA = "key-a-0123456789abcdefXYZ", KeyB = "key-b-0123456789abcdefXYZ";

    [Test]
    public async Task PastTheRatePerAddress_429WithRetryAfter_HealthUnaffected()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.Traffic.RequestsPerPeriodPerAddress = 2;
            o.Traffic.Period = TimeSpan.FromHours(1);
        }, kestrel: true);

        for (int i = 0; i < 2; i++) Assert.That((await host.Client.GetAsync("/v1/models")).StatusCode, Is.EqualTo(HttpStatusCode.OK), $"request {i + 1}");
        var refused = await host.Client.GetAsync("/v1/qac/qac/suggest?prefix=d");
        await AuthenticationTests.ExpectProblem(refused, HttpStatusCode.TooManyRequests, "rate limit");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero), "Retry-After in seconds");
        Assert.That(refused.Headers.RetryAfter!.Delta!.Value, Is.LessThanOrEqualTo(TimeSpan.FromHours(1)));
        Assert.That((await host.Client.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "health checks are not limited");
    }

    [Test]
    public async Task PastTheRatePerKey_OnlyThatKeyIsRefused()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.Security.AddApiKey(ApiRoles.Query, KeyA).AddApiKey(ApiRoles.Query, KeyB);
            o.Traffic.RequestsPerPeriodPerKey = 1;
            o.Traffic.Period = TimeSpan.FromHours(1);
        }, kestrel: true);

        Assert.That((await AuthenticationTests.Send(host, HttpMethod.Get, "/v1/models", KeyA)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var refused = await AuthenticationTests.Send(host, HttpMethod.Get, "/v1/models", KeyA);
        await AuthenticationTests.ExpectProblem(refused, HttpStatusCode.TooManyRequests, "rate limit");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero));
        Assert.That((await AuthenticationTests.Send(host, HttpMethod.Get, "/v1/models", KeyB)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "another key has its own bucket");
    }

    [Test]
    public async Task AllSlotsAndTheQueueTaken_503WithRetryAfter_ThenServedAgain()
    {
        var held = new HeldRequestKind();
        await using var host = await TestHost.StartAsync(o =>
        {
            o.AddModelKind(held);
            o.Traffic.MaxConcurrentRequests = 1;
            o.Traffic.QueueLimit = 1;
            o.Traffic.BusyRetryAfter = TimeSpan.FromSeconds(7);
        }, kestrel: true);

        var first = host.Client.GetAsync("/v1/hold");
        await held.WaitForEntered(1);
        // Two more while the slot is held: whichever arrives first takes the queue's one place, the other is shed at
        // once (which one is up to the network, so the test does not guess).
        var second = host.Client.GetAsync("/v1/hold");
        var third = host.Client.GetAsync("/v1/hold");
        var shedTask = await Task.WhenAny(second, third);
        var queued = shedTask == second ? third : second;
        var shed = await shedTask;
        await AuthenticationTests.ExpectProblem(shed, HttpStatusCode.ServiceUnavailable, "request slots");
        Assert.That(shed.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(queued.IsCompleted, Is.False, "the other waits in the queue");
        Assert.That(held.Entered, Is.EqualTo(1), "the queued request has not run yet");

        held.Release();
        Assert.That((await first).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await queued).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the queued request ran once a slot was free");
        Assert.That(held.Entered, Is.EqualTo(2));
        Assert.That((await host.Client.GetAsync("/v1/models")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await host.Client.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task NoQueue_TheSecondConcurrentRequestIsShed()
    {
        var held = new HeldRequestKind();
        await using var host = await TestHost.StartAsync(o =>
        {
            o.AddModelKind(held);
            o.Traffic.MaxConcurrentRequests = 1;
            o.Traffic.QueueLimit = 0;
        }, kestrel: true);

        var first = host.Client.GetAsync("/v1/hold");
        await held.WaitForEntered(1);
        var shed = await host.Client.GetAsync("/v1/qac/qac/suggest?prefix=d");
        await AuthenticationTests.ExpectProblem(shed, HttpStatusCode.ServiceUnavailable, "request slots");
        Assert.That(shed.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)), "the default Retry-After");
        held.Release();
        Assert.That((await first).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ARequestOverTheTimeLimit_IsCancelledAndAnswered504()
    {
        var held = new HeldRequestKind();
        await using var host = await TestHost.StartAsync(o =>
        {
            o.AddModelKind(held);
            o.Traffic.RequestTimeout = TimeSpan.FromMilliseconds(200);
        }, kestrel: true);

        // Never released: only the server's timeout ends it (the client waits far longer).
        host.Client.Timeout = TimeSpan.FromSeconds(60);
        var response = await host.Client.GetAsync("/v1/hold");
        await AuthenticationTests.ExpectProblem(response, HttpStatusCode.GatewayTimeout, "0.2 s");
        Assert.That(held.Cancelled, Is.EqualTo(1), "the handler's work was cancelled, not left running");
        Assert.That((await host.Client.GetAsync("/v1/models")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "quick requests are unaffected");
    }

    [Test]
    public async Task TheTimeoutsCancellation_ReachesThePredictionsRowLoop()
    {
        // The endpoint passes the request's token (the one the timeout cancels) to PredictAsync, which checks it
        // between the rows of a batch: a cancelled request stops instead of finishing the batch.
        using var dir = new TempDir();
        ModelFolder.CopyTo(dir.Path);
        using var model = XLinearServingModel.Open(Path.Combine(dir.Path, "xr.xmr"));
        var rows = Enumerable.Range(0, 50).Select(r => (new[] { r % ModelFolder.Features }, new[] { 1f })).ToArray();
        Assert.That(await model.PredictAsync(rows, null, CancellationToken.None), Has.Length.EqualTo(50));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        Assert.That(() => model.PredictAsync(rows, null, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
