using XmrEngine.Sparse;
using XmrEngine.Text;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Input features of session-aware auto-completion (Yadav et al., KDD 2021): word TF-IDF of the previous
/// query side by side with position-weighted character 1..3-gram TF-IDF of the typed prefix
/// (<see cref="TfidfOptions.PositionWeightedPrefix"/>), each half L2-normalised by its vectorizer, then the
/// whole row L2-normalised. Column layout: previous-query features first, prefix features after them.
/// The prefix vectorizer also gives the label features used for clustering (the label text is a full "prefix").
/// Immutable and thread-safe.
/// </summary>
public sealed class QacFeaturizer
{
    /// <summary>Word TF-IDF of the previous query.</summary>
    public TfidfVectorizer Previous { get; }

    /// <summary>Position-weighted character TF-IDF of the prefix.</summary>
    public TfidfVectorizer Prefix { get; }

    /// <summary>Total input dimension.</summary>
    public int FeatureCount => Previous.FeatureCount + Prefix.FeatureCount;

    /// <summary>Wraps two fitted vectorizers.</summary>
    /// <exception cref="ArgumentException">The prefix vectorizer is not position-weighted character n-grams.</exception>
    public QacFeaturizer(TfidfVectorizer previous, TfidfVectorizer prefix)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Options.Analyzer != TextAnalyzer.Char || !prefix.Options.PositionWeighted)
            throw new ArgumentException("The prefix vectorizer must use position-weighted character n-grams.", nameof(prefix));
        Previous = previous;
        Prefix = prefix;
    }

    /// <summary>Fits the word vectorizer on the previous queries and the prefix vectorizer on the label strings.</summary>
    /// <param name="previousQueries">Previous queries of the training pairs.</param>
    /// <param name="labels">The distinct next queries (the labels).</param>
    /// <param name="threads">Worker threads; 0 for all cores.</param>
    public static QacFeaturizer Fit(IEnumerable<string> previousQueries, IEnumerable<string> labels, int threads = 0)
    {
        var previous = TfidfVectorizer.Fit(previousQueries, new TfidfOptions(), threads <= 0 ? -1 : threads);
        var prefix = TfidfVectorizer.Fit(labels, TfidfOptions.PositionWeightedPrefix(), threads <= 0 ? -1 : threads);
        return new QacFeaturizer(previous, prefix);
    }

    /// <summary>Rows for (previous, prefix) pairs, in order.</summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public CsrMatrix Transform(IReadOnlyList<string> previous, IReadOnlyList<string> prefixes, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(prefixes);
        if (previous.Count != prefixes.Count)
            throw new ArgumentException($"{previous.Count} previous queries but {prefixes.Count} prefixes.", nameof(prefixes));
        int t = threads <= 0 ? -1 : threads;
        return SparseOps.HStack(Previous.Transform(previous, t), Prefix.Transform(prefixes, t)).NormalizeRows(RowNorm.L2);
    }

    /// <summary>Label features for clustering: the prefix vectorizer applied to each whole label.</summary>
    public CsrMatrix LabelFeatures(IReadOnlyList<string> labels, int threads = 0) =>
        Prefix.Transform(labels, threads <= 0 ? -1 : threads).NormalizeRows(RowNorm.L2);

    /// <summary>
    /// One row into <paramref name="scratch"/>'s buffers (sorted ids, final values); allocation-free once grown.
    /// </summary>
    /// <returns>The number of stored features.</returns>
    internal int Transform(ReadOnlySpan<char> previous, ReadOnlySpan<char> prefix, QacScratch scratch)
    {
        var word = Previous.Transform(previous, scratch.Tfidf);
        int nw = word.Length;
        scratch.EnsureFeatures(nw);
        word.Indices.CopyTo(scratch.Indices);
        word.Values.CopyTo(scratch.Values);
        var chars = Prefix.Transform(prefix, scratch.Tfidf);
        int total = nw + chars.Length;
        scratch.EnsureFeatures(total);
        int offset = Previous.FeatureCount;
        for (int i = 0; i < chars.Length; i++)
        {
            scratch.Indices[nw + i] = chars.Indices[i] + offset;
            scratch.Values[nw + i] = chars.Values[i];
        }
        SparseOps.NormalizeInPlace(scratch.Values.AsSpan(0, total), RowNorm.L2);
        return total;
    }
}
