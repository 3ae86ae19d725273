using System.Globalization;
using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// The costs (Cp, Cn) chosen on the user's own training rows, the cheap version of <see cref="XLinearTuner"/> that
/// the engine's default training runs: a seeded <see cref="HeldOutFraction"/> of the rows is held out, one tree is
/// built on the rest, each of <see cref="Candidates"/> is trained on it and scored on the held-out rows (mean of
/// P@1, P@3 and P@5), and the best-scoring pair is returned with a line that says how it was chosen, for the model's <see cref="TrainingRecord.Choice"/>. The caller
/// then trains on every row with <see cref="CostChoice.Options"/>. Only the rows passed in are read: a test set is
/// never seen unless the caller passes it as training data.
/// </summary>
public static class HeldOutCostChoice
{
    /// <summary>
    /// The pairs tried: PECOS's Cp = Cn = 1; a more regularised Cp = Cn = 0.35 (best where rows are noisy and labels
    /// many-rowed); and Cp 4 with Cn 1, which weighs the rare positives of tail labels against their many negatives.
    /// </summary>
    public static IReadOnlyList<CostPair> Candidates { get; } = [new(0.35, 0.35), new(1, 1), new(4, 1)];

    /// <summary>Share of the training rows held out [0.2].</summary>
    public const double HeldOutFraction = 0.2;

    /// <summary>Fewest training rows the choice runs on: below, the held-out rows are too few to tell two costs apart [250].</summary>
    public const int MinRows = 250;

    /// <summary>
    /// Most training rows the choice runs on [100,000]: above, it would cost minutes, and the data rather than the
    /// regulariser decide the model.
    /// </summary>
    public const int MaxRows = 100_000;

    /// <summary>Whether a training set of <paramref name="rows"/> rows is one the choice is made for.</summary>
    public static bool AppliesTo(int rows) => rows is >= MinRows and <= MaxRows;

    /// <summary>Chooses the costs on held-out rows.</summary>
    /// <param name="x">Training instances x features (rows prepared as for training).</param>
    /// <param name="y">Training labels.</param>
    /// <param name="options">The training options; their seed seeds the split and the tree, their MAN beam is the beam scored with.</param>
    /// <param name="log">Receives one line per trained candidate; may be null.</param>
    /// <param name="cancellationToken">Stops between candidates.</param>
    /// <returns><paramref name="options"/> with the chosen costs, the line to record, and every candidate's scores.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, or no held-out row has a label.</exception>
    public static CostChoice Choose(CsrMatrix x, CsrMatrix y, XLinearTrainOptions options, Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var grid = new TuningGrid { CostPairs = Candidates, MaxTrees = 1, BeamSizes = [options.ManBeamSize] };
        var tuning = XLinearTuner.Tune(x, y, options with { Trees = 1 }, grid, HeldOutFraction, options.Seed, log, cancellationToken);
        var c = CultureInfo.InvariantCulture;
        string scores = string.Join(", ", tuning.Trials.Select(t => string.Create(c, $"{t.Cp}/{t.Cn}: {t.PrecisionAt1:F2} / {t.PrecisionAt3:F2} / {t.PrecisionAt5:F2}")));
        string description = string.Create(c, $"Cp {tuning.Best.Cp}, Cn {tuning.Best.Cn} chosen on {tuning.ValidationRows:N0} of {x.Rows:N0} training rows held out " +
                                              $"(seed {options.Seed}); P@1 / P@3 / P@5 by Cp/Cn: {scores}");
        return new CostChoice(options with { Cp = tuning.Best.Cp, Cn = tuning.Best.Cn }, description, tuning);
    }
}

/// <summary>What <see cref="HeldOutCostChoice.Choose"/> found.</summary>
/// <param name="Options">The options to train on every row with: the caller's, with the chosen Cp and Cn.</param>
/// <param name="Description">How the costs were chosen, every candidate's held-out scores included; the line a model records as its <see cref="TrainingRecord.Choice"/>.</param>
/// <param name="Tuning">Every candidate's scores and the chosen one.</param>
public sealed record CostChoice(XLinearTrainOptions Options, string Description, TuningResult Tuning);
