using XmrEngine.Sparse;
using XmrEngine.IO;

namespace XmrEngine.Text;

/// <summary>
/// A fitted TF-IDF vectorizer (PECOS's base vectorizer): a vocabulary of n-gram terms numbered in ordinal
/// string order, each with its idf. A document's row holds, for each known term t,
/// <c>tf'(t) x idf(t)</c> scaled to the configured norm, where tf' is the count (or the position-weighted
/// count), replaced by 1 when <see cref="TfidfOptions.Binary"/> and by <c>1 + ln tf</c> when
/// <see cref="TfidfOptions.SublinearTf"/>. Terms with value 0 (idf 0 under PECOS's formula) are left out.
/// Immutable and safe to use from many threads; each thread needs its own <see cref="TfidfWorkspace"/>.
/// </summary>
public sealed class TfidfVectorizer : ITextVectorizer
{
    private readonly string[] _terms;
    private readonly float[] _idf;
    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal TfidfVectorizer(TfidfOptions options, string[] terms, float[] idf, long documentCount)
    {
        Options = options;
        _terms = terms;
        _idf = idf;
        DocumentCount = documentCount;
        _vocabulary = new Dictionary<string, int>(terms.Length); // default comparer: see DocumentFrequencyCounter
        for (int i = 0; i < terms.Length; i++)
            if (!_vocabulary.TryAdd(terms[i], i)) throw new ArgumentException($"Term {i} (\"{terms[i]}\") repeats an earlier term.", nameof(terms));
        _lookup = _vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The settings it was fitted with.</summary>
    public TfidfOptions Options { get; }

    /// <summary>Number of documents it was fitted on (the N of idf).</summary>
    public long DocumentCount { get; }

    /// <inheritdoc/>
    public int FeatureCount => _terms.Length;

    /// <summary>The terms, indexed by feature id.</summary>
    public IReadOnlyList<string> Terms => _terms;

    /// <summary>The idf of each feature id.</summary>
    public ReadOnlySpan<float> Idf => _idf;

    /// <summary>Looks a term up (exactly as analysed: lower-cased, words joined by single spaces).</summary>
    public bool TryGetFeatureId(ReadOnlySpan<char> term, out int id) => _lookup.TryGetValue(term, out id);

    /// <summary>Fits on documents, read once in a single streaming pass.</summary>
    /// <param name="documents">The corpus; a null element is an error naming its index.</param>
    /// <param name="options">The settings; validated first.</param>
    /// <param name="threads">Worker count; zero or negative uses every processor. The result never depends on it.</param>
    /// <exception cref="ArgumentException">Invalid options, a null document or an empty corpus.</exception>
    public static TfidfVectorizer Fit(IEnumerable<string> documents, TfidfOptions options, int threads = -1)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TfidfFitter.Fit(documents, [options], threads)[0];
    }

    /// <summary>Fits on a UTF-8 text file with one document per line (see <see cref="TextLines.Read"/>).</summary>
    public static TfidfVectorizer FitFile(string path, TfidfOptions options, int threads = -1) =>
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
        TransformInto(text, workspace, workspace.Base);
        return workspace.Base.View;
    }

    /// <inheritdoc/>
    public CsrMatrix Transform(IEnumerable<string> documents, int threads = -1) =>
        BatchTransformer.Transform(this, documents, threads);

    /// <summary>Transforms every line of a UTF-8 text file (see <see cref="TextLines.Read"/>).</summary>
    public CsrMatrix TransformFile(string path, int threads = -1) => Transform(TextLines.Read(path), threads);

    /// <inheritdoc/>
    public void Save(string path) => TfidfModelFile.Save(path, this);

    /// <summary>Loads a vectorizer written by <see cref="Save"/>.</summary>
    /// <exception cref="XmrDataException">The file is not a single TF-IDF vectorizer or is damaged; the
    /// message names the file and what is wrong.</exception>
    public static TfidfVectorizer Load(string path) =>
        TfidfModelFile.Load(path) as TfidfVectorizer
        ?? throw new XmrDataException(path, null, null, null, "holds a combined vectorizer; load it with CombinedTfidfVectorizer.Load.");

    /// <summary>Writes the row of <paramref name="text"/> into <paramref name="output"/>: sorted ids, final values.</summary>
    internal void TransformInto(ReadOnlySpan<char> text, TfidfWorkspace ws, FeatureBuffer output)
    {
        var occurrences = ws.Terms;
        occurrences.Clear();
        var sink = new LookupSink(this, occurrences);
        NgramAnalyzer.Analyze(text, Options, ws.Scratch, ref sink);

        var ids = occurrences.IndexSpan;
        var weights = occurrences.ValueSpan;
        ids.Sort(weights);
        output.Clear();
        output.EnsureCapacity(ids.Length);
        var o = Options;
        for (int k = 0; k < ids.Length;)
        {
            int id = ids[k];
            double tf = 0;
            for (; k < ids.Length && ids[k] == id; k++) tf += weights[k];
            double v = o.Binary ? 1.0 : tf;
            if (o.SublinearTf) v = 1.0 + Math.Log(v);
            if (o.UseIdf) v *= _idf[id];
            if (v != 0) output.Add(id, (float)v);
        }
        Normalize(output.ValueSpan, o.Norm);
    }

    internal static void Normalize(Span<float> values, TfidfNorm norm)
    {
        if (norm == TfidfNorm.L1) SparseOps.NormalizeInPlace(values, RowNorm.L1);
        else if (norm == TfidfNorm.L2) SparseOps.NormalizeInPlace(values, RowNorm.L2);
    }

    private readonly struct LookupSink(TfidfVectorizer owner, FeatureBuffer occurrences) : INgramSink
    {
        public void Add(ReadOnlySpan<char> term, int position)
        {
            if (owner._lookup.TryGetValue(term, out int id))
                occurrences.Add(id, owner.Options.PositionWeighted ? 1f / (position + 1f) : 1f);
        }
    }
}
