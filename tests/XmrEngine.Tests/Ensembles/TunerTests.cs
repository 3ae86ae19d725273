using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Sparse;
using XmrEngine.Tests.Training;
using XmrEngine.Training;

namespace XmrEngine.Tests.Ensembles;

/// <summary><see cref="XLinearTuner"/>: the seeded split, the choice rule and the grid it scores.</summary>
public class TunerTests
{
    private static readonly (CsrMatrix X, CsrMatrix Y) Data = SyntheticData.Make(n: 600, d: 200, labels: 80, seed: 9);

    [Test]
    public void Split_IsSeededDisjointAndComplete()
    {
        var (train, valid) = HeldOutRows.Split(1000, 0.2, seed: 4);
        Assert.That(valid, Has.Length.EqualTo(200));
        Assert.That(train.Concat(valid).Order(), Is.EqualTo(Enumerable.Range(0, 1000)));
        Assert.That(HeldOutRows.Split(1000, 0.2, seed: 4).HeldOut, Is.EqualTo(valid));
        Assert.That(HeldOutRows.Split(1000, 0.2, seed: 5).HeldOut, Is.Not.EqualTo(valid));
        Assert.That(HeldOutRows.Split(1000, 0.2, seed: 4, stream: -2).HeldOut, Is.Not.EqualTo(valid), "another stream of the same seed");
        var capped = HeldOutRows.Split(1000, 0.2, seed: 4, maxHeldOut: 50);
        Assert.That((capped.HeldOut.Length, capped.Train.Length), Is.EqualTo((50, 950)));
        Assert.That(capped.HeldOut, Is.EqualTo(capped.HeldOut.Order()), "both parts in row order");
        Assert.That(HeldOutRows.Split(0, 0.2, seed: 4).HeldOut, Is.Empty);
        Assert.Throws<ArgumentOutOfRangeException>(() => HeldOutRows.Split(10, 1.5, seed: 4));
    }

    private static TuningTrial Trial(double cost, int trees, int beam, double p) =>
        new(cost, trees, PredictOptions.Default with { BeamSize = beam }, p, p, p, 1);

    [Test]
    public void Choose_TakesTheCheapestWithinTolerance()
    {
        var trials = new[] { Trial(1, 3, 10, 50.04), Trial(1, 1, 20, 50.0), Trial(1, 1, 10, 49.99), Trial(2, 2, 10, 48) };
        Assert.That(XLinearTuner.Choose(trials), Is.SameAs(trials[2]), "1 tree, beam 10, within 0.05 of the best");
        var clear = new[] { Trial(1, 3, 10, 51), Trial(1, 1, 10, 50) };
        Assert.That(XLinearTuner.Choose(clear), Is.SameAs(clear[0]), "a clear gain buys the ensemble");
    }

