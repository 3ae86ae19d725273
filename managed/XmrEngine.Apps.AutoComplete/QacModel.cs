using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Serving;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// A trained session-aware auto-completion model: the featurizer, the labels (distinct next queries seen in
/// training) with their training frequencies, the XR-Linear model over them, and most-popular completion over
/// the same labels. Immutable; <see cref="Suggest"/> is thread-safe.
/// <para>
/// Suggestion: clean the inputs (<see cref="QueryText"/>); when there is a previous query, beam-search the
/// features of (previous, prefix) for <see cref="QacModelSettings.CandidateCount"/> labels and keep those that
/// start with the prefix. With a fusion <see cref="Ranker"/>, those candidates are merged with the prefix's
/// most popular completions and the popular completions of the previous query's stems, and the ranker orders
/// the merged pool. Without one (models saved before fusion existed), the beam candidates come in score order
/// and most-popular completion fills the remaining places. Without a previous query the answer is most-popular
/// completion alone (the model is trained on pairs, so it has never seen an empty context).
/// </para>
/// </summary>
public sealed class QacModel : IServableModel
{
    /// <summary>The kind's name: <c>qac</c>.</summary>
    public const string KindName = "qac";

    private readonly string[] _labels;
    private readonly int[] _counts;
    private readonly PredictOptions _search;
    private readonly Lazy<XLinearModel> _xlinear;
    private readonly bool _ownsPredictor;

    /// <summary>Turns (previous, prefix) into the model's input row.</summary>
    public QacFeaturizer Featurizer { get; }

    /// <summary>The label strings (distinct training next-queries, ordinal order); label id = index.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Training frequency of each label as a next query.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>
    /// The trained XR-Linear model (tree and CSC weights). A loaded model searches with the memory-mapped
    /// <see cref="Predictor"/> and reads this from its file on first use only (to save it again or inspect it), so
    /// loading and serving never build it.
    /// </summary>
    public XLinearModel XLinear => _xlinear.Value;

    /// <summary>The compiled predictor of <see cref="XLinear"/> (memory-mapped for a loaded model).</summary>
    public XLinearPredictor Predictor { get; }

    /// <summary>Most-popular completion over the labels.</summary>
    public MostPopularCompleter MostPopular { get; }

    /// <summary>How the model was made and how it searches.</summary>
    public QacModelSettings Settings { get; }

    /// <summary>The fusion ranker over the merged candidate sources, or null for a model without one (it then ranks
    /// as <see cref="QacSuggester.ModelWithFill"/>).</summary>
    public QacRanker? Ranker { get; }

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

    /// <summary>
    /// Trains a model with a fusion ranker on sessions: a seeded <see cref="QacTrainOptions.RankerUsers"/> share of the
    /// users is kept out of the XR-Linear model and the popularity counts, and the ranker learns on their pairs how
    /// far to trust the model against popularity for people it has not seen. With <c>RankerUsers = 0</c>, or too few
    /// users to spare one, the model is trained on every session without a ranker.
    /// </summary>
    /// <param name="trainSessions">Training sessions (for example <see cref="QacSplit.TrainSessions"/>).</param>
    /// <param name="options">Training options; null for the defaults.</param>
    /// <param name="data">The data options the sessions were made with, saved with the model for evaluation.</param>
    /// <param name="report">Receives the time of each stage, if not null.</param>
    /// <param name="progress">Receives the XR-Linear step's per-level progress, if not null.</param>
    /// <param name="cancellationToken">Stops training between tree nodes.</param>
    /// <exception cref="ArgumentException">The sessions hold no pairs, or a query is empty.</exception>
    public static QacModel Train(IReadOnlyList<QuerySession> trainSessions, QacTrainOptions? options = null, QacDataOptions? data = null,
        QacTrainingReport? report = null, IProgress<XmrEngine.Training.TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        QacTrainer.Train(trainSessions, options ?? new QacTrainOptions(), data, report, progress, cancellationToken);

    /// <summary>Loads a model directory written by <see cref="Save"/> (recovering the last complete version after an interrupted save).</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="XmrEngine.IO.XmrDataException">A part is missing or malformed; the message names the file and line.</exception>
    public static QacModel Load(string path) => QacModelFile.Load(path);

    /// <summary>
    /// The auto-complete format: a folder with <c>qac.json</c> (in its current version), opened with <see cref="Load"/>.
    /// Add it to a <see cref="ModelFormats"/> list to open such folders by path.
    /// </summary>
    public static IModelFormat Format => QacModelFormat.Instance;

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    /// <remarks>The version folder's name for a loaded model; <c>unsaved</c> for one trained in this process.</remarks>
    public string Version { get; internal set; } = "unsaved";

    /// <inheritdoc />
    public int LabelCount => _labels.Length;

    /// <inheritdoc />
    public int FeatureCount => Predictor.FeatureCount;

    /// <summary>
    /// Unmaps the predictor of a loaded model (suggestions in flight must have returned); a model trained in this
    /// process, or made with <see cref="WithSearch"/> or <see cref="WithRanker"/>, holds only managed memory.
    /// </summary>
    public void Dispose()
    {
        if (_ownsPredictor) Predictor.Dispose();
    }

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
        if (!Enum.IsDefined(suggester)) throw new ArgumentOutOfRangeException(nameof(suggester), suggester, "Unknown suggester.");
        return QacEvaluator.Evaluate(cases, (prev, prefix) => Queries(Suggest(prev, prefix, 10, suggester)));
    }

