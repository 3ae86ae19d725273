using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XmrEngine.Serving;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// A test hook served as a model kind (so it sits behind the engine's authorization, limits and timeouts like every
/// query endpoint): <c>GET /v1/hold</c> enters, says so, and waits until the test releases it or the request is
/// cancelled. It makes "the server is busy" and "the request took too long" deterministic, with no timing guesses.
/// </summary>
internal sealed class HeldRequestKind : IServedModelKind
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered, _cancelled;

    public IModelFormat Format { get; } = new NoFilesFormat();

    /// <summary>Requests that reached the handler.</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>Requests whose wait the server cancelled (a timeout, a client gone).</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>Completes when <paramref name="count"/> requests have reached the handler.</summary>
    public async Task WaitForEntered(int count)
    {
        if (!await TestHost.Eventually(() => Entered >= count, 30)) Assert.Fail($"{count} held request(s) expected in the handler; {Entered} arrived.");
    }

    /// <summary>Lets every held request (and every later one) answer 200.</summary>
    public void Release() => _release.TrySetResult();

    public void MapEndpoints(IEndpointRouteBuilder v1) => v1.MapGet("/hold", async (CancellationToken cancel) =>
    {
        Interlocked.Increment(ref _entered);
        try
        {
            await _release.Task.WaitAsync(cancel);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }
        return Results.Text("released");
    });

    /// <summary>A kind with no files: nothing in the models folder is ever one of it.</summary>
    private sealed class NoFilesFormat : IModelFormat
    {
        public string Kind => "held";

        public string Description => "no files (a test hook)";

        public bool Recognizes(string path) => false;

        public IServableModel Open(string path, ModelOpenOptions options) => throw new InvalidOperationException("a test hook opens no files");
    }
}
