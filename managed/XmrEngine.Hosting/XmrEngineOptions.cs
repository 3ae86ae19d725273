using XmrEngine.Hosting.Kinds;
using XmrEngine.Hosting.Security;
using XmrEngine.Hosting.Traffic;
using XmrEngine.Serving;

namespace XmrEngine.Hosting;

/// <summary>What <see cref="XmrEngineServiceCollectionExtensions.AddXmrEngine"/> serves and how.</summary>
public sealed class XmrEngineOptions
{
    private readonly List<ModelLocation> _models = [];
    private readonly List<IModelSource> _sources = [];
    private readonly List<IServedModelKind> _kinds = [new XLinearServedKind(), new ProductServedKind(), new AutoCompleteServedKind()];
    private ModelFormats? _formats;

    /// <summary>
    /// A folder whose entries are served, one model each: every <c>.xmr</c> file (named by its file name
    /// without the extension), every sub-folder that holds a model (named by the folder), and every file a
    /// <see cref="ModelSources">model source</see> claims (named by the file name without the source's suffix). Entries
    /// starting with '.' are ignored: savers write their temporaries there. Null to serve only
    /// <see cref="AddModel"/>'s models.
    /// </summary>
    public string? ModelsDirectory { get; set; }

    /// <summary>
    /// Watch the model files and folders and hot-swap a model when it is replaced on disk [true]. Replace
    /// by rename (as every XmrEngine saver does): a file rewritten in place under a memory-mapped model
    /// changes the pages that model is serving from.
    /// </summary>
    public bool WatchForChanges { get; set; } = true;

