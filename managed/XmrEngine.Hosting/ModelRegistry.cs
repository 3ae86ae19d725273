using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using XmrEngine.Serving;

namespace XmrEngine.Hosting;

/// <summary>
/// The named models a service serves. Thread-safe: any number of requests take leases while reloads swap
/// versions; a lease keeps its version alive until disposed.
/// </summary>
/// <example>
/// <code>
/// if (!registry.TryLease("products", out var lease)) return Results.NotFound();
/// using (lease) { var hits = ((ProductRetrievalModel)lease.Model.Instance).Predict("rose of jericho plant", 10); }
/// </code>
/// </example>
public sealed class ModelRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, ModelSlot> _slots = new(StringComparer.Ordinal);
    private readonly XmrEngineOptions _options;

    /// <summary>The options the registry serves (the API reads its paths and limits from them).</summary>
    internal XmrEngineOptions Options => _options;
    private readonly XmrEngineMetrics _metrics;
    private readonly ILogger<ModelRegistry> _logger;
    private readonly TaskCompletionSource _initialLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A registry of <paramref name="options"/>'s models; nothing is loaded until <see cref="LoadAllAsync"/>.</summary>
    public ModelRegistry(XmrEngineOptions options, XmrEngineMetrics metrics, ILogger<ModelRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _metrics = metrics;
        _logger = logger;
        metrics.Registry = this;
        foreach (var location in options.Models) Add(location);
    }

    /// <summary>Completes when the first load of every model found at start has been tried (each loaded or failed).</summary>
    public Task InitialLoad => _initialLoad.Task;

    /// <summary>The configured model names.</summary>
    public IEnumerable<string> Names => _slots.Keys;

    /// <summary>True when every configured model has a serving version.</summary>
    public bool AllLoaded => !_slots.IsEmpty && _slots.Values.All(s => s.IsLoaded);

    /// <summary>
    /// Takes a lease on <paramref name="name"/>'s serving version. False when no model has that name or none of
    /// its versions has loaded; <see cref="Describe(string)"/> tells which.
    /// </summary>
    public bool TryLease(string name, out ModelLease? lease)
    {
        lease = null;
        return _slots.TryGetValue(name, out var slot) && slot.TryLease(out lease);
    }

    /// <summary>The state of every model, by name.</summary>
    public IReadOnlyList<ModelStatus> Describe() => _slots.Values.Select(s => s.Describe()).OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();

    /// <summary>The state of one model, or null when no model has that name.</summary>
    public ModelStatus? Describe(string name) => _slots.TryGetValue(name, out var slot) ? slot.Describe() : null;

    /// <summary>
    /// Loads <paramref name="name"/>'s files again now, verified, and swaps them in if they hold a new version;
    /// null when no model has that name.
    /// </summary>
    public async Task<ReloadOutcome?> ReloadAsync(string name, CancellationToken cancel = default) =>
        _slots.TryGetValue(name, out var slot) ? await slot.ReloadAsync(force: true, cancel).ConfigureAwait(false) : null;

    /// <summary>
    /// Finds models newly placed in <see cref="XmrEngineOptions.ModelsDirectory"/> and loads every model whose
    /// files changed since its last load (all of them the first time).
    /// </summary>
    public async Task LoadAllAsync(CancellationToken cancel = default)
    {
        Discover();
        foreach (var slot in _slots.Values.ToArray())
            await slot.ReloadAsync(force: false, cancel).ConfigureAwait(false);
        _initialLoad.TrySetResult();
    }

    /// <summary>The folders and files whose changes matter: the models folder and every configured model's path.</summary>
    internal IEnumerable<string> WatchedPaths()
    {
        if (_options.ModelsDirectory is not null) yield return Path.GetFullPath(_options.ModelsDirectory);
        foreach (var location in _options.Models) yield return location.Path;
    }

    private void Discover()
    {
        if (_options.ModelsDirectory is null) return;
        string folder = Path.GetFullPath(_options.ModelsDirectory);
        if (!Directory.Exists(folder))
        {
            _logger.LogWarning("Models folder {Folder} does not exist.", folder);
            return;
        }
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith('.')) continue; // savers' temporaries
            var source = entry is FileInfo ? _options.SourceFor(entry.Name) : null;
            string name = source is not null ? entry.Name[..^source.FileSuffix.Length]
                : entry is FileInfo ? Path.GetFileNameWithoutExtension(entry.Name) : entry.Name;
            // Known names first: detecting a folder's kind resolves its versions, which a poll need not redo.
            if (_slots.ContainsKey(name)) continue;
            bool isModel = source is not null || entry switch
            {
                FileInfo f => f.Extension == ".xmr",
                DirectoryInfo d => _options.Formats.Detect(d.FullName) is not null,
                _ => false,
            };
            if (!isModel) continue;
            if (!ModelLocation.IsValidName(name))
            {
                _logger.LogWarning("Skipping {Entry}: '{Name}' is not a usable model name.", entry.FullName, name);
                continue;
            }
            // A source's file names its model's kind only once opened.
            Add(new ModelLocation(name, entry.FullName));
        }
    }

    private void Add(ModelLocation location)
    {
        var open = new ModelOpenOptions { VerifyChecksums = _options.VerifyChecksums };
        var slot = new ModelSlot(location, _options.Formats, open, _options.SourceFor(Path.GetFileName(location.Path)), _metrics, _logger);
        if (!_slots.TryAdd(location.Name, slot)) slot.Dispose();
    }

    /// <summary>Releases every serving version; versions still leased are disposed when their leases are.</summary>
    public void Dispose()
    {
        foreach (var slot in _slots.Values) slot.Dispose();
        _initialLoad.TrySetResult();
    }
}
