namespace XmrEngine.Hosting;

/// <summary>
/// A request's hold on one version of a model: the version stays loaded (and mapped) until the lease is
/// disposed, even if a newer version is swapped in meanwhile. Dispose it exactly when the request is done
/// with the model; disposing twice is harmless.
/// </summary>
public sealed class ModelLease : IDisposable
{
    private ServedModel? _model;

    internal ModelLease(ServedModel model) => _model = model;

    /// <summary>The leased version.</summary>
    /// <exception cref="ObjectDisposedException">The lease was disposed.</exception>
    public ServedModel Model => _model ?? throw new ObjectDisposedException(nameof(ModelLease));

    /// <summary>Returns the version; the last lease of a retired version disposes it.</summary>
    public void Dispose() => Interlocked.Exchange(ref _model, null)?.Release();
}
