namespace XmrEngine.Serving;

/// <summary>
/// One kind of saved model: how to recognise its files and how to open them. The core defines the XR-Linear
/// format (<see cref="XLinearModelFormat"/>); application assemblies define theirs beside their model type. Front ends
/// never look inside a model's files themselves: they ask a <see cref="ModelFormats"/> list.
/// </summary>
public interface IModelFormat
{
    /// <summary>The kind's short name: a path segment in HTTP routes and a label in metrics (for example <c>xlinear</c>).</summary>
    string Kind { get; }

    /// <summary>What the files look like, for an error that lists every format (for example "an .xmr file").</summary>
    string Description { get; }

    /// <summary>
    /// True when <paramref name="path"/> holds a model of this kind, judged from names and marker files only (no
    /// content is validated); never throws for a missing or unreadable path.
    /// </summary>
    bool Recognizes(string path);

    /// <summary>Opens and verifies the model at <paramref name="path"/>.</summary>
    /// <exception cref="IO.XmrDataException">The files are malformed, truncated or fail a checksum; names the file.</exception>
    /// <exception cref="IOException">The files are missing or unreadable.</exception>
    IServableModel Open(string path, ModelOpenOptions options);

    /// <summary>
    /// The version the model at <paramref name="path"/> would have once opened (<see cref="IServableModel.Version"/>),
    /// told without opening it: a model file's stored hash, a versioned folder's current version name. A server asked
    /// to reload compares it with the serving version and skips a load that would give the same model. Null (the
    /// default) when the format cannot tell without opening, or when the files are missing or unreadable; never throws.
    /// </summary>
    string? VersionOf(string path) => null;
}
