using System.Globalization;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>
/// The fast and balanced presets' cheap version of the quality preset's tuning: Cp = Cn chosen between
/// <see cref="TrainingPresets.AdaptiveCosts"/> on a seeded 20% of the training rows held out (never the test file),
/// one tree, the preset's beam; prints one line and returns the options to train on every row with, and the line the
/// model records.
/// </summary>
internal static class AdaptiveCost
{
    public static (XLinearTrainOptions Options, string Choice) Choose(CsrMatrix features, CsrMatrix labels, XLinearTrainOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var tuning = XLinearTuner.Tune(features, labels, options, TrainingPresets.AdaptiveGrid(options.ManBeamSize), TrainingPresets.ValidationFraction,
            options.Seed);
        string scores = string.Join(", ", tuning.Trials.Select(t => string.Create(c, $"{t.Cost}: {t.PrecisionAt1:F2} / {t.PrecisionAt3:F2} / {t.PrecisionAt5:F2}")));
        string choice = string.Create(c, $"Cp = Cn = {tuning.Best.Cost} chosen on {tuning.ValidationRows:N0} of {features.Rows:N0} training rows held out " +
                                         $"(seed {options.Seed}); P@1 / P@3 / P@5 by cost: {scores}");
        CliConsole.ErrWriter.WriteLine($"cost: {choice}");
        return (options with { Cp = tuning.Best.Cost, Cn = tuning.Best.Cost }, choice);
    }
}
