using System.CommandLine;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Serving;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>
/// The calibration flags: <c>xmr train --calibrate</c> (the library's <see cref="HeldOutCalibration"/>) and
/// <c>xmr predict --min-probability</c> / <c>--probabilities</c> (the model's own <see cref="XLinearServingModel.Probabilities"/>).
/// </summary>
internal static class CalibrationFlags
{
    /// <summary><c>--calibrate</c> of <c>xmr train</c>.</summary>
    public static Option<bool> CalibrateOption() => new("--calibrate")
    {
        Description = $"Also store a map from scores to the probability that an answer is relevant: a model trained on the rest scores a seeded " +
                      $"{HeldOutCalibration.HeldOutFraction:P0} of the training rows held out (at most {HeldOutCalibration.MaxHeldOutRows:N0}), and isotonic " +
                      "regression or Platt scaling, whichever has the lower cross-fitted log-loss, is fitted to its top-k answers; then the model is trained " +
                      "on all rows. About one more fit. Needed by predict --min-probability and the server's probability field.",
    };

    /// <summary>Fits the calibration on held-out rows and prints the choice.</summary>
    public static ScoreCalibration Fit(CsrMatrix features, CsrMatrix labels, XLinearTrainOptions options, PredictOptions prediction)
    {
        if (features.Rows < HeldOutCalibration.MinRows)
            throw new ArgumentException($"--calibrate needs at least {HeldOutCalibration.MinRows} training rows to hold some out; there are {features.Rows}.");
        var calibration = HeldOutCalibration.Fit(features, labels, options, prediction, CliConsole.ErrWriter.WriteLine);
        CliConsole.ErrWriter.WriteLine($"calibration: {calibration.Description}; saved: {calibration}");
        return calibration;
    }

    /// <summary><c>--min-probability</c> of <c>xmr predict</c>.</summary>
    public static Option<double?> MinProbabilityOption() => new("--min-probability")
    {
        Description = "Drop answers whose calibrated probability of being relevant is below this, in [0, 1] (the model must be trained with --calibrate).",
    };

    /// <summary><c>--probabilities</c> of <c>xmr predict</c>.</summary>
    public static Option<string?> ProbabilitiesOption() => new("--probabilities")
    {
        Description = "Also write each answer's calibrated probability to this .npz (same rows and labels as -o; the model must be trained with --calibrate).",
    };

    /// <summary>
    /// Checks, before any work, that the flags can be honoured: a probability in [0, 1], a calibrated model, and scores
    /// of the post-processor it was calibrated for.
    /// </summary>
    public static void Check(XLinearServingModel model, string modelPath, PredictOptions options, double? minProbability, string? probabilitiesPath)
    {
        if (minProbability is { } p && !(p >= 0 && p <= 1))
            throw new ArgumentException($"--min-probability must be in [0, 1]; got {p}.");
        if (minProbability is null && probabilitiesPath is null) return;
        string flag = minProbability is not null ? "--min-probability" : "--probabilities";
        if (model.Calibration is not { } map)
            throw new ArgumentException($"{flag}: the model {modelPath} has no calibration; train it with `xmr train --calibrate`.");
        if (!model.IsCalibrated(options))
            throw new ArgumentException($"{flag}: the model's calibration holds for {map.PostProcessor} scores (of an ensemble, combined by {model.Defaults.Combination.ToName()}), " +
                                        $"not {options.PostProcessor.Name} (combined by {options.Combination.ToName()}); leave out --post-processor and --combination.");
    }

    /// <summary>The answers to write (those of at least the minimum probability) and, when asked, their probabilities, written to <paramref name="probabilitiesPath"/>.</summary>
    public static CsrMatrix Apply(XLinearServingModel model, CsrMatrix scores, PredictOptions options, double? minProbability, string? probabilitiesPath)
    {
        if (minProbability is { } p) scores = model.KeepProbableAnswers(scores, p, options);
        if (probabilitiesPath is not null) NpzFormat.Write(probabilitiesPath, model.Probabilities(scores, options));
        return scores;
    }
}
