using XmrEngine.Sparse;
using XmrEngine.IO;

namespace XmrEngine.Text;

/// <summary>
/// Several fitted base vectorizers whose rows are placed side by side (base 0's columns first) and scaled
/// again to <see cref="Norm"/> (PECOS's <c>tfidf</c> vectorizer with <c>base_vect_configs</c>). As in PECOS,
/// a single base whose norm already equals <see cref="Norm"/> is not scaled twice. Immutable and thread-safe.
/// </summary>
public sealed class CombinedTfidfVectorizer : ITextVectorizer
{
    private readonly TfidfVectorizer[] _bases;
    private readonly int[] _offsets;

    /// <summary>Combines already fitted vectorizers.</summary>
    /// <exception cref="ArgumentException">No bases, or more than 2^31 - 1 columns in total.</exception>
    public CombinedTfidfVectorizer(IReadOnlyList<TfidfVectorizer> bases, TfidfNorm norm)
    {
        ArgumentNullException.ThrowIfNull(bases);
        if (bases.Count == 0) throw new ArgumentException("A combined vectorizer needs at least one base.", nameof(bases));
        if (!Enum.IsDefined(norm)) throw new ArgumentException($"Unknown norm {(int)norm}.", nameof(norm));
        _bases = [.. bases];
        _offsets = new int[_bases.Length + 1];
        for (int i = 0; i < _bases.Length; i++)
        {
            if (_bases[i] is null) throw new ArgumentException($"Base {i} is null.", nameof(bases));
            long next = (long)_offsets[i] + _bases[i].FeatureCount;
            if (next > int.MaxValue) throw new ArgumentException($"The bases have more than {int.MaxValue} features in total.", nameof(bases));
            _offsets[i + 1] = (int)next;
        }
        Norm = norm;
    }

    /// <summary>The base vectorizers, in column order.</summary>
    public IReadOnlyList<TfidfVectorizer> Bases => _bases;

    /// <summary>The norm of the concatenated row.</summary>
    public TfidfNorm Norm { get; }

    /// <inheritdoc/>
    public int FeatureCount => _offsets[^1];

    /// <summary>The first output column of base <paramref name="baseIndex"/>.</summary>
    public int FeatureOffset(int baseIndex) => _offsets[baseIndex];

    /// <summary>The settings as <see cref="CombinedTfidfOptions"/>.</summary>
    public CombinedTfidfOptions Options => new() { Bases = [.. _bases.Select(b => b.Options)], Norm = Norm };

    /// <summary>Fits every base in one streaming pass over <paramref name="documents"/>.</summary>
    /// <param name="documents">The corpus; a null element is an error naming its index.</param>
    /// <param name="options">The settings; validated first.</param>
    /// <param name="threads">Worker count; zero or negative uses every processor. The result never depends on it.</param>
    public static CombinedTfidfVectorizer Fit(IEnumerable<string> documents, CombinedTfidfOptions options, int threads = -1)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new CombinedTfidfVectorizer(TfidfFitter.Fit(documents, options.Bases, threads), options.Norm);
    }

    /// <summary>Fits from PECOS-shaped config JSON (see <see cref="CombinedTfidfOptions.FromJson"/>).</summary>
    public static CombinedTfidfVectorizer Fit(IEnumerable<string> documents, string configJson, int threads = -1) =>
        Fit(documents, CombinedTfidfOptions.FromJson(configJson), threads);

    /// <summary>Fits on a UTF-8 text file with one document per line (see <see cref="TextLines.Read"/>).</summary>
    public static CombinedTfidfVectorizer FitFile(string path, CombinedTfidfOptions options, int threads = -1) =>
        Fit(TextLines.Read(path), options, threads);

    /// <summary>Transforms one document; see <see cref="ITextVectorizer.Transform(ReadOnlySpan{char}, TfidfWorkspace)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public SparseVector Transform(string text, TfidfWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Transform(text.AsSpan(), workspace);
    }

    /// <inheritdoc/>
    public SparseVector Transform(ReadOnlySpan<char> text, TfidfWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var row = workspace.Combined;
        row.Clear();
        for (int b = 0; b < _bases.Length; b++)
        {
            _bases[b].TransformInto(text, workspace, workspace.Base);
            var part = workspace.Base;
            row.EnsureCapacity(row.Count + part.Count);
            int offset = _offsets[b];
            for (int k = 0; k < part.Count; k++) row.Indices[row.Count + k] = part.Indices[k] + offset;
            part.ValueSpan.CopyTo(row.Values.AsSpan(row.Count));
            row.Count += part.Count;
        }
        if (_bases.Length > 1 || _bases[0].Options.Norm != Norm) TfidfVectorizer.Normalize(row.ValueSpan, Norm);
        return row.View;
    }

    /// <inheritdoc/>
    public CsrMatrix Transform(IEnumerable<string> documents, int threads = -1) =>
        BatchTransformer.Transform(this, documents, threads);

    /// <summary>Transforms every line of a UTF-8 text file (see <see cref="TextLines.Read"/>).</summary>
    public CsrMatrix TransformFile(string path, int threads = -1) => Transform(TextLines.Read(path), threads);

    /// <inheritdoc/>
    public void Save(string path) => TfidfModelFile.Save(path, this);

    /// <summary>
    /// Loads a vectorizer written by <see cref="Save"/>, or a single <see cref="TfidfVectorizer"/>'s file
    /// (wrapped as one base with that base's norm, as PECOS does).
    /// </summary>
    /// <exception cref="XmrDataException">The file is damaged; the message names the file and what is wrong.</exception>
    public static CombinedTfidfVectorizer Load(string path) => TfidfModelFile.Load(path) switch
    {
        CombinedTfidfVectorizer c => c,
        TfidfVectorizer v => new CombinedTfidfVectorizer([v], v.Options.Norm),
        var other => throw new XmrDataException(path, null, null, null, $"unexpected vectorizer kind {other.GetType().Name}."),
    };
}
