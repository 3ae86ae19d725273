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

    /// <summary>
    /// Trains a model on (previous query, next query) pairs: the facade over the whole pipeline (featurizer,
    /// label tree, XR-Linear). Read the pairs with <see cref="QacSplit.Load"/>.
    /// </summary>
    /// <param name="trainPairs">Training pairs (cleaned queries, for example <see cref="QacSplit.TrainPairs"/>).</param>
    /// <param name="options">Training options; null for the defaults.</param>
    /// <param name="data">The data options the pairs were made with, saved with the model for evaluation.</param>
    /// <param name="report">Receives the time of each stage, if not null.</param>
    /// <param name="progress">Receives the XR-Linear step's per-level progress, if not null.</param>
    /// <param name="cancellationToken">Stops training between tree nodes.</param>
    /// <exception cref="ArgumentException">There are no pairs, or a pair holds an empty query.</exception>
    public static QacModel Train(IReadOnlyList<QueryPair> trainPairs, QacTrainOptions? options = null, QacDataOptions? data = null,
        QacTrainingReport? report = null, IProgress<XmrEngine.Training.TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        QacTrainer.Train(trainPairs, options ?? new QacTrainOptions(), data, report, progress, cancellationToken);

    /// <summary>Loads a model directory written by <see cref="Save"/> (recovering the last complete version after an interrupted save).</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="XmrEngine.IO.XmrDataException">A part is missing or malformed; the message names the file and line.</exception>
    public static QacModel Load(string path) => QacModelFile.Load(path);

    /// <summary>Saves the model as a directory, replacing an older model there atomically (readers see the old or the new one).</summary>
    /// <exception cref="IOException">The target is a file, a directory that is not a QAC model, or cannot be written.</exception>
    public void Save(string path) => QacModelFile.Save(path, this);

    /// <summary>
    /// Test cases from <paramref name="split"/>: one seeded prefix per test pair, with the model's data seed — of
    /// the trained users' later sessions (<see cref="QacTestSplit.Time"/>) or of the held-out users' sessions in
    /// the same period (<see cref="QacTestSplit.HeldOutUsers"/>, empty when nothing was held out).
    /// </summary>
    public IReadOnlyList<QacTestCase> TestCases(QacSplit split, QacTestSplit which = QacTestSplit.Time)
    {
        ArgumentNullException.ThrowIfNull(split);
        return PrefixSampler.TestCases(which == QacTestSplit.HeldOutUsers ? split.HoldoutTestPairs : split.TestPairs, Settings.Data.Seed);
    }

    /// <summary>MRR@10, BLEU, success@1/10 and latency of <paramref name="suggester"/> on <paramref name="cases"/>, overall and per prefix bucket.</summary>
    public QacEvaluation Evaluate(IReadOnlyList<QacTestCase> cases, QacSuggester suggester = QacSuggester.Model)
    {
        ArgumentNullException.ThrowIfNull(cases);
        return suggester switch
        {
            QacSuggester.Model => QacEvaluator.Evaluate(cases, (prev, prefix) => Queries(Suggest(prev, prefix))),
            QacSuggester.ModelOnly => QacEvaluator.Evaluate(cases, (prev, prefix) => Queries(Suggest(prev, prefix, fillFromPopular: false))),
            QacSuggester.MostPopular => QacEvaluator.Evaluate(cases, (_, prefix) => SuggestMostPopular(prefix)),
            _ => throw new ArgumentOutOfRangeException(nameof(suggester), suggester, "Unknown suggester."),
        };
    }

    private static string[] Queries(QacSuggestion[] suggestions)
    {
        var q = new string[suggestions.Length];
        for (int i = 0; i < q.Length; i++) q[i] = suggestions[i].Query;
        return q;
    }

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
                output.Add(new QacSuggestion(_labels[c.Label], c.Score, QacSuggestionSource.Model) { Count = _counts[c.Label] });
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
                output.Add(new QacSuggestion(_labels[id], _counts[id], QacSuggestionSource.MostPopular) { Count = _counts[id] });
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
