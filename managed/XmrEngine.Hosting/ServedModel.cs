using XmrEngine.Apps.AutoComplete;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Inference;
using XmrEngine.Sharding;

namespace XmrEngine.Hosting;

/// <summary>
/// One loaded version of a model. Reference-counted: the registry holds one reference while the version
/// is current and every request holds one through its <see cref="ModelLease"/>; the version is disposed
/// (a memory-mapped file unmapped) when the last reference goes, so a swap never pulls a model from
/// under a request that is using it.
/// </summary>
public sealed class ServedModel
{
    private readonly IDisposable? _owned;
    private int _references = 1;

    internal ServedModel(string name, ModelKind kind, string version, int labelCount, int featureCount,
        XLinearPredictor? xlinear, ShardedPredictor? sharded, ProductRetrievalModel? products, QacModel? qac, IDisposable? owned)
    {
        Name = name;
        Kind = kind;
        Version = version;
        LabelCount = labelCount;
        FeatureCount = featureCount;
        XLinear = xlinear;
        Sharded = sharded;
        Products = products;
        AutoComplete = qac;
        _owned = owned;
        LoadedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The model's name.</summary>
    public string Name { get; }

    /// <summary>What it answers.</summary>
    public ModelKind Kind { get; }

    /// <summary>
    /// Which version of the files this is: the XxHash64 of an <c>.xmr</c> file (from its trailer), the version
    /// folder of a saved product or auto-complete directory, or a content hash of a PECOS directory.
    /// </summary>
    public string Version { get; }

    /// <summary>When this version was loaded.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Labels (products, queries) the model ranks.</summary>
    public int LabelCount { get; }

    /// <summary>Input feature count (XR-Linear; text models report their vectorizer's).</summary>
    public int FeatureCount { get; }

    /// <summary>The predictor of an <see cref="ModelKind.XLinear"/> model held in this process; thread-safe.</summary>
    public XLinearPredictor? XLinear { get; }

    /// <summary>
    /// The router of an <see cref="ModelKind.XLinear"/> model whose shards are served elsewhere (an <see cref="IModelSource"/>,
    /// such as a cluster), when <see cref="XLinear"/> is null; thread-safe, and answers as the unsharded model does.
    /// </summary>
    public ShardedPredictor? Sharded { get; }

    /// <summary>The model of a <see cref="ModelKind.ProductRetrieval"/> directory; thread-safe.</summary>
    public ProductRetrievalModel? Products { get; }

    /// <summary>The model of an <see cref="ModelKind.AutoComplete"/> directory; thread-safe.</summary>
    public QacModel? AutoComplete { get; }

    /// <summary>True once the last reference is gone and the model disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _references) == 0;

    /// <summary>Takes a reference unless the version is already gone (its count reached zero).</summary>
    internal bool TryAddReference()
    {
        int seen = Volatile.Read(ref _references);
        while (seen > 0)
        {
            int was = Interlocked.CompareExchange(ref _references, seen + 1, seen);
            if (was == seen) return true;
            seen = was;
        }
        return false;
    }

    /// <summary>Drops a reference; the last one disposes the model.</summary>
    internal void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left == 0) _owned?.Dispose();
        else if (left < 0) throw new InvalidOperationException($"Model '{Name}' version {Version} released more often than referenced.");
    }
}
