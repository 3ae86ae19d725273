using System.Diagnostics;
using System.Globalization;
using XmrEngine.Inference;
using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// Fits a model's <see cref="ScoreCalibration"/> on the user's own training rows: a seeded <see cref="HeldOutFraction"/>
/// of them is held out (<see cref="HeldOutRows"/>, stream -3, at most <see cref="MaxHeldOutRows"/>), a model is
/// trained on the rest with the caller's options, its top-k answers to the held-out rows become (score, relevant)
/// pairs (relevant when the label is one of the row's), and <see cref="ScoreCalibrator.Fit"/> chooses and fits the map.
/// <para>
/// The caller then trains the model it keeps on every row and stores this map with it. The map was fitted on the
/// scores of a model that had not seen the rows, which is what the kept model's scores on new rows are like; a
/// model's scores on its own training rows are higher and more often right, and a map fitted on them would be
/// over-confident. The kept model has seen 25% more rows than the one the map was fitted on, so its scores can drift a
/// little; perf/RESULTS.md measures how well the map transfers on test rows.
/// </para>
/// </summary>
public static class HeldOutCalibration
{
    /// <summary>Share of the training rows held out [0.2].</summary>
    public const double HeldOutFraction = 0.2;

    /// <summary>Most rows held out [20,000]: top-10 answers of that many rows are 200,000 pairs, plenty for a one-dimensional map.</summary>
    public const int MaxHeldOutRows = 20_000;

    /// <summary>Fewest training rows calibration runs on [50]: fewer leave too few held-out answers to fit a map.</summary>
    public const int MinRows = 50;

    /// <summary>Trains on the rows not held out and fits the map to its answers on the held-out rows.</summary>
    /// <param name="x">Training instances x features (rows prepared as for training).</param>
    /// <param name="y">Training labels.</param>
    /// <param name="options">The options the kept model trains with; their seed seeds the split and the halves of the choice.</param>
    /// <param name="prediction">The search whose answers are calibrated: the kept model's default beam, top-k and post-processor.</param>
    /// <param name="log">Receives a line when the held-out model is trained; may be null.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>The chosen map; its description says how it was chosen.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, fewer than <see cref="MinRows"/> rows, or no held-out answer.</exception>
    public static ScoreCalibration Fit(CsrMatrix x, CsrMatrix y, XLinearTrainOptions options, PredictOptions prediction,
        Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(prediction);
        if (x.Rows != y.Rows) throw new ArgumentException($"X has {x.Rows} rows but Y has {y.Rows}.", nameof(y));
        if (x.Rows < MinRows) throw new ArgumentException($"calibration needs at least {MinRows} training rows to hold some out; there are {x.Rows}.", nameof(x));
        var (trainRows, heldRows) = HeldOutRows.Split(x.Rows, HeldOutFraction, options.Seed, stream: -3, maxHeldOut: MaxHeldOutRows);
        CsrMatrix xt = x.SelectRows(trainRows), yt = y.SelectRows(trainRows), xv = x.SelectRows(heldRows), yv = y.SelectRows(heldRows);
        // Relevance weights are per training row, as in the tuner: the held-out model trains on its rows' weights.
        if (options.Relevance is { Values: { } relevance } weights)
            options = options with { Relevance = new RelevanceWeights(relevance.SelectRows(trainRows), weights.Mode, weights.Norm) };
        var sw = Stopwatch.StartNew();
        var ensemble = XLinearTrainer.TrainEnsemble(xt, yt, options, progress: null, cancellationToken);
        var predicted = new XLinearPredictor(ensemble, prediction).Predict(xv, prediction, options.Threads);
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"calibration: trained on {xt.Rows:N0} rows, answered {xv.Rows:N0} held-out rows in {sw.Elapsed.TotalSeconds:F1} s"));
        var (scores, relevant, rows) = Pairs(predicted, yv);
        if (scores.Length == 0) throw new ArgumentException("the held-out rows got no answers; there is nothing to fit a calibration on.", nameof(x));
        return ScoreCalibrator.Fit(scores, relevant, rows, options.Seed, prediction.PostProcessor.Name);
    }

    /// <summary>
    /// Every stored answer of <paramref name="predicted"/> as a (score, relevant, row) triple: relevant when
    /// <paramref name="truth"/> stores that (row, label).
    /// </summary>
    /// <param name="predicted">Rows x labels answers (a prediction's top-k).</param>
    /// <param name="truth">Rows x labels true labels, same shape.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static (double[] Scores, bool[] Relevant, int[] Rows) Pairs(CsrMatrix predicted, CsrMatrix truth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Rows != truth.Rows || predicted.Cols != truth.Cols)
            throw new ArgumentException($"the answers are {predicted.Rows}x{predicted.Cols} but the labels {truth.Rows}x{truth.Cols}.", nameof(truth));
        int n = checked((int)predicted.Nnz);
        var scores = new double[n];
        var relevant = new bool[n];
        var rows = new int[n];
        int at = 0;
        for (int r = 0; r < predicted.Rows; r++)
        {
            var answers = predicted.Row(r);
            var labels = truth.Row(r).Indices;
            for (int i = 0; i < answers.Length; i++, at++)
            {
                scores[at] = answers.Values[i];
                relevant[at] = labels.BinarySearch(answers.Indices[i]) >= 0;
                rows[at] = r;
            }
        }
        return (scores, relevant, rows);
    }
}
