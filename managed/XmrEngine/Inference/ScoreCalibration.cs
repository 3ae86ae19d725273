namespace XmrEngine.Inference;

/// <summary>Which family a <see cref="ScoreCalibration"/> map belongs to.</summary>
public enum CalibrationMethod
{
    /// <summary>Isotonic regression (pool-adjacent-violators): a non-decreasing step function of the score, interpolated
    /// linearly between the fitted blocks.</summary>
    Isotonic = 0,

    /// <summary>Platt scaling: a logistic function of the score, or of the logit of the score.</summary>
    Platt = 1,
}

/// <summary>
/// A non-decreasing map from a beam-search score to the probability that the answer is one of the row's true labels,
/// fitted on held-out rows (see <c>XmrEngine.Training.HeldOutCalibration</c>) and stored in the model file. It holds for
/// the scores it was fitted on: those of the model's own post-processor (<see cref="PostProcessor"/>) and its default
/// ensemble combination, on the top answers of a beam search. Immutable and thread-safe.
/// </summary>
public sealed class ScoreCalibration
{
    private readonly double[] _scores;
    private readonly double[] _probabilities;

    private ScoreCalibration(CalibrationMethod method, double[] scores, double[] probabilities, double slope, double intercept, bool onLogit,
        string postProcessor, string description)
    {
        ArgumentException.ThrowIfNullOrEmpty(postProcessor);
        ArgumentNullException.ThrowIfNull(description);
        Method = method;
        _scores = scores;
        _probabilities = probabilities;
        Slope = slope;
        Intercept = intercept;
        OnLogit = onLogit;
        PostProcessor = postProcessor;
        Description = description;
    }

