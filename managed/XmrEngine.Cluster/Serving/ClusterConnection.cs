using Microsoft.Extensions.Hosting;

namespace XmrEngine.Cluster.Serving;

/// <summary>
/// A cluster client host owned by one served model version. Disposing it stops the client in the background:
/// the last request holding the version disposes it, and should not wait for the client's goodbye to the gateways.
/// </summary>
internal sealed class ClusterConnection(IHost host, TimeSpan stopTimeout) : IDisposable
{
    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(stopTimeout);
                await host.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException or InvalidOperationException)
            {
                // The gateways notice a client that left without a word; nothing is lost by not waiting longer.
            }
            finally
            {
                host.Dispose();
            }
        });
    }
}