    /// <summary>
    /// How often the models are also checked by polling, in case the file system's change notifications
    /// are lost (network file systems, watcher buffer overflow) [5 s]; <see cref="TimeSpan.Zero"/> for never.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait after the last change notification before reloading [200 ms]: a save is several events.</summary>
    public TimeSpan ChangeSettleTime { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Verify every checksum of a memory-mapped XR-Linear file when loading it [true]; off reads no page up front.</summary>
    public bool VerifyChecksums { get; set; } = true;

    /// <summary>
    /// A file of blocked words and phrases, or null for none: one per line (UTF-8; blank lines and lines starting with '#'
    /// skipped), matched case-insensitively as whole words: an answer is blocked when an entry's words appear in it one
    /// after another, with anything that is not a letter or digit between words (so <c>adult</c> blocks
    /// "adult-videos.com" but not "adulthood"). Auto-complete suggestions and product search results drop blocked
    /// answers before the list is cut to the size asked for. The file is read by AddXmrEngine (a missing or
    /// malformed file stops it with an error naming the file and line) and again whenever it changes; a change that
    /// does not read keeps the previous list and logs a warning. XR-Linear predictions are label ids, which it does not touch.
    /// </summary>
    public string? BlocklistFile { get; set; }

    /// <summary>Per-request limits.</summary>
    public ServingLimits Limits { get; } = new();

    /// <summary>Who may call which endpoints: API keys, JWT bearer, and whether queries need a key (all open by default).</summary>
    public ServingSecurity Security { get; } = new();

    /// <summary>Rate limits, the bound on concurrent requests with its queue, and the per-request timeout.</summary>
    public ServingTrafficLimits Traffic { get; } = new();

    /// <summary>Serve an OpenAPI document of the API endpoints at <c>/openapi/v1.json</c> [true].</summary>
    public bool OpenApiDocument { get; set; } = true;

    /// <summary>Export the engine's metrics through OpenTelemetry with a Prometheus scrape endpoint at <c>/metrics</c> [true].</summary>
    public bool PrometheusMetrics { get; set; } = true;

    /// <summary>Serve the web page (product search, prediction, auto-complete) at <c>/</c> [true].</summary>
    public bool WebPage { get; set; } = true;

    /// <summary>
    /// Whether one model without a loaded version holds <c>/readyz</c> at 503 (<see cref="ReadinessRule.AllModels"/>, the
    /// default) or only marks that model (<see cref="ReadinessRule.AnyModel"/>: 200 "Degraded" naming it, while it answers
    /// 503 itself).
    /// </summary>
    public ReadinessRule Readiness { get; set; } = ReadinessRule.AllModels;

    /// <summary>
    /// The kinds of model served: XR-Linear (<c>/v1/xlinear</c>), product retrieval (<c>/v1/products</c>) and
    /// auto-complete (<c>/v1/qac</c>), then any added with <see cref="AddModelKind"/>.
    /// </summary>
    public IReadOnlyList<IServedModelKind> ModelKinds => _kinds;

    /// <summary>
    /// Serves models of <paramref name="kind"/>: its format recognises and opens their files (in the models folder or
    /// added by path) and its endpoints answer them.
    /// </summary>
    /// <exception cref="ArgumentException">A kind of the same name is already served.</exception>
    public XmrEngineOptions AddModelKind(IServedModelKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(kind.Format);
        if (_kinds.Any(k => k.Format.Kind == kind.Format.Kind)) throw new ArgumentException($"A '{kind.Format.Kind}' kind is already served.", nameof(kind));
        _kinds.Add(kind);
        _formats = null;
        return this;
    }

    /// <summary>The served kinds' formats, in the order they were added (the first kind is XR-Linear, the core's own).</summary>
    internal ModelFormats Formats => _formats ??= _kinds.Skip(1).Aggregate(ModelFormats.Core, (list, k) => list.With(k.Format));

    /// <summary>The models added one by one.</summary>
    public IReadOnlyList<ModelLocation> Models => _models;

    /// <summary>The kinds of file that point at models served elsewhere (<see cref="AddModelSource"/>).</summary>
    public IReadOnlyList<IModelSource> ModelSources => _sources;

    /// <summary>
    /// Serves the files ending in <paramref name="source"/>'s suffix (in the models folder, or added by path) through it.
    /// </summary>
    public XmrEngineOptions AddModelSource(IModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _sources.Add(source);
        return this;
    }

    /// <summary>The source whose suffix ends <paramref name="fileName"/>, or null.</summary>
    internal IModelSource? SourceFor(string fileName)
    {
        foreach (var source in _sources)
            if (fileName.Length > source.FileSuffix.Length && fileName.EndsWith(source.FileSuffix, StringComparison.Ordinal)) return source;
        return null;
    }

    /// <summary>Serves the model at <paramref name="path"/> as <paramref name="name"/>; its kind (a kind's name, such as <c>xlinear</c>) is read from the path unless given.</summary>
    public XmrEngineOptions AddModel(string name, string path, string? kind = null)
    {
        _models.Add(new ModelLocation(name, path, kind));
        return this;
    }

    internal void Validate()
    {
        Limits.Validate();
        Security.Validate();
        Traffic.Validate();
        if (ModelsDirectory is null && _models.Count == 0)
            throw new InvalidOperationException("AddXmrEngine: no models: set ModelsDirectory or call AddModel.");
        if (BlocklistFile is not null && string.IsNullOrWhiteSpace(BlocklistFile))
            throw new InvalidOperationException("AddXmrEngine: BlocklistFile is empty; give a file's path, or null for no blocklist.");
        if (PollInterval < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "Must not be negative.");
        if (ChangeSettleTime < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ChangeSettleTime), ChangeSettleTime, "Must not be negative.");
        var suffixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in _sources)
        {
            string suffix = source.FileSuffix;
            if (string.IsNullOrEmpty(suffix) || suffix[0] != '.' || suffix.Length < 2 || suffix.EndsWith(".xmr", StringComparison.Ordinal))
                throw new InvalidOperationException($"AddXmrEngine: model source suffix '{suffix}' must start with '.' and must not claim .xmr files.");
            if (!suffixes.Add(suffix)) throw new InvalidOperationException($"AddXmrEngine: two model sources claim '{suffix}'.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in _models)
            if (!seen.Add(m.Name)) throw new InvalidOperationException($"AddXmrEngine: the model name '{m.Name}' is used twice.");
    }
}
