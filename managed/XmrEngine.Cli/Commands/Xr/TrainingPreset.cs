using XmrEngine.Inference;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>
/// Named settings of <c>xmr train --preset</c> (costs and accuracy of each are in perf/RESULTS.md):
/// <list type="bullet">
/// <item><c>fast</c>: one tree, beam 5 saved as the prediction default (half the beam, about half the prediction work).</item>
/// <item><c>balanced</c> (default): PECOS's defaults, one tree, Cp = Cn = 1, beam 10.</item>
/// <item><c>quality</c>: the cost (Cp = Cn in 0.35, 0.5, 1, 2), the number of trees (1 to 3) and the beam (10, 20) chosen on a
/// seeded 20% of the training rows held out for validation (<see cref="XLinearTuner"/>), then the chosen setting trained on every row.</item>
/// </list>
/// </summary>
internal enum TrainingPreset
{
    Fast,
    Balanced,
    Quality,
}

internal static class TrainingPresets
{
    /// <summary>Share of the training rows the quality preset holds out.</summary>
    public const double ValidationFraction = 0.2;

    public static TrainingPreset Parse(string name) => name switch
    {
        "fast" => TrainingPreset.Fast,
        "balanced" => TrainingPreset.Balanced,
        "quality" => TrainingPreset.Quality,
        _ => throw new ArgumentException($"--preset must be fast, balanced or quality; got '{name}'."),
    };

    public static string ToName(this TrainingPreset preset) => preset.ToString().ToLowerInvariant();

    /// <summary>The beam the preset saves as the prediction default, unless --beam-size was given.</summary>
    public static int BeamSize(this TrainingPreset preset, int? explicitBeam) => explicitBeam ?? (preset == TrainingPreset.Fast ? 5 : PredictOptions.Default.BeamSize);

    /// <summary>The grid the quality preset tunes over (the library's default grid).</summary>
    public static TuningGrid QualityGrid { get; } = new();
}