    /// <summary>
    /// An isotonic map through the knots (<paramref name="scores"/>[i], <paramref name="probabilities"/>[i]): linear between
    /// knots, flat beyond the first and the last.
    /// </summary>
    /// <param name="scores">Knot scores, finite and non-decreasing; at least one.</param>
    /// <param name="probabilities">Knot probabilities, in [0, 1] and non-decreasing, one per score.</param>
    /// <param name="postProcessor">Name of the post-processor whose scores the map was fitted on.</param>
    /// <param name="description">How the map was chosen, for people.</param>
    /// <exception cref="ArgumentException">The knots are empty, of different lengths, not finite, decreasing, or a probability lies outside [0, 1].</exception>
    public static ScoreCalibration Isotonic(IReadOnlyList<double> scores, IReadOnlyList<double> probabilities, string postProcessor, string description = "")
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(probabilities);
        var x = scores.ToArray();
        var y = probabilities.ToArray();
        if (x.Length == 0 || x.Length != y.Length)
            throw new ArgumentException($"an isotonic map needs one probability per knot and at least one knot; got {x.Length} scores and {y.Length} probabilities.");
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i])) throw new ArgumentException($"knot {i}: the score {x[i]} is not finite.");
            if (!(y[i] >= 0 && y[i] <= 1)) throw new ArgumentException($"knot {i}: the probability {y[i]} is not in [0, 1].");
            if (i > 0 && x[i] < x[i - 1]) throw new ArgumentException($"knot {i}: the score {x[i]} is below the previous knot's {x[i - 1]}; knots must be non-decreasing.");
            if (i > 0 && y[i] < y[i - 1]) throw new ArgumentException($"knot {i}: the probability {y[i]} is below the previous knot's {y[i - 1]}; the map must be monotone.");
        }
        return new ScoreCalibration(CalibrationMethod.Isotonic, x, y, 0, 0, false, postProcessor, description);
    }

    /// <summary>A Platt map: probability = 1 / (1 + exp(-(slope * t + intercept))), t the score or, with <paramref name="onLogit"/>, its logit.</summary>
    /// <param name="slope">Finite and not negative, so the map is non-decreasing.</param>
    /// <param name="intercept">Finite.</param>
    /// <param name="onLogit">Apply the logistic to logit(score) (scores clamped into (0, 1) first) rather than to the score.</param>
    /// <param name="postProcessor">Name of the post-processor whose scores the map was fitted on.</param>
    /// <param name="description">How the map was chosen, for people.</param>
    /// <exception cref="ArgumentException">A coefficient is not finite, or the slope is negative.</exception>
    public static ScoreCalibration Platt(double slope, double intercept, bool onLogit, string postProcessor, string description = "")
    {
        if (!double.IsFinite(slope) || slope < 0) throw new ArgumentException($"the Platt slope {slope} must be finite and not negative (a monotone map).");
        if (!double.IsFinite(intercept)) throw new ArgumentException($"the Platt intercept {intercept} is not finite.");
        return new ScoreCalibration(CalibrationMethod.Platt, [], [], slope, intercept, onLogit, postProcessor, description);
    }

    /// <summary>The map's family.</summary>
    public CalibrationMethod Method { get; }

    /// <summary>Isotonic knot scores (non-decreasing); empty for Platt.</summary>
    public IReadOnlyList<double> KnotScores => _scores;

    /// <summary>Isotonic knot probabilities (non-decreasing, in [0, 1]); empty for Platt.</summary>
    public IReadOnlyList<double> KnotProbabilities => _probabilities;

    /// <summary>Platt slope; 0 for isotonic.</summary>
    public double Slope { get; }

    /// <summary>Platt intercept; 0 for isotonic.</summary>
    public double Intercept { get; }

    /// <summary>Whether the Platt map takes the logit of the score.</summary>
    public bool OnLogit { get; }

    /// <summary>Name of the post-processor (<see cref="Inference.PostProcessor.Name"/>) whose scores the map was fitted on.</summary>
    public string PostProcessor { get; }

    /// <summary>How the map was chosen (the candidates' held-out losses), for people; may be empty.</summary>
    public string Description { get; }

    /// <summary>Smallest score the logit is taken of; keeps a score of exactly 0 or 1 finite.</summary>
    internal const double LogitClamp = 1e-6;

    /// <summary>logit(score), the score clamped into [<see cref="LogitClamp"/>, 1 - <see cref="LogitClamp"/>].</summary>
    internal static double Logit(double score)
    {
        double p = Math.Clamp(double.IsNaN(score) ? 0 : score, LogitClamp, 1 - LogitClamp);
        return Math.Log(p / (1 - p));
    }

    /// <summary>The probability that an answer with beam score <paramref name="score"/> is relevant, in [0, 1]; non-decreasing in the score.</summary>
    public double Probability(double score)
    {
        if (Method == CalibrationMethod.Platt)
        {
            double t = OnLogit ? Logit(score) : score;
            return 1 / (1 + Math.Exp(-(Slope * t + Intercept)));
        }
        if (double.IsNaN(score) || score <= _scores[0]) return _probabilities[0];
        int last = _scores.Length - 1;
        if (score >= _scores[last]) return _probabilities[last];
        // First knot above the score; the one before it is at or below, so the segment is never of zero width.
        int hi = Array.BinarySearch(_scores, score);
        if (hi >= 0)
        {
            // On a knot: equal scores can repeat; take the last of them, the map's right limit (still monotone).
            while (hi < last && _scores[hi + 1] == score) hi++;
            return _probabilities[hi];
        }
        hi = ~hi;
        int lo = hi - 1;
        double w = (score - _scores[lo]) / (_scores[hi] - _scores[lo]);
        return _probabilities[lo] + w * (_probabilities[hi] - _probabilities[lo]);
    }

    /// <inheritdoc />
    public override string ToString() => Method == CalibrationMethod.Platt
        ? $"Platt on {(OnLogit ? "logit(score)" : "score")}: slope {Slope:G6}, intercept {Intercept:G6} ({PostProcessor} scores)"
        : $"isotonic, {_scores.Length} knots ({PostProcessor} scores)";
}
