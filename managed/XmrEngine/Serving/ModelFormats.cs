namespace XmrEngine.Serving;

/// <summary>
/// The kinds of model a program can open, in the order they are asked: the one place that turns a path into an
/// opened model. The core's list holds the XR-Linear format; an application adds its own formats with
/// <see cref="With"/>. Immutable and thread-safe.
/// </summary>
/// <example>
/// <code>
/// var formats = ModelFormats.Core.With(ProductRetrievalModel.Format).With(QacModel.Format);
/// using var model = formats.Open("models/shop");
/// </code>
/// </example>
public sealed class ModelFormats
{
    private readonly IModelFormat[] _formats;

    private ModelFormats(IModelFormat[] formats) => _formats = formats;

    /// <summary>The core's formats: XR-Linear (an <c>.xmr</c> file, a PECOS XLinearModel directory, a sharded directory).</summary>
    public static ModelFormats Core { get; } = new([XLinearModelFormat.Instance]);

    /// <summary>The formats, in the order they are asked.</summary>
    public IReadOnlyList<IModelFormat> All => _formats;

    /// <summary>This list with <paramref name="format"/> added after the others.</summary>
    /// <exception cref="ArgumentException">A format of the same kind is already in the list.</exception>
    public ModelFormats With(IModelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentException.ThrowIfNullOrEmpty(format.Kind);
        if (Find(format.Kind) is not null) throw new ArgumentException($"A '{format.Kind}' format is already in the list.", nameof(format));
        return new ModelFormats([.. _formats, format]);
    }

    /// <summary>The format of kind <paramref name="kind"/>, or null.</summary>
    public IModelFormat? Find(string kind) => Array.Find(_formats, f => string.Equals(f.Kind, kind, StringComparison.Ordinal));

    /// <summary>
    /// The format of the model at <paramref name="path"/>: app folders (marked by their own files) are asked
    /// before the XR-Linear format, whose PECOS directories are recognised by a file any folder could hold.
    /// Null when none recognises it.
    /// </summary>
    public IModelFormat? Detect(string path)
    {
        for (int i = _formats.Length - 1; i >= 0; i--)
            if (_formats[i].Recognizes(path)) return _formats[i];
        return null;
    }

    /// <summary>Opens the model at <paramref name="path"/> with the format that recognises it.</summary>
    /// <param name="path">A model file or folder.</param>
    /// <param name="options">How to open it; null for <see cref="ModelOpenOptions.Default"/>.</param>
    /// <exception cref="IOException">Nothing at the path is a model of a listed kind (the message lists them).</exception>
    /// <exception cref="IO.XmrDataException">The files are malformed, truncated or fail a checksum.</exception>
    public IServableModel Open(string path, ModelOpenOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = Detect(path) ?? throw new IOException(
            $"{path}: holds no model ({string.Join("; or ", _formats.Select(f => f.Description))}).");
        return format.Open(path, options ?? ModelOpenOptions.Default);
    }
}
