namespace XmrEngine.Serving;

/// <summary>
/// A model opened for answering queries, of any kind (XR-Linear, product retrieval, auto-complete, or a kind an
/// application adds). Each kind owns how its raw input is prepared and checked, so every front end (library, CLI,
/// HTTP server, cluster) that answers through it answers identically. Implementations are safe to query from many
/// threads at once; <see cref="IDisposable.Dispose"/> releases the files (unmaps a memory-mapped model).
/// </summary>
public interface IServableModel : IDisposable
{
    /// <summary>The kind's name, as its <see cref="IModelFormat.Kind"/> says (for example <c>xlinear</c>).</summary>
    string Kind { get; }

    /// <summary>
    /// Which version of the files this is: equal versions are the same model. A content hash for files and plain
    /// folders, the version folder's name for folders saved as versions.
    /// </summary>
    string Version { get; }

    /// <summary>Labels (products, queries) the model ranks.</summary>
    int LabelCount { get; }

    /// <summary>Input feature count (text models report their vectorizer's).</summary>
    int FeatureCount { get; }
}
