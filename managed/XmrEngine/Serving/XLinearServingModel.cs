using XmrEngine.Inference;
using XmrEngine.Persistence;
using XmrEngine.Sharding;
using XmrEngine.Sparse;

namespace XmrEngine.Serving;

/// <summary>
/// An XR-Linear model opened for answering raw queries: the one object every front end (library, <c>xmr predict</c>,
/// the HTTP server, the cluster router) predicts through. It owns the model's input rule (<see cref="Input"/>: the
/// feature count, and L2-normalisation of rows when the model was trained on normalised rows), the checks on a
/// query, and the caps on top-k and beam, so the same raw row gets the same labels and scores through every door.
/// Behind it is one of the engine's predictors: the memory-mapped or compiled <see cref="XLinearPredictor"/>, a
/// <see cref="MaskedBatchPredictor"/> on a kernel backend, or a <see cref="ShardedPredictor"/> whose shards are in
/// this process or on a cluster; they give identical answers.
/// Thread-safe: any number of threads may predict at once; <see cref="Dispose"/> unmaps the files (calls in flight
/// finish first).
/// </summary>
/// <example>
/// <code>
/// using var model = XLinearServingModel.Open("bibtex.xmr");
/// ScoredLabel[] top = model.Predict([12, 507, 1033], [1f, 1f, 1f], model.Options(topK: 5));
/// </code>
/// </example>
public sealed class XLinearServingModel : IServableModel
{
    /// <summary>The kind's name: <c>xlinear</c>.</summary>
    public const string KindName = "xlinear";

    private readonly XLinearPredictor? _local;
    private readonly ShardedPredictor? _sharded;
    private readonly IBatchPredictor _predictor;
    private readonly IDisposable? _connection;

    /// <summary>
    /// A model answering through <paramref name="predictor"/> (owned: disposed with this model), prepared by the rule
    /// in <paramref name="metadata"/>.
    /// </summary>
    /// <param name="predictor">The engine's predictor: an <see cref="XLinearPredictor"/> or a <see cref="MaskedBatchPredictor"/>.</param>
    /// <param name="metadata">What the model file saved with the weights (beam defaults, the input rule); null for PECOS's defaults and normalised rows.</param>
    /// <param name="version">Names the files' version (<see cref="Version"/>).</param>
    /// <param name="openedAs">How it was opened, for messages (for example "memory-mapped").</param>
    public XLinearServingModel(IBatchPredictor predictor, ModelMetadata? metadata = null, string version = "in-memory", string openedAs = "in memory")
        : this(predictor, metadata, version, openedAs, null)
    {
    }

