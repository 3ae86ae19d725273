using XmrEngine.Serving;

namespace XmrEngine.Hosting;

/// <summary>
/// One loaded version of a model. Reference-counted: the registry holds one reference while the version
/// is current and every request holds one through its <see cref="ModelLease"/>; the version is disposed
/// (a memory-mapped file unmapped) when the last reference goes, so a swap never pulls a model from
/// under a request that is using it.
/// </summary>
public sealed class ServedModel
{
    private int _references = 1;

    internal ServedModel(string name, IServableModel instance)
    {
        Name = name;
        Instance = instance;
        LoadedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The model's name.</summary>
    public string Name { get; }

    /// <summary>
    /// The opened model (what its kind's <see cref="IModelFormat.Open"/> returned: an <see cref="XLinearServingModel"/>,
    /// a product-retrieval or auto-complete model, ...); thread-safe. Valid while the lease that reached it is held.
    /// </summary>
    public IServableModel Instance { get; }

    /// <summary>What it answers: its kind's name (<c>xlinear</c>, <c>products</c>, <c>qac</c>, ...).</summary>
    public string Kind => Instance.Kind;

    /// <summary>Which version of the files this is (<see cref="IServableModel.Version"/>).</summary>
    public string Version => Instance.Version;

    /// <summary>When this version was loaded.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Labels (products, queries) the model ranks.</summary>
    public int LabelCount => Instance.LabelCount;

    /// <summary>Input feature count (XR-Linear; text models report their vectorizer's).</summary>
    public int FeatureCount => Instance.FeatureCount;

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
        if (left == 0) Instance.Dispose();
        else if (left < 0) throw new InvalidOperationException($"Model '{Name}' version {Version} released more often than referenced.");
    }
}
