using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace XmrEngine.Hosting;

/// <summary>
/// Loads the models when the service starts, then keeps them current: file-system notifications (settled
/// for <see cref="XmrEngineOptions.ChangeSettleTime"/>, since one save is several events) and a slow poll
/// both lead to <see cref="ModelRegistry.LoadAllAsync"/>, which reloads only what changed on disk.
/// </summary>
internal sealed class ModelWatcherService(ModelRegistry registry, XmrEngineOptions options, ILogger<ModelWatcherService> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0);
    private readonly List<FileSystemWatcher> _watchers = [];

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        // Off the start-up path: the server answers (and /readyz says "not ready") while big models load.
        await Task.Yield();
        if (options.WatchForChanges) StartWatchers();
        await Refresh(stopping).ConfigureAwait(false);
        var poll = options.PollInterval > TimeSpan.Zero ? options.PollInterval : Timeout.InfiniteTimeSpan;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await _changed.WaitAsync(poll, stopping).ConfigureAwait(false))
                {
                    // Let the save finish: wait until no event arrived for the settle time.
                    do Drain();
                    while (await _changed.WaitAsync(options.ChangeSettleTime, stopping).ConfigureAwait(false));
                }
                await Refresh(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task Refresh(CancellationToken stopping)
    {
        try
        {
            await registry.LoadAllAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Checking the models for changes failed; trying again at the next change or poll.");
        }
    }

    private void Drain()
    {
        while (_changed.CurrentCount > 0 && _changed.Wait(0)) { }
    }

    private void StartWatchers()
    {
        foreach (string path in registry.WatchedPaths().Distinct())
        {
            // A model replaced by rename is an event in its parent folder; a saved folder's new version is an
            // event inside it. Watch the folder itself recursively, and a model's parent for its renames.
            if (Directory.Exists(path)) Watch(path, recursive: true);
            string? parent = Path.GetDirectoryName(path.TrimEnd('/'));
            if (parent is not null && Directory.Exists(parent)) Watch(parent, recursive: false);
        }
    }

    private void Watch(string folder, bool recursive)
    {
        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = recursive,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Changed += (_, _) => Signal();
            watcher.Created += (_, _) => Signal();
            watcher.Deleted += (_, _) => Signal();
            watcher.Renamed += (_, _) => Signal();
            watcher.Error += (_, e) =>
            {
                logger.LogWarning(e.GetException(), "Watching {Folder} lost events; checking every model.", folder);
                Signal();
            };
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // inotify limits and the like: polling still finds the changes.
            logger.LogWarning("Cannot watch {Folder} ({Error}); relying on polling every {Poll}.", folder, e.Message, options.PollInterval);
        }
    }

    private void Signal()
    {
        if (_changed.CurrentCount < 1) _changed.Release();
    }

    public override void Dispose()
    {
        foreach (var w in _watchers) w.Dispose();
        _watchers.Clear();
        base.Dispose();
    }
}