    private XLinearServingModel(IBatchPredictor predictor, ModelMetadata? metadata, string version, string openedAs, IDisposable? connection)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentException.ThrowIfNullOrEmpty(version);
        _predictor = predictor;
        _local = predictor as XLinearPredictor;
        _sharded = predictor as ShardedPredictor;
        _connection = connection;
        Metadata = metadata ?? ModelMetadata.Default with { Prediction = predictor.Defaults };
        Input = new XLinearInput(predictor.FeatureCount, Metadata);
        Version = version;
        OpenedAs = openedAs;
    }

    /// <summary>
    /// A model answering through the sharded router <paramref name="router"/>, whose shards may be in this process or
    /// on a cluster reached through <paramref name="connection"/> (disposed after the router).
    /// </summary>
    public static XLinearServingModel OverShards(ShardedPredictor router, ModelMetadata metadata, string version, string openedAs, IDisposable? connection) =>
        new(router, metadata, version, openedAs, connection);

    /// <summary>
    /// Opens the XR-Linear model at <paramref name="path"/>: an XmrEngine model file (memory-mapped unless the options
    /// say otherwise), a sharded model directory, or a PECOS XLinearModel directory.
    /// </summary>
    /// <exception cref="IO.XmrDataException">The files are malformed, truncated or fail a checksum; names the file.</exception>
    /// <exception cref="IOException">Nothing at the path is an XR-Linear model, or it is unreadable.</exception>
    public static XLinearServingModel Open(string path, ModelOpenOptions? options = null) => XLinearModelFormat.Instance.OpenModel(path, options);

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public string Version { get; }

    /// <summary>How the model was opened ("memory-mapped", "read and compiled", "sharded: ...").</summary>
    public string OpenedAs { get; }

    /// <inheritdoc />
    public int LabelCount => _predictor.LabelCount;

    /// <inheritdoc />
    public int FeatureCount => _predictor.FeatureCount;

    /// <summary>Tree depth (weight levels).</summary>
    public int Depth => _predictor.Depth;

    /// <summary>Most nodes on any tree level: the widest beam that can make a difference.</summary>
    public int WidestLevel => _predictor.WidestLevel;

    /// <summary>Trees averaged (1 unless the model is an ensemble).</summary>
    public int TreeCount => _local?.TreeCount ?? 1;

    /// <summary>True when the answers come from a sharded router (shards in this process or on a cluster).</summary>
    public bool IsSharded => _sharded is not null;

    /// <summary>What the model file saved with the weights: beam defaults, the input rule, how it was trained.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>The map from this model's scores to probabilities saved with it (<see cref="ModelMetadata.Calibration"/>); null when it was not calibrated.</summary>
    public ScoreCalibration? Calibration => Metadata.Calibration;

    /// <summary>
    /// The probability that an answer with <paramref name="score"/> is relevant, by the model's calibration, when the
    /// answer was found with <paramref name="options"/>; null when the model has no calibration or the options score
    /// with another post-processor (or, for an ensemble, another combination) than the one it was calibrated for (the map
    /// means nothing for those scores).
    /// Front ends ask the model rather than apply the map themselves, so every door gives the same probability.
    /// </summary>
    /// <param name="score">An answer's score from this model's prediction.</param>
    /// <param name="options">The options the answer was predicted with (null: the model's defaults).</param>
    public float? Probability(float score, PredictOptions? options = null)
    {
        if (Calibration is not { } map || !IsCalibrated(options)) return null;
        return (float)map.Probability(score);
    }

    /// <summary>
    /// The calibrated probability of every answer of <paramref name="answers"/> (a prediction of this model with
    /// <paramref name="options"/>), keeping only those of at least <paramref name="minProbability"/>: the same pattern
    /// less the dropped answers, the probabilities as values. The scores of the kept answers are
    /// <paramref name="answers"/>' values at the same pattern (<see cref="KeepProbableAnswers"/>).
    /// </summary>
    /// <param name="answers">Rows x labels answers predicted by this model.</param>
    /// <param name="options">The options they were predicted with (null: the model's defaults).</param>
    /// <param name="minProbability">Answers below it are dropped; 0 keeps every answer.</param>
    /// <exception cref="InvalidOperationException">The model has no calibration, or it was calibrated for another post-processor than <paramref name="options"/>' (names both).</exception>
    public CsrMatrix Probabilities(CsrMatrix answers, PredictOptions? options = null, double minProbability = 0)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var map = CheckCalibrated(options);
        return CsrFilter.MapValues(answers, score => (float)map.Probability(score), minProbability);
    }

    /// <summary>
    /// <paramref name="answers"/> without the answers whose calibrated probability is below <paramref name="minProbability"/>;
    /// the kept answers keep their scores.
    /// </summary>
    /// <exception cref="InvalidOperationException">See <see cref="Probabilities"/>.</exception>
    public CsrMatrix KeepProbableAnswers(CsrMatrix answers, double minProbability, PredictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var map = CheckCalibrated(options);
        return CsrFilter.Where(answers, score => map.Probability(score) >= minProbability);
    }

    private ScoreCalibration CheckCalibrated(PredictOptions? options)
    {
        if (Calibration is not { } map)
            throw new InvalidOperationException("the model has no calibration (train it with calibration: `xmr train --calibrate`, or HeldOutCalibration).");
        string post = (options ?? Defaults).PostProcessor.Name;
        if (!IsCalibrated(options))
            throw new InvalidOperationException($"the model's calibration holds for {map.PostProcessor} scores combined by {Defaults.Combination.ToName()}; " +
                                                $"these answers were scored with {post}, combined by {(options ?? Defaults).Combination.ToName()}.");
        return map;
    }

    /// <summary>
    /// Whether answers predicted with <paramref name="options"/> (null: the defaults) have a calibrated probability: the
    /// model has a calibration, the options use its post-processor, and, for an ensemble, the model's saved combination.
    /// </summary>
    public bool IsCalibrated(PredictOptions? options = null) =>
        Calibration is { } map && string.Equals(map.PostProcessor, (options ?? Defaults).PostProcessor.Name, StringComparison.Ordinal)
        // An ensemble's map was fitted on its saved combination of the trees' scores; another combination gives other scores.
        && (TreeCount == 1 || (options ?? Defaults).Combination == Defaults.Combination);

    /// <summary>How raw queries are checked and prepared.</summary>
    public XLinearInput Input { get; }

    /// <summary>The beam settings saved with the model.</summary>
    public PredictOptions Defaults => _predictor.Defaults;

    /// <summary>
    /// The engine's predictor behind this model, which scores rows already prepared by <see cref="Input"/> (for
    /// benchmarks of the search itself). Query through this model's own methods instead.
    /// </summary>
    public IBatchPredictor Predictor => _predictor;

    /// <summary>
    /// The model's saved beam settings with the given overrides, capped at what the model has: top-k at
    /// <see cref="LabelCount"/>, the beam at <see cref="WidestLevel"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A top-k or beam size below 1.</exception>
    public PredictOptions Options(int? topK = null, int? beamSize = null, PostProcessor? postProcessor = null, EnsembleCombination? combination = null)
    {
        var o = Defaults;
        if (topK is { } k)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(topK));
            o = o with { TopK = k };
        }
        if (beamSize is { } b)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(b, 1, nameof(beamSize));
            o = o with { BeamSize = b };
        }
        if (postProcessor is not null) o = o with { PostProcessor = postProcessor };
        if (combination is { } c) o = o with { Combination = c };
        return o.CappedTo(LabelCount, WidestLevel);
    }

    /// <summary>
    /// Predicts one raw query: checked and prepared by <see cref="Input"/> (ids in any order), then searched.
    /// Returns the best labels, best first (score, then the smaller label id).
    /// </summary>
    /// <param name="indices">Feature ids, each once, in any order.</param>
    /// <param name="values">Their values, finite.</param>
    /// <param name="options">Beam settings (<see cref="Options"/>); null for the model's.</param>
    /// <exception cref="InvalidQueryException">The query is malformed; names the index at fault.</exception>
    public ScoredLabel[] Predict(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, PredictOptions? options = null)
    {
        var (ids, vals) = Input.PrepareRow(indices, values);
        options = (options ?? Defaults).CappedTo(LabelCount, WidestLevel);
        if (_local is not null) return _local.Predict(ids, vals, options);
        return Ranked(Search(OneRow(ids, vals), options, 1, CancellationToken.None).GetAwaiter().GetResult())[0];
    }

    /// <summary>
    /// Predicts raw queries, each checked and prepared by <see cref="Input"/>, as one batch (a sharded model sends one
    /// call per shard and level for all of them). Returns each query's best labels, best first.
    /// </summary>
    /// <param name="rows">The queries: feature ids (any order) and their values.</param>
    /// <param name="options">Beam settings; null for the model's.</param>
    /// <param name="cancellationToken">Stops the search between levels and shard calls.</param>
    /// <exception cref="InvalidQueryException">A query is malformed; <see cref="InvalidQueryException.Field"/> names it as <c>rows[i]...</c>.</exception>
    public async Task<ScoredLabel[][]> PredictAsync(IReadOnlyList<(int[] Indices, float[] Values)> rows, PredictOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var prepared = new (int[] Indices, float[] Values)[rows.Count];
        for (int r = 0; r < prepared.Length; r++)
        {
            try
            {
                prepared[r] = Input.PrepareRow(rows[r].Indices, rows[r].Values);
            }
            catch (InvalidQueryException e)
            {
                throw new InvalidQueryException($"rows[{r}].{e.Field}", e.Problem);
            }
        }
        options = (options ?? Defaults).CappedTo(LabelCount, WidestLevel);
        if (_local is not null)
        {
            var results = new ScoredLabel[prepared.Length][];
            for (int r = 0; r < prepared.Length; r++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results[r] = _local.Predict(prepared[r].Indices, prepared[r].Values, options);
            }
            return results;
        }
        // One thread for the meta-model's beam: a request must not take every core from the others.
        var matrix = Stack(prepared, FeatureCount);
        return _sharded is not null
            ? await _sharded.PredictRankedAsync(matrix, options, 1, cancellationToken).ConfigureAwait(false)
            : Ranked(await Search(matrix, options, 1, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Predicts every row of a raw query matrix, prepared by <see cref="Input"/>: row i of the result holds query i's
    /// top-k labels with their scores (CSR, sorted by label id).
    /// </summary>
    /// <param name="queries">Raw rows with at most <see cref="FeatureCount"/> columns.</param>
    /// <param name="options">Beam settings; null for the model's.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 for all cores.</param>
    /// <param name="normalize">Override of the model's normalisation rule; null to follow it.</param>
    /// <exception cref="InvalidQueryException">The matrix has more columns than the model has features.</exception>
    public CsrMatrix Predict(CsrMatrix queries, PredictOptions? options = null, int maxThreads = 0, bool? normalize = null) =>
        PredictAsync(queries, options, maxThreads, normalize, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>As <see cref="Predict(CsrMatrix, PredictOptions?, int, bool?)"/>, without blocking on a remote model's shard calls.</summary>
    public Task<CsrMatrix> PredictAsync(CsrMatrix queries, PredictOptions? options, int maxThreads, bool? normalize, CancellationToken cancellationToken)
    {
        var prepared = Input.Prepare(queries, normalize);
        return Search(prepared, (options ?? Defaults).CappedTo(LabelCount, WidestLevel), maxThreads, cancellationToken);
    }

    /// <summary>
    /// Scores exactly the (row, label) pairs stored in <paramref name="selected"/> for raw query rows prepared by
    /// <see cref="Input"/>, for reranking (see <see cref="XLinearPredictor.PredictSelected"/>): the result has
    /// <paramref name="selected"/>'s pattern, each value the label's beam-search path score.
    /// </summary>
    /// <param name="queries">Raw rows with at most <see cref="FeatureCount"/> columns.</param>
    /// <param name="selected">One row per query, <see cref="LabelCount"/> columns: the labels to score.</param>
    /// <param name="postProcessor">Transform and combiner; null for the model's.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 for all cores.</param>
    /// <param name="normalize">Override of the model's normalisation rule; null to follow it.</param>
    /// <exception cref="InvalidQueryException">The matrix has more columns than the model has features.</exception>
    /// <exception cref="ArgumentException">The selected outputs do not match the queries or the model.</exception>
    /// <param name="combination">How an ensemble's trees combine (average or max); null for the model's.</param>
    /// <exception cref="NotSupportedException">The model is sharded or opened for masked-product scoring, or an ensemble is asked for reciprocal-rank combination.</exception>
    public CsrMatrix PredictSelected(CsrMatrix queries, CsrMatrix selected, PostProcessor? postProcessor = null, int maxThreads = 0, bool? normalize = null,
        EnsembleCombination? combination = null)
    {
        if (_local is null)
            throw new NotSupportedException($"Selected-output scoring runs on a model file's own predictor; this model is {OpenedAs}.");
        return _local.PredictSelected(Input.Prepare(queries, normalize), selected, postProcessor, maxThreads, combination);
    }

    /// <summary>Unmaps the files (after calls in flight), then closes the connection of a remote model.</summary>
    public void Dispose()
    {
        (_predictor as IDisposable)?.Dispose();
        _connection?.Dispose();
    }

    private Task<CsrMatrix> Search(CsrMatrix prepared, PredictOptions options, int maxThreads, CancellationToken cancellationToken) =>
        _sharded is not null
            ? _sharded.PredictAsync(prepared, options, maxThreads, cancellationToken)
            : Task.FromResult(_predictor.Predict(prepared, options, maxThreads));

    private CsrMatrix OneRow(int[] ids, float[] values) => Stack([(ids, values)], FeatureCount);

    private static CsrMatrix Stack((int[] Indices, float[] Values)[] rows, int cols)
    {
        long[] pointers = new long[rows.Length + 1];
        for (int r = 0; r < rows.Length; r++) pointers[r + 1] = pointers[r] + rows[r].Indices.Length;
        int[] indices = new int[pointers[^1]];
        float[] values = new float[pointers[^1]];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r].Indices.CopyTo(indices, pointers[r]);
            rows[r].Values.CopyTo(values, pointers[r]);
        }
        return new CsrMatrix(rows.Length, cols, pointers, indices, values);
    }

    /// <summary>A score matrix's rows best first (score, then the smaller label id: the beam's own rule).</summary>
    private static ScoredLabel[][] Ranked(CsrMatrix scores)
    {
        var results = new ScoredLabel[scores.Rows][];
        for (int r = 0; r < scores.Rows; r++)
        {
            var row = scores.Row(r);
            var labels = new ScoredLabel[row.Indices.Length];
            for (int i = 0; i < labels.Length; i++) labels[i] = new ScoredLabel(row.Indices[i], row.Values[i]);
            Array.Sort(labels, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Label.CompareTo(b.Label));
            results[r] = labels;
        }
        return results;
    }
}