    [Test]
    public void Tune_ScoresEveryGridPoint_AndTheChoiceIsTheBestOrCheaperTie()
    {
        var grid = new TuningGrid { Costs = [0.5, 2], MaxTrees = 2, BeamSizes = [5, 10] };
        var options = new XLinearTrainOptions { Threads = 2, Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 8, NrSplits = 4 } };
        var result = XLinearTuner.Tune(Data.X, Data.Y, options, grid, 0.25, seed: 1);
        Assert.That(result.Trials, Has.Count.EqualTo(2 * 2 * 2));
        Assert.That(result.ValidationRows + result.TrainingRows, Is.EqualTo(600));
        Assert.That(result.Trials.Select(t => (t.Cost, t.Trees, t.Prediction.BeamSize)).Distinct().Count(), Is.EqualTo(8));
        Assert.That(result.Trials.SelectMany(t => new[] { t.PrecisionAt1, t.PrecisionAt3, t.PrecisionAt5 }), Is.All.InRange(0.0, 100.0));
        Assert.That(result.Trials.Max(t => t.PrecisionAt1), Is.GreaterThan(10), "the grid's models learned something");
        Assert.That(result.Best.Score, Is.GreaterThanOrEqualTo(result.Trials.Max(t => t.Score) - XLinearTuner.Tolerance));
        var applied = result.Apply(options);
        Assert.That((applied.Cp, applied.Cn, applied.Trees), Is.EqualTo((result.Best.Cost, result.Best.Cost, result.Best.Trees)));
    }

    [Test]
    public void CostPairs_AreTrainedAsGiven_AndTheChosenPairIsApplied()
    {
        var grid = new TuningGrid { CostPairs = [new(0.5, 0.5), new(4, 1)], MaxTrees = 1, BeamSizes = [10] };
        var options = new XLinearTrainOptions { Threads = 2, Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 8, NrSplits = 4 } };
        var result = XLinearTuner.Tune(Data.X, Data.Y, options, grid, 0.25, seed: 1);
        Assert.That(result.Trials.Select(t => (t.Cp, t.Cn)), Is.EqualTo(new[] { (0.5, 0.5), (4.0, 1.0) }));
        Assert.That(result.Trials.Select(t => t.PositiveCost), Is.EqualTo(new double?[] { null, 4.0 }));
        // Each pair is its own model: Cp 4 with Cn 1 is not Cp = Cn = 1, so their scores are those of different models.
        var symmetric = XLinearTuner.Tune(Data.X, Data.Y, options, grid with { CostPairs = [new(1, 1)] }, 0.25, seed: 1);
        Assert.That(result.Trials[1].Score, Is.Not.EqualTo(symmetric.Trials[0].Score).Or.Not.EqualTo(symmetric.Trials[0].PrecisionAt5));
        var applied = result.Apply(options);
        Assert.That((applied.Cp, applied.Cn), Is.EqualTo((result.Best.Cp, result.Best.Cn)));
        Assert.That(() => XLinearTuner.Tune(Data.X, Data.Y, options, new TuningGrid { CostPairs = [new(1, 0)] }, 0.2, 0),
            Throws.ArgumentException.With.Message.Contains("CostPairs"));
        Assert.That(() => XLinearTuner.Tune(Data.X, Data.Y, options, new TuningGrid { CostPairs = [] }, 0.2, 0),
            Throws.ArgumentException.With.Message.Contains("CostPairs"));
    }

    [Test]
    public void CostsShareTheirTrees_AndScoreAsTheyWouldAlone()
    {
        // Every cost trains on the trees the first cost built; a cost tried alone builds its own from the same seed,
        // so the scores must be the same either way (a tree taken from the wrong slot or seed would change them).
        var grid = new TuningGrid { CostPairs = [new(0.5, 0.5), new(4, 1)], MaxTrees = 2, BeamSizes = [10] };
        var options = new XLinearTrainOptions { Threads = 2, Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 8, NrSplits = 4 } };
        var shared = XLinearTuner.Tune(Data.X, Data.Y, options, grid, 0.25, seed: 3);
        var alone = grid.CostPairs!.SelectMany(p => XLinearTuner.Tune(Data.X, Data.Y, options, grid with { CostPairs = [p] }, 0.25, seed: 3).Trials).ToArray();
        Assert.That(shared.Trials.Select(t => (t.Cp, t.Cn, t.Trees, t.PrecisionAt1, t.PrecisionAt3, t.PrecisionAt5)),
            Is.EqualTo(alone.Select(t => (t.Cp, t.Cn, t.Trees, t.PrecisionAt1, t.PrecisionAt3, t.PrecisionAt5))));
    }

    [Test]
    public void HeldOutCostChoice_IsSeeded_AppliesTheBestPair_AndSaysHow()
    {
        var options = new XLinearTrainOptions { Threads = 2, Seed = 5, Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 8, NrSplits = 4 } };
        var choice = HeldOutCostChoice.Choose(Data.X, Data.Y, options);
        Assert.That(choice.Tuning.Trials.Select(t => new CostPair(t.Cp, t.Cn)), Is.EqualTo(HeldOutCostChoice.Candidates));
        Assert.That(choice.Options, Is.EqualTo(options with { Cp = choice.Tuning.Best.Cp, Cn = choice.Tuning.Best.Cn }), "only the costs change");
        Assert.That(choice.Tuning.ValidationRows, Is.EqualTo(120), "20% of 600 rows held out");
        Assert.That(choice.Description, Does.StartWith($"Cp {choice.Tuning.Best.Cp}, Cn {choice.Tuning.Best.Cn} chosen on 120 of 600 training rows held out (seed 5)"));
        foreach (var pair in HeldOutCostChoice.Candidates) Assert.That(choice.Description, Does.Contain($"{pair.Cp}/{pair.Cn}: "));
        var again = HeldOutCostChoice.Choose(Data.X, Data.Y, options);
        Assert.That(again.Description, Is.EqualTo(choice.Description), "the same seed chooses the same way");
        Assert.That(new[] { HeldOutCostChoice.MinRows - 1, HeldOutCostChoice.MinRows, 600, HeldOutCostChoice.MaxRows, HeldOutCostChoice.MaxRows + 1 }
            .Select(HeldOutCostChoice.AppliesTo), Is.EqualTo(new[] { false, true, true, true, false }));
    }

    [Test]
    public void RelevanceWeights_FollowTheTrainingRows()
    {
        // Relevance 1 on every positive, on the last level only, trains as no relevance at all: the grid must score the
        // same, which it can only do if the relevance rows were split with X and Y (else their pattern check fails).
        var grid = new TuningGrid { CostPairs = [new(1, 1), new(4, 1)], MaxTrees = 1, BeamSizes = [10] };
        var options = new XLinearTrainOptions { Threads = 2, Indexer = new HierarchicalKMeansOptions { MaxLeafSize = 8, NrSplits = 4 } };
        var plain = XLinearTuner.Tune(Data.X, Data.Y, options, grid, 0.25, seed: 2);
        var weighted = XLinearTuner.Tune(Data.X, Data.Y, options with { Relevance = new RelevanceWeights(Data.Y, RelevanceMode.RankerOnly) }, grid, 0.25, seed: 2);
        Assert.That(weighted.Trials.Select(t => t.Score), Is.EqualTo(plain.Trials.Select(t => t.Score)));
        var shortRelevance = new RelevanceWeights(Data.Y.SelectRows([.. Enumerable.Range(0, 10)]), RelevanceMode.RankerOnly);
        Assert.That(() => XLinearTuner.Tune(Data.X, Data.Y, options with { Relevance = shortRelevance }, grid, 0.25, seed: 2),
            Throws.ArgumentException.With.Message.Contains("relevance matrix has 10 rows"));
    }

    [Test]
    public void BadArguments_NameTheProblem()
    {
        var options = new XLinearTrainOptions();
        Assert.That(() => XLinearTuner.Tune(Data.X, Data.Y, options, new TuningGrid { Costs = [] }, 0.2, 0), Throws.ArgumentException.With.Message.Contains("Costs"));
        Assert.That(() => XLinearTuner.Tune(Data.X, Data.Y, options, new TuningGrid(), 0.7, 0), Throws.ArgumentException.With.Message.Contains("validation fraction"));
        Assert.That(() => XLinearTuner.Tune(Data.X, Data.Y, options, new TuningGrid { MaxTrees = 0 }, 0.2, 0), Throws.ArgumentException.With.Message.Contains("MaxTrees"));
    }
}
