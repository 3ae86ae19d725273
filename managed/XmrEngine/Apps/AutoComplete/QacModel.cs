using XmrEngine.Inference;
using XmrEngine.Models;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// A trained session-aware auto-completion model: the featurizer, the labels (distinct next queries seen in
/// training) with their training frequencies, the XR-Linear model over them, and most-popular completion over
/// the same labels. Immutable; <see cref="Suggest"/> is thread-safe.
/// <para>
/// Suggestion: clean the inputs (<see cref="QueryText"/>); when there is a previous query, beam-search the
/// features of (previous, prefix) for <see cref="QacModelSettings.CandidateCount"/> labels, keep those that
/// start with the prefix, in score order; then fill the remaining places from most-popular completion of the
/// prefix, skipping repeats. Without a previous query the answer is most-popular completion alone (the
/// model is trained on pairs, so it has never seen an empty context).
/// </para>
/// </summary>
public sealed class QacModel
{
    private readonly string[] _labels;
    private readonly int[] _counts;
    private readonly PredictOptions _search;

    /// <summary>Turns (previous, prefix) into the model's input row.</summary>
    public QacFeaturizer Featurizer { get; }

    /// <summary>The label strings (distinct training next-queries, ordinal order); label id = index.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Training frequency of each label as a next query.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>The trained XR-Linear model.</summary>
    public XLinearModel XLinear { get; }

    /// <summary>The compiled predictor of <see cref="XLinear"/>.</summary>
    public XLinearPredictor Predictor { get; }

    /// <summary>Most-popular completion over the labels.</summary>
    public MostPopularCompleter MostPopular { get; }

    /// <summary>How the model was made and how it searches.</summary>
    public QacModelSettings Settings { get; }

    /// <summary>Assembles a model after checking that its parts agree.</summary>
    /// <exception cref="ArgumentException">Label, count and model sizes disagree, or the feature dimensions differ.</exception>
    public QacModel(QacFeaturizer featurizer, IReadOnlyList<string> labels, IReadOnlyList<int> counts, XLinearModel xlinear, QacModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(xlinear);
        ArgumentNullException.ThrowIfNull(settings);
        if (labels.Count != counts.Count) throw new ArgumentException($"{labels.Count} labels but {counts.Count} counts.", nameof(counts));
        if (xlinear.LabelCount != labels.Count) throw new ArgumentException($"The XR-Linear model has {xlinear.LabelCount} labels; {labels.Count} label strings were given.", nameof(xlinear));
        if (xlinear.FeatureCount != featurizer.FeatureCount)
            throw new ArgumentException($"The XR-Linear model has {xlinear.FeatureCount} features; the featurizer makes {featurizer.FeatureCount}.", nameof(xlinear));
        Featurizer = featurizer;
        _labels = labels.ToArray();
        _counts = counts.ToArray();
        XLinear = xlinear;
        Settings = settings;
        // Capped at the label count: a larger beam or candidate list finds nothing more, and the scratch
        // buffers are sized by it.
        _search = new PredictOptions { BeamSize = settings.BeamSize, TopK = settings.CandidateCount }.CappedTo(xlinear.LabelCount, xlinear.Chain.Levels.Max(l => l.Rows));
        Predictor = new XLinearPredictor(xlinear, _search);
        MostPopular = new MostPopularCompleter(_labels, _counts);
    }

    /// <summary>
    /// The same trained model with other search settings (beam width, candidates before the prefix filter);
    /// the weights are shared, the predictor is compiled again.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is not positive.</exception>
    public QacModel WithSearch(int beamSize, int candidateCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(beamSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidateCount, 1);
        return new QacModel(Featurizer, _labels, _counts, XLinear, Settings with { BeamSize = beamSize, CandidateCount = candidateCount });
    }

    /// <summary>Up to <paramref name="count"/> completions of <paramref name="prefix"/> given the previous query, best first.</summary>
    /// <param name="previous">The previous query of the session; null or blank when there is none.</param>
    /// <param name="prefix">What the user has typed so far.</param>
    /// <param name="count">How many suggestions [10]; values above the label count are treated as the label count, and at most
    /// <see cref="MostPopularCompleter.ListSize"/> suggestions come from the fallback.</param>
    /// <param name="fillFromPopular">Fill places the model leaves empty from most-popular completion [true];
    /// false gives the model's own answer only (used to compare indexers).</param>
    public QacSuggestion[] Suggest(string? previous, string prefix, int count = 10, bool fillFromPopular = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        count = Math.Min(count, _labels.Length); // there are no more distinct suggestions than labels
        string cleanPrefix = QueryText.CleanPrefix(prefix);
        string? cleanPrevious = QueryText.Clean(previous);
        var scratch = QacScratch.Current;
        scratch.EnsureCandidates(_search.TopK, MostPopular.ListSize);
        var output = new List<QacSuggestion>(count);
        Span<int> chosen = count <= 64 ? stackalloc int[count] : new int[count];
        int taken = 0;
        if (cleanPrevious is not null)
        {
            int nnz = Featurizer.Transform(cleanPrevious, cleanPrefix, scratch);
            int found = Predictor.Predict(scratch.Indices.AsSpan(0, nnz), scratch.Values.AsSpan(0, nnz), scratch.Candidates, _search);
            for (int i = 0; i < found && taken < count; i++)
            {
                var c = scratch.Candidates[i];
                if (!_labels[c.Label].StartsWith(cleanPrefix, StringComparison.Ordinal)) continue;
                chosen[taken++] = c.Label;
                output.Add(new QacSuggestion(_labels[c.Label], c.Score, QacSuggestionSource.Model));
            }
        }
        if (taken < count && fillFromPopular)
        {
            int popular = MostPopular.Complete(cleanPrefix, scratch.Popular);
            for (int i = 0; i < popular && taken < count; i++)
            {
                int id = scratch.Popular[i];
                if (chosen[..taken].Contains(id)) continue;
                chosen[taken++] = id;
                output.Add(new QacSuggestion(_labels[id], _counts[id], QacSuggestionSource.MostPopular));
            }
        }
        return output.ToArray();
    }

    /// <summary>Most-popular completion alone (the baseline): up to 10 labels that start with the prefix, most frequent first.</summary>
    public string[] SuggestMostPopular(string prefix)
    {
        var ids = MostPopular.Complete(QueryText.CleanPrefix(prefix));
        var result = new string[ids.Length];
        for (int i = 0; i < ids.Length; i++) result[i] = _labels[ids[i]];
        return result;
    }
}
