using Microsoft.Extensions.Logging;
using XmrEngine.Serving;

namespace XmrEngine.Hosting;

/// <summary>
/// One named model: the version serving now, and the reloads that replace it. Reloads of one slot run
/// one at a time; leases are taken without a lock. With a <paramref name="source"/> the file only points at the model
/// (a cluster's), and the source opens it.
/// </summary>
internal sealed class ModelSlot(ModelLocation location, ModelFormats formats, ModelOpenOptions open, IModelSource? source, XmrEngineMetrics metrics, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private ServedModel? _current;
    private string? _fingerprint;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private int _reloads;
    private bool _disposed;

    public ModelLocation Location { get; } = location;

    public bool IsLoaded => Volatile.Read(ref _current) is not null;

    /// <summary>Takes a lease on the serving version; false when none has loaded yet.</summary>
    public bool TryLease(out ModelLease? lease)
    {
        while (true)
        {
            var model = Volatile.Read(ref _current);
            if (model is null)
            {
                lease = null;
                return false;
            }
            // A version whose count already reached zero was swapped out before we could take it; the
            // slot then already holds its successor, so reading again makes progress.
            if (model.TryAddReference())
            {
                lease = new ModelLease(model);
                return true;
            }
        }
    }

    /// <summary>
    /// Loads the files if they changed since the last load (or always, with <paramref name="force"/>), and swaps the
    /// new version in when it differs from the serving one. A failed load leaves the serving version in place.
    /// </summary>
    public async Task<ReloadOutcome> ReloadAsync(bool force, CancellationToken cancel)
    {
        await _reloadGate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (_disposed) return ReloadOutcome.Unchanged;
            string fingerprint = ModelVersion.Fingerprint(Location.Path);
            if (!force && fingerprint == _fingerprint) return ReloadOutcome.Unchanged;
            if (ServesVersionOnDisk())
            {
                // Same model, different stat (touched, copied over itself) or an explicit reload with nothing new: a
                // load would allocate and verify the whole model only to find the serving version again.
                _fingerprint = fingerprint;
                metrics.RecordReload(Location.Name, ReloadOutcome.Unchanged);
                return ReloadOutcome.Unchanged;
            }
            ServedModel loaded;
            try
            {
                loaded = await ModelLoader.LoadAsync(Location, formats, open, source, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Remember the broken files' fingerprint so polling does not load them again and again;
                // a change on disk or an explicit reload tries again.
                _fingerprint = fingerprint;
                _lastError = e.Message;
                _lastErrorAt = DateTimeOffset.UtcNow;
                logger.LogError("Model {Model}: loading {Path} failed; {Serving}. {Error}", Location.Name, Location.Path,
                    IsLoaded ? "the previous version keeps serving" : "nothing is served under this name", e.Message);
                metrics.RecordReload(Location.Name, ReloadOutcome.Failed);
                return ReloadOutcome.Failed;
            }
            _fingerprint = fingerprint;
            _lastError = null;
            _lastErrorAt = null;
            var current = Volatile.Read(ref _current);
            if (current is not null && current.Version == loaded.Version)
            {
                loaded.Release();
                metrics.RecordReload(Location.Name, ReloadOutcome.Unchanged);
                return ReloadOutcome.Unchanged;
            }
            var old = Interlocked.Exchange(ref _current, loaded);
            if (old is not null)
            {
                _reloads++;
                old.Release(); // disposed when the last request holding it returns
            }
            logger.LogInformation("Model {Model} ({Kind}): version {Version} serving, {Labels} labels, from {Path}.",
                Location.Name, loaded.Kind, loaded.Version, loaded.LabelCount, Location.Path);
            metrics.RecordReload(Location.Name, ReloadOutcome.Swapped);
            return ReloadOutcome.Swapped;
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>
    /// True when the files on disk hold the version serving now, told from the format's cheap version probe (a model
    /// file's stored hash, a versioned folder's current name). False after a failed load (an explicit reload retries
    /// it), for models opened through a source, and when the format cannot tell without opening.
    /// </summary>
    private bool ServesVersionOnDisk()
    {
        var current = Volatile.Read(ref _current);
        if (current is null || _lastError is not null || source is not null) return false;
        var format = formats.Find(current.Kind);
        return format?.VersionOf(Location.Path) is { } onDisk && onDisk == current.Version;
    }

    public ModelStatus Describe()
    {
        var model = Volatile.Read(ref _current);
        return new ModelStatus(Location.Name, model?.Kind ?? Location.Kind, Location.Path, model is not null, model?.Version,
            model?.LoadedAt, model?.LabelCount ?? 0, Volatile.Read(ref _reloads), _lastError, _lastErrorAt);
    }

    public void Dispose()
    {
        _reloadGate.Wait();
        try
        {
            _disposed = true;
            Interlocked.Exchange(ref _current, null)?.Release();
        }
        finally
        {
            _reloadGate.Release();
        }
    }
}
