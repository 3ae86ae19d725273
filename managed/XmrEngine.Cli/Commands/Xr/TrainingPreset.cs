using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>
/// Named settings of <c>xmr train --preset</c> (costs and accuracy of each are in perf/RESULTS.md):
/// <list type="bullet">
/// <item><c>fast</c>: balanced with beam 5 saved as the prediction default (half the beam, about half the prediction work).</item>
/// <item><c>balanced</c> (default): PECOS's solver settings (one tree, beam 10) but the solver tolerance
/// <see cref="XLinearTrainOptions.RecommendedEps"/>, on the recommended tree
/// (<see cref="XmrEngine.Indexing.HierarchicalKMeansOptions.Recommended"/>: 64 children per node, labels without features gathered last),
/// and the costs (Cp, Cn) chosen on held-out training rows by <see cref="HeldOutCostChoice"/>
/// when there are <see cref="HeldOutCostChoice.MinRows"/> to <see cref="HeldOutCostChoice.MaxRows"/> rows (otherwise PECOS's 1).</item>
/// <item><c>pecos</c>: PECOS's defaults throughout, its 16-way tree included (for side-by-side runs and models trained before the change).</item>
/// <item><c>quality</c>: PECOS's solver tolerance, and the cost (Cp = Cn in 0.35, 0.5, 1, 2, or Cp 4 with Cn 1), the number of trees (1 to 3) and the beam (10, 20) chosen on a
/// seeded 20% of the training rows held out for validation (<see cref="XLinearTuner"/>), then the chosen setting trained on every row.</item>
/// </list>
/// </summary>
internal enum TrainingPreset
{
    Fast,
    Balanced,
    Quality,
    Pecos,
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
        "pecos" => TrainingPreset.Pecos,
        _ => throw new ArgumentException($"--preset must be fast, balanced, quality or pecos; got '{name}'."),
    };

    public static string ToName(this TrainingPreset preset) => preset.ToString().ToLowerInvariant();

    /// <summary>
    /// The beam of a preset when --beam-size is not given: the model's prediction default and the beam MAN negatives are
    /// mined with (the quality preset then tunes it).
    /// </summary>
    public static int BeamSize(this TrainingPreset preset) => preset == TrainingPreset.Fast ? 5 : PredictOptions.Default.BeamSize;

    /// <summary>The tree a preset builds when --nr-splits and --empty-labels-last are not given.</summary>
    public static HierarchicalKMeansOptions Tree(this TrainingPreset preset) =>
        preset == TrainingPreset.Pecos ? new HierarchicalKMeansOptions() : HierarchicalKMeansOptions.Recommended;

    /// <summary>
    /// The options with PECOS's exact tree splits and node solves switched on for the pecos preset, so that its model
    /// equals the one PECOS trains on the same files; the other presets keep the engine's faster arithmetic.
    /// </summary>
    public static XLinearTrainOptions WithExactness(this TrainingPreset preset, XLinearTrainOptions options) =>
        preset == TrainingPreset.Pecos ? options with { ExactPecos = true, Indexer = options.Indexer with { ExactPecos = true } } : options;

    /// <summary>The solver tolerance a preset uses when --eps is not given: PECOS's for pecos and quality.</summary>
    public static double Eps(this TrainingPreset preset) =>
        preset is TrainingPreset.Pecos or TrainingPreset.Quality ? new XLinearTrainOptions().Eps : XLinearTrainOptions.RecommendedEps;

    /// <summary>
    /// The grid the quality preset tunes over: the library's default grid (trees 1 to 3, beam 10 and 20), with the
    /// symmetric costs 0.35, 0.5, 1 and 2 and the default's asymmetric Cp 4 with Cn 1, so the quality preset never
    /// chooses among fewer costs than the default does.
    /// </summary>
    public static TuningGrid QualityGrid { get; } = new()
    {
        CostPairs = [new(0.35, 0.35), new(0.5, 0.5), new(1, 1), new(2, 2), new(4, 1)],
    };

    /// <summary>Whether a preset chooses its cost on held-out rows (when the user gives neither --Cp nor --Cn).</summary>
    public static bool ChoosesCost(this TrainingPreset preset) => preset is TrainingPreset.Fast or TrainingPreset.Balanced;
}