    private static string[] Queries(QacSuggestion[] suggestions)
    {
        var q = new string[suggestions.Length];
        for (int i = 0; i < q.Length; i++) q[i] = suggestions[i].Query;
        return q;
    }

    /// <summary>Assembles a model after checking that its parts agree.</summary>
    /// <exception cref="ArgumentException">Label, count and model sizes disagree, or the feature dimensions differ.</exception>
    /// <param name="featurizer">Turns (previous, prefix) into the model's input row.</param>
    /// <param name="labels">Label strings, label id = index.</param>
    /// <param name="counts">Training frequency of each label.</param>
    /// <param name="xlinear">The XR-Linear model over the labels.</param>
    /// <param name="settings">How the model was made and searches.</param>
    /// <param name="ranker">The fusion ranker, or null to rank as models without one do.</param>
    public QacModel(QacFeaturizer featurizer, IReadOnlyList<string> labels, IReadOnlyList<int> counts, XLinearModel xlinear, QacModelSettings settings,
        QacRanker? ranker = null)
        : this(featurizer, labels, counts, Compile(xlinear, settings), new Lazy<XLinearModel>(xlinear), ownsPredictor: false, settings, ranker)
    {
    }

    /// <summary>
    /// A model over a predictor opened from a file (<see cref="QacModelFile"/>), which it owns and unmaps on
    /// <see cref="Dispose"/>; <paramref name="xlinear"/> reads the weights only when <see cref="XLinear"/> is asked for.
    /// </summary>
    internal QacModel(QacFeaturizer featurizer, IReadOnlyList<string> labels, IReadOnlyList<int> counts, XLinearPredictor predictor,
        Lazy<XLinearModel> xlinear, bool ownsPredictor, QacModelSettings settings, QacRanker? ranker)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(settings);
        if (labels.Count != counts.Count) throw new ArgumentException($"{labels.Count} labels but {counts.Count} counts.", nameof(counts));
        if (predictor.LabelCount != labels.Count) throw new ArgumentException($"The XR-Linear model has {predictor.LabelCount} labels; {labels.Count} label strings were given.", nameof(predictor));
        if (predictor.FeatureCount != featurizer.FeatureCount)
            throw new ArgumentException($"The XR-Linear model has {predictor.FeatureCount} features; the featurizer makes {featurizer.FeatureCount}.", nameof(predictor));
        Featurizer = featurizer;
        _labels = labels.ToArray();
        _counts = counts.ToArray();
        _xlinear = xlinear;
        _ownsPredictor = ownsPredictor;
        Settings = settings;
        _search = Search(settings, predictor.LabelCount, predictor.WidestLevel);
        Predictor = predictor;
        Ranker = ranker;
        // One completer serves the served list (10), the ranker's popular pool and its previous-query stems.
        int listSize = Math.Max(10, ranker is null ? 0 : Math.Max(ranker.PopularCandidates, ranker.PreviousCandidates));
        MostPopular = new MostPopularCompleter(_labels, _counts, listSize, settings.MinPopularCount);
    }

    /// <summary>
    /// The search settings, capped at the label count and the widest level: a larger beam or candidate list finds
    /// nothing more, and the scratch buffers are sized by it.
    /// </summary>
    private static PredictOptions Search(QacModelSettings settings, int labelCount, int widestLevel) =>
        new PredictOptions { BeamSize = settings.BeamSize, TopK = settings.CandidateCount }.CappedTo(labelCount, widestLevel);

    private static XLinearPredictor Compile(XLinearModel xlinear, QacModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(xlinear);
        ArgumentNullException.ThrowIfNull(settings);
        return new XLinearPredictor(xlinear, Search(settings, xlinear.LabelCount, xlinear.Chain.Levels.Max(l => l.Rows)));
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
        return new QacModel(Featurizer, _labels, _counts, XLinear, Settings with { BeamSize = beamSize, CandidateCount = candidateCount }, Ranker);
    }

    /// <summary>The same trained model with another fusion ranker (null: none); the weights are shared.</summary>
    public QacModel WithRanker(QacRanker? ranker) => new(Featurizer, _labels, _counts, XLinear, Settings, ranker);

    /// <summary>Up to <paramref name="count"/> completions of <paramref name="prefix"/> given the previous query, best first.</summary>
    /// <param name="previous">The previous query of the session; null or blank when there is none.</param>
    /// <param name="prefix">What the user has typed so far.</param>
    /// <param name="count">How many suggestions [10]; values above the label count are treated as the label count. Most-popular
    /// completion gives at most <see cref="MostPopularCompleter.ListSize"/> of them.</param>
    /// <param name="suggester">Which answer [<see cref="QacSuggester.Model"/>, the one served]; the others exist to compare against it.</param>
    /// <remarks>Never throws on odd text (empty, very long, control characters, any Unicode): the answer is then a
    /// valid, possibly empty list. Without a previous query every suggester but <see cref="QacSuggester.ModelOnly"/>
    /// answers with most-popular completion, because the model and the ranker were trained on pairs and have never
    /// seen an empty context.</remarks>
    public QacSuggestion[] Suggest(string? previous, string prefix, int count = 10, QacSuggester suggester = QacSuggester.Model)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!Enum.IsDefined(suggester)) throw new ArgumentOutOfRangeException(nameof(suggester), suggester, "Unknown suggester.");
        count = Math.Min(count, _labels.Length); // there are no more distinct suggestions than labels
        string cleanPrefix = QueryText.CleanPrefix(prefix);
        string? cleanPrevious = QueryText.Clean(previous);
        var scratch = QacScratch.Current;
        scratch.EnsureCandidates(_search.TopK, MostPopular.ListSize);
        if (suggester == QacSuggester.MostPopular || (cleanPrevious is null && suggester != QacSuggester.ModelOnly))
            return SuggestPopular(cleanPrefix, count, scratch);
        if (suggester == QacSuggester.Model && Ranker is not null) return SuggestFused(cleanPrevious!, cleanPrefix, count, Ranker, scratch);
        return SuggestModel(cleanPrevious, cleanPrefix, count, fillFromPopular: suggester != QacSuggester.ModelOnly, scratch);
    }

    private QacSuggestion[] SuggestPopular(string cleanPrefix, int count, QacScratch scratch)
    {
        int popular = MostPopular.Complete(cleanPrefix, scratch.Popular.AsSpan(0, Math.Min(count, scratch.Popular.Length)));
        var output = new QacSuggestion[popular];
        for (int i = 0; i < popular; i++)
        {
            int id = scratch.Popular[i];
            output[i] = new QacSuggestion(_labels[id], _counts[id], QacSuggestionSource.MostPopular) { Count = _counts[id] };
        }
        return output;
    }

    /// <summary>The beam's prefix-matching candidates in score order, then (optionally) most-popular completion filling the places left.</summary>
    private QacSuggestion[] SuggestModel(string? cleanPrevious, string cleanPrefix, int count, bool fillFromPopular, QacScratch scratch)
    {
        var output = new List<QacSuggestion>(count);
        Span<int> chosen = count <= 64 ? stackalloc int[count] : new int[count];
        int taken = 0;
        if (cleanPrevious is not null)
        {
            int found = BeamCandidates(cleanPrevious, cleanPrefix, scratch);
            for (int i = 0; i < found && taken < count; i++)
            {
                var c = scratch.Candidates[i];
                if (!_labels[c.Label].StartsWith(cleanPrefix, StringComparison.Ordinal)) continue;
                chosen[taken++] = c.Label;
                output.Add(new QacSuggestion(_labels[c.Label], c.Score, QacSuggestionSource.Model) { Count = _counts[c.Label], ModelScore = c.Score });
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

    /// <summary>Every source's candidates merged, scored by the ranker, the best <paramref name="count"/> first (ties: lower label id first).</summary>
    private QacSuggestion[] SuggestFused(string cleanPrevious, string cleanPrefix, int count, QacRanker ranker, QacScratch scratch)
    {
        var pool = scratch.Pool;
        GatherCandidates(cleanPrevious, cleanPrefix, ranker.ModelCandidates, ranker.PopularCandidates, ranker.PreviousCandidates, scratch);
        ComputeFeatures(cleanPrevious, cleanPrefix, pool);
        int bucket = QacRankingFeatures.Bucket(cleanPrefix.Length);
        for (int i = 0; i < pool.Count; i++) pool.Scores[i] = ranker.Score(pool.FeaturesOf(i), bucket);
        int n = Math.Min(count, pool.Count);
        var output = new QacSuggestion[n];
        // Selection rather than a sort: the pool is a few hundred candidates and only the first ten are wanted.
        for (int k = 0; k < n; k++)
        {
            int best = -1;
            for (int i = 0; i < pool.Count; i++)
            {
                if (float.IsNegativeInfinity(pool.Scores[i])) continue;
                if (best < 0 || pool.Scores[i] > pool.Scores[best] || (pool.Scores[i] == pool.Scores[best] && pool.Items[i].Label < pool.Items[best].Label)) best = i;
            }
            ref readonly var c = ref pool.Items[best];
            output[k] = new QacSuggestion(_labels[c.Label], pool.Scores[best], c.Sources)
            {
                Count = _counts[c.Label],
                ModelScore = c.ModelRank >= 0 ? c.ModelScore : null,
                Fused = true,
            };
            pool.Scores[best] = float.NegativeInfinity;
        }
        return output;
    }

    /// <summary>Runs the beam search on (previous, prefix) into the scratch's candidate buffer; returns how many it found.</summary>
    private int BeamCandidates(string cleanPrevious, string cleanPrefix, QacScratch scratch)
    {
        int nnz = Featurizer.Transform(cleanPrevious, cleanPrefix, scratch);
        return Predictor.Predict(scratch.Indices.AsSpan(0, nnz), scratch.Values.AsSpan(0, nnz), scratch.Candidates, _search);
    }

    /// <summary>
    /// Fills the scratch's pool with the candidates of every source, each label once: the first
    /// <paramref name="modelCandidates"/> prefix-matching beam candidates, the prefix's <paramref name="popularCandidates"/>
    /// most popular completions, and the <paramref name="previousCandidates"/> most popular completions of each
    /// previous-query stem longer than the prefix and consistent with it (the previous query and a space: an extension;
    /// its first word and a space: a rewrite that keeps the head word).
    /// </summary>
    internal void GatherCandidates(string cleanPrevious, string cleanPrefix, int modelCandidates, int popularCandidates, int previousCandidates, QacScratch scratch)
    {
        scratch.EnsureCandidates(_search.TopK, MostPopular.ListSize);
        var pool = scratch.Pool;
        pool.Clear();
        int found = BeamCandidates(cleanPrevious, cleanPrefix, scratch);
        for (int i = 0, rank = 0; i < found && rank < modelCandidates; i++)
        {
            var s = scratch.Candidates[i];
            if (!_labels[s.Label].StartsWith(cleanPrefix, StringComparison.Ordinal)) continue;
            ref var c = ref pool.Get(s.Label);
            c.ModelRank = rank++;
            c.ModelScore = s.Score;
            c.Sources |= QacSuggestionSource.Model;
        }
        var popular = scratch.Popular.AsSpan(0, Math.Min(popularCandidates, scratch.Popular.Length));
        int n = MostPopular.Complete(cleanPrefix, popular);
        for (int i = 0; i < n; i++)
        {
            ref var c = ref pool.Get(popular[i]);
            c.PopularRank = i;
            c.Sources |= QacSuggestionSource.MostPopular;
        }
        // Stems are built in a stack buffer: a previous query is short, and a huge one simply has no stem.
        if (cleanPrevious.Length >= 256) return;
        Span<char> stem = stackalloc char[cleanPrevious.Length + 1];
        cleanPrevious.AsSpan().CopyTo(stem);
        stem[^1] = ' ';
        AddStem(stem, cleanPrefix, previousCandidates, scratch);
        int space = cleanPrevious.IndexOf(' ');
        if (space > 0) AddStem(stem[..(space + 1)], cleanPrefix, previousCandidates, scratch);
    }

    /// <summary>Fills the ranker features of the pool's candidates for (previous, prefix).</summary>
    internal void ComputeFeatures(string cleanPrevious, string cleanPrefix, QacCandidatePool pool) =>
        QacRankingFeatures.Compute(pool, _labels, _counts, cleanPrevious, cleanPrefix);

    private void AddStem(ReadOnlySpan<char> stem, string cleanPrefix, int previousCandidates, QacScratch scratch)
    {
        // A stem no longer than the prefix adds nothing the prefix's own popular list lacks.
        if (stem.Length <= cleanPrefix.Length || !stem.StartsWith(cleanPrefix, StringComparison.Ordinal)) return;
        var ids = scratch.Popular.AsSpan(0, Math.Min(previousCandidates, scratch.Popular.Length));
        int n = MostPopular.Complete(stem, ids);
        for (int i = 0; i < n; i++) scratch.Pool.Get(ids[i]).Sources |= QacSuggestionSource.PreviousQuery;
    }

    /// <summary>Most-popular completion alone (the baseline): up to 10 labels that start with the prefix, most frequent first.</summary>
    public string[] SuggestMostPopular(string prefix)
    {
        var ids = MostPopular.Complete(QueryText.CleanPrefix(prefix));
        var result = new string[Math.Min(10, ids.Length)];
        for (int i = 0; i < result.Length; i++) result[i] = _labels[ids[i]];
        return result;
    }
}
