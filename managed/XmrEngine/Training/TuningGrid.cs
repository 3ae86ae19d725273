using XmrEngine.Inference;

namespace XmrEngine.Training;

/// <summary>
/// The settings <see cref="XLinearTuner"/> tries. Costs are tried by training; tree counts by training
/// <see cref="MaxTrees"/> trees once per cost and scoring every prefix (tree 0 alone is the one-tree model);
/// beam sizes and post-processors only at prediction, so they cost no training.
/// </summary>
public sealed record TuningGrid
{
    /// <summary>Costs tried, each as Cp = Cn [0.35, 0.5, 1, 2]; ignored when <see cref="CostPairs"/> is set.</summary>
    public IReadOnlyList<double> Costs { get; init; } = [0.35, 0.5, 1.0, 2.0];

    /// <summary>
    /// (Cp, Cn) pairs tried instead of <see cref="Costs"/> [null: use Costs]. A Cp above Cn weighs the rare positives of
    /// tail labels more than their many negatives.
    /// </summary>
    public IReadOnlyList<CostPair>? CostPairs { get; init; }

    /// <summary>The (Cp, Cn) pairs the tuner trains: <see cref="CostPairs"/>, else each of <see cref="Costs"/> as Cp = Cn.</summary>
    public IReadOnlyList<CostPair> TrainedCosts => CostPairs ?? Costs.Select(c => new CostPair(c, c)).ToArray();

    /// <summary>Largest ensemble tried; every count from 1 up is scored [3].</summary>
    public int MaxTrees { get; init; } = 3;

    /// <summary>Beam sizes tried [10, 20].</summary>
    public IReadOnlyList<int> BeamSizes { get; init; } = [10, 20];

    /// <summary>Post-processors tried [l3-hinge].</summary>
    public IReadOnlyList<PostProcessor> PostProcessors { get; init; } = [PostProcessor.L3Hinge];

    /// <summary>Checks the grid; errors name the field.</summary>
    /// <exception cref="ArgumentException">An empty list, a cost that is not positive and finite, a beam below 1 or MaxTrees below 1.</exception>
    public void Validate()
    {
        if (Costs is not { Count: > 0 } || Costs.Any(c => !(c > 0) || double.IsInfinity(c)))
            throw new ArgumentException($"{nameof(TuningGrid)}.{nameof(Costs)} needs at least one positive, finite cost.");
        if (CostPairs is not null && (CostPairs.Count == 0 || CostPairs.Any(p => p is null || !(p.Cp > 0) || !(p.Cn > 0) || double.IsInfinity(p.Cp) || double.IsInfinity(p.Cn))))
            throw new ArgumentException($"{nameof(TuningGrid)}.{nameof(CostPairs)} needs at least one pair of positive, finite costs.");
        if (MaxTrees < 1) throw new ArgumentException($"{nameof(TuningGrid)}.{nameof(MaxTrees)} must be at least 1; got {MaxTrees}.");
        if (BeamSizes is not { Count: > 0 } || BeamSizes.Any(b => b < 1))
            throw new ArgumentException($"{nameof(TuningGrid)}.{nameof(BeamSizes)} needs at least one beam size of 1 or more.");
        if (PostProcessors is not { Count: > 0 } || PostProcessors.Any(p => p is null))
            throw new ArgumentException($"{nameof(TuningGrid)}.{nameof(PostProcessors)} needs at least one post-processor.");
    }
}

/// <summary>A cost on positives and one on negatives, tried together by <see cref="XLinearTuner"/>.</summary>
/// <param name="Cp">Cost of errors on positives.</param>
/// <param name="Cn">Cost of errors on negatives.</param>
public sealed record CostPair(double Cp, double Cn);

/// <summary>One scored point of the grid: the settings and their precision on the validation rows (percent).</summary>
/// <param name="Cost">Cn, and Cp too unless <see cref="PositiveCost"/> says otherwise.</param>
/// <param name="Trees">Trees in the ensemble.</param>
/// <param name="Prediction">Beam size, post-processor (top-k is the evaluation depth).</param>
/// <param name="PrecisionAt1">P@1 on the validation rows, percent.</param>
/// <param name="PrecisionAt3">P@3, percent.</param>
/// <param name="PrecisionAt5">P@5, percent.</param>
/// <param name="PredictMicrosPerRow">Batch prediction time per validation row (microseconds; informational).</param>
public sealed record TuningTrial(double Cost, int Trees, PredictOptions Prediction, double PrecisionAt1, double PrecisionAt3, double PrecisionAt5, double PredictMicrosPerRow)
{
    /// <summary>The selection score: the mean of P@1, P@3 and P@5.</summary>
    public double Score => (PrecisionAt1 + PrecisionAt3 + PrecisionAt5) / 3;

    /// <summary>Cp of this point when it differs from <see cref="Cost"/> (a <see cref="TuningGrid.CostPairs"/> pair); null when Cp = Cn.</summary>
    public double? PositiveCost { get; init; }

    /// <summary>Cost of errors on positives.</summary>
    public double Cp => PositiveCost ?? Cost;

    /// <summary>Cost of errors on negatives.</summary>
    public double Cn => Cost;
}

/// <summary>What <see cref="XLinearTuner.Tune"/> found.</summary>
/// <param name="Trials">Every scored point, in the order tried.</param>
/// <param name="Best">The chosen point.</param>
/// <param name="TrainingRows">Rows the grid's models were trained on.</param>
/// <param name="ValidationRows">Held-out rows they were scored on.</param>
public sealed record TuningResult(IReadOnlyList<TuningTrial> Trials, TuningTrial Best, int TrainingRows, int ValidationRows)
{
    /// <summary>
    /// The training options of the chosen point, built on <paramref name="baseOptions"/>: its costs, its tree count, and its
    /// beam as <see cref="XLinearTrainOptions.ManBeamSize"/>, so MAN negatives are mined with the beam the model is saved
    /// to predict with (the grid's own models mined with <paramref name="baseOptions"/>'s beam; the beam is tried at prediction only).
    /// </summary>
    public XLinearTrainOptions Apply(XLinearTrainOptions baseOptions)
    {
        ArgumentNullException.ThrowIfNull(baseOptions);
        return baseOptions with { Cp = Best.Cp, Cn = Best.Cn, Trees = Best.Trees, ManBeamSize = Best.Prediction.BeamSize };
    }
}
