using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace XmrEngine.Hosting.Blocking;

/// <summary>
/// The served blocklist (<see cref="XmrEngineOptions.BlocklistFile"/>), kept current while the server runs. The file is
/// first read when the engine is registered (<see cref="Read"/>), so a missing or malformed file stops the start with an
/// error naming it, before anything is logged or listens. Afterwards a change (a file-system event, settled as the
/// models' are, or the poll) reads it again; a rewrite that fails to read keeps the previous list, with a warning.
/// </summary>
internal sealed class BlocklistMonitor : BackgroundService
{
    private readonly string? _path;
    private readonly XmrEngineOptions _options;
    private readonly ILogger<BlocklistMonitor> _logger;
    private readonly SemaphoreSlim _changed = new(0);
    private FileSystemWatcher? _watcher;
    private (long Length, DateTime Written)? _read;
    private volatile Blocklist _current;

    private BlocklistMonitor(XmrEngineOptions options, string? path, Blocklist initial, (long, DateTime)? read, ILogger<BlocklistMonitor> logger)
    {
        _options = options;
        _path = path;
        _current = initial;
        _read = read;
        _logger = logger;
    }

    /// <summary>Reads the configured file now (no file: the empty list) and returns a factory for the service.</summary>
    /// <exception cref="XmrEngine.IO.XmrDataException">The file is missing or malformed; the message names it.</exception>
    public static Func<IServiceProvider, BlocklistMonitor> Read(XmrEngineOptions options)
    {
        if (options.BlocklistFile is null)
            return services => new BlocklistMonitor(options, null, Blocklist.Empty, null, services.GetRequiredService<ILogger<BlocklistMonitor>>());
        string path = Path.GetFullPath(options.BlocklistFile);
        var read = Stamp(path);
        var initial = Blocklist.Read(path);
        return services =>
        {
            var logger = services.GetRequiredService<ILogger<BlocklistMonitor>>();
            logger.LogInformation("Blocklist {File}: {Count} entries.", path, initial.Count);
            return new BlocklistMonitor(options, path, initial, read, logger);
        };
    }

    /// <summary>The list in force now (empty when no file is configured).</summary>
    public Blocklist Current => _current;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (_path is null) return;
        await Task.Yield();
        StartWatcher(_path);
        var poll = _options.PollInterval > TimeSpan.Zero ? _options.PollInterval : Timeout.InfiniteTimeSpan;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await _changed.WaitAsync(poll, stopping).ConfigureAwait(false))
                {
                    // An editor's save is several events: wait until none arrived for the settle time.
                    do Drain();
                    while (await _changed.WaitAsync(_options.ChangeSettleTime, stopping).ConfigureAwait(false));
                }
                Refresh(_path);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Reads the file again when its size or time changed since the last read (kept on failure, so a bad file is reported once).</summary>
    private void Refresh(string path)
    {
        var stamp = Stamp(path);
        if (stamp == _read) return;
        _read = stamp;
        try
        {
            var list = Blocklist.Read(path);
            _current = list;
            _logger.LogInformation("Blocklist {File} changed: {Count} entries.", path, list.Count);
        }
        catch (XmrEngine.IO.XmrDataException e)
        {
            _logger.LogWarning("Blocklist not changed, still {Count} entries: {Error}", _current.Count, e.Message);
        }
    }

    private static (long, DateTime)? Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
    }

    private void StartWatcher(string path)
    {
        if (!_options.WatchForChanges) return;
        try
        {
            // The folder is watched, not the file: editors and savers replace a file by rename.
            var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Changed += (_, _) => Signal();
            watcher.Created += (_, _) => Signal();
            watcher.Deleted += (_, _) => Signal();
            watcher.Renamed += (_, _) => Signal();
            watcher.Error += (_, _) => Signal();
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Cannot watch the blocklist {File} ({Error}); relying on polling every {Poll}.", path, e.Message, _options.PollInterval);
        }
    }

    private void Signal()
    {
        try
        {
            if (_changed.CurrentCount < 1) _changed.Release();
        }
        catch (ObjectDisposedException)
        {
            // A file event that arrives while the service shuts down has nothing left to wake.
        }
    }

    private void Drain()
    {
        while (_changed.CurrentCount > 0 && _changed.Wait(0)) { }
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        _changed.Dispose();
        base.Dispose();
    }
}
