using System.CommandLine;
using System.Globalization;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>
/// The fast and balanced presets' cheap version of the quality preset's tuning: the costs (Cp, Cn) chosen among
/// <see cref="TrainingPresets.AdaptiveCosts"/> on a seeded 20% of the training rows held out (never the test file),
/// one tree, the preset's beam; prints one line and returns the options to train on every row with, and the line the
/// model records.
/// </summary>
internal static class AdaptiveCost
{
    /// <summary>The <c>--no-adapt</c> flag of the training verbs that choose the cost.</summary>
    public static Option<bool> NoAdaptOption() => new("--no-adapt")
    {
        Description = $"Train Cp = Cn = 1 as given instead of choosing the costs (Cp = Cn = 0.35, Cp = Cn = 1, or Cp = 4 with Cn = 1) on 20% of the training rows held out " +
                      $"(done when there are {TrainingPresets.AdaptiveMinRows:N0} to {TrainingPresets.AdaptiveMaxRows:N0} rows and neither --Cp nor --Cn is given; " +
                      "about two more fits; the choice is saved in the model).",
    };

    /// <summary>Whether the run chooses its cost: neither --Cp nor --Cn nor --no-adapt given, and a row count the choice is worth it for.</summary>
    public static bool Applies(ParseResult result, XLinearTrainingFlags flags, Option<bool> noAdapt, int rows) =>
        result.GetResult(flags.Cp) is not { Implicit: false } && result.GetResult(flags.Cn) is not { Implicit: false } && !result.GetValue(noAdapt)
        && rows is >= TrainingPresets.AdaptiveMinRows and <= TrainingPresets.AdaptiveMaxRows;

    public static (XLinearTrainOptions Options, string Choice) Choose(CsrMatrix features, CsrMatrix labels, XLinearTrainOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var tuning = XLinearTuner.Tune(features, labels, options, TrainingPresets.AdaptiveGrid(options.ManBeamSize), TrainingPresets.ValidationFraction,
            options.Seed);
        string scores = string.Join(", ", tuning.Trials.Select(t => string.Create(c, $"{t.Cp}/{t.Cn}: {t.PrecisionAt1:F2} / {t.PrecisionAt3:F2} / {t.PrecisionAt5:F2}")));
        string choice = string.Create(c, $"Cp {tuning.Best.Cp}, Cn {tuning.Best.Cn} chosen on {tuning.ValidationRows:N0} of {features.Rows:N0} training rows held out " +
                                         $"(seed {options.Seed}); P@1 / P@3 / P@5 by Cp/Cn: {scores}");
        CliConsole.ErrWriter.WriteLine($"cost: {choice}");
        return (options with { Cp = tuning.Best.Cp, Cn = tuning.Best.Cn }, choice);
    }
}
