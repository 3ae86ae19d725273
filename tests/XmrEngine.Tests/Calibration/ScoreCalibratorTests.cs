using XmrEngine.Inference;
using XmrEngine.Training;

namespace XmrEngine.Tests.Calibration;

/// <summary>
/// The fits behind <c>xmr train --calibrate</c>: isotonic regression against a brute-force reference and on edge
/// cases, monotone maps, Platt scaling recovering a known sigmoid, and the cross-fitted choice.
/// </summary>
public class ScoreCalibratorTests
{
    private const string Post = "l3-hinge";

    /// <summary>
    /// The least-squares isotonic fit by its closed form (the max-min formula over contiguous runs of the sorted
    /// distinct scores), cubic and obviously right: fitted(i) = max over j &lt;= i of min over k &gt;= i of mean(y[j..k]).
    /// </summary>
    private static Dictionary<double, double> ReferenceIsotonic(double[] scores, bool[] relevant)
    {
        var distinct = scores.Distinct().Order().ToArray();
        var sum = distinct.Select(s => (double)scores.Zip(relevant).Count(p => p.First == s && p.Second)).ToArray();
        var count = distinct.Select(s => (double)scores.Count(v => v == s)).ToArray();
        var fitted = new Dictionary<double, double>();
        for (int i = 0; i < distinct.Length; i++)
        {
            double best = double.NegativeInfinity;
            for (int j = 0; j <= i; j++)
            {
                double worst = double.PositiveInfinity;
                for (int k = i; k < distinct.Length; k++)
                {
                    double s = 0, c = 0;
                    for (int m = j; m <= k; m++)
                    {
                        s += sum[m];
                        c += count[m];
                    }
                    worst = Math.Min(worst, s / c);
                }
                best = Math.Max(best, worst);
            }
            fitted[distinct[i]] = best;
        }
        return fitted;
    }

    [Test]
    public void Isotonic_MatchesTheReference_OnRandomPairs_WithAndWithoutTies()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 1 + rng.Next(40);
            bool ties = trial % 2 == 0;
            var scores = Enumerable.Range(0, n).Select(_ => ties ? rng.Next(6) / 5.0 : rng.NextDouble()).ToArray();
            // Relevance rises with the score on average, with noise, so both pooled and unpooled runs occur.
            var relevant = scores.Select(s => rng.NextDouble() < 0.2 + 0.6 * s).ToArray();
            var map = ScoreCalibrator.FitIsotonic(scores, relevant, Post);
            foreach (var (score, expected) in ReferenceIsotonic(scores, relevant))
                Assert.That(map.Probability(score), Is.EqualTo(expected).Within(1e-12), $"trial {trial}, score {score}");
            AssertMonotone(map, -0.5, 1.5);
        }
    }

    [Test]
    public void Isotonic_EdgeCases()
    {
        var one = ScoreCalibrator.FitIsotonic([0.4], [true], Post);
        Assert.That((one.Probability(0), one.Probability(0.4), one.Probability(9)), Is.EqualTo((1.0, 1.0, 1.0)), "one point: its label everywhere");
        var equal = ScoreCalibrator.FitIsotonic([0.7, 0.7, 0.7, 0.7], [true, false, false, false], Post);
        Assert.That(equal.Probability(0.7), Is.EqualTo(0.25), "all-equal scores: the base rate");
        Assert.That(equal.KnotScores, Has.Count.EqualTo(1));
        var positive = ScoreCalibrator.FitIsotonic([0.1, 0.5, 0.9], [true, true, true], Post);
        Assert.That(new[] { 0.0, 0.3, 1.0 }.Select(positive.Probability), Is.All.EqualTo(1.0), "all positive");
        var negative = ScoreCalibrator.FitIsotonic([0.1, 0.5, 0.9], [false, false, false], Post);
        Assert.That(new[] { 0.0, 0.3, 1.0 }.Select(negative.Probability), Is.All.EqualTo(0.0), "all negative");
        // Reversed relevance pools everything into one block: the map must not decrease.
        var reversed = ScoreCalibrator.FitIsotonic([0.1, 0.2, 0.8, 0.9], [true, true, false, false], Post);
        Assert.That(reversed.Probability(0.1), Is.EqualTo(0.5));
        Assert.That(reversed.Probability(0.9), Is.EqualTo(0.5));
        // Between two blocks the map interpolates linearly.
        var step = ScoreCalibrator.FitIsotonic([0.0, 1.0], [false, true], Post);
        Assert.That(step.Probability(0.25), Is.EqualTo(0.25).Within(1e-12));
        Assert.That(() => ScoreCalibrator.FitIsotonic([], [], Post), Throws.ArgumentException);
        Assert.That(() => ScoreCalibrator.FitIsotonic([double.NaN], [true], Post), Throws.ArgumentException.With.Message.Contains("not finite"));
    }

    [Test]
    public void Platt_RecoversAKnownSigmoid_OnTheScore_AndOnItsLogit()
    {
        var rng = new Random(5);
        const int n = 40_000;
        var scores = Enumerable.Range(0, n).Select(_ => -3 + 6 * rng.NextDouble()).ToArray();
        var relevant = scores.Select(s => rng.NextDouble() < 1 / (1 + Math.Exp(-(2 * s - 0.5)))).ToArray();
        var map = ScoreCalibrator.FitPlatt(scores, relevant, onLogit: false, Post);
        Assert.That(map.Method, Is.EqualTo(CalibrationMethod.Platt));
        Assert.That(map.Slope, Is.EqualTo(2).Within(0.1));
        Assert.That(map.Intercept, Is.EqualTo(-0.5).Within(0.06));

        var unit = Enumerable.Range(0, n).Select(_ => 0.01 + 0.98 * rng.NextDouble()).ToArray();
        var relevantUnit = unit.Select(s => rng.NextDouble() < 1 / (1 + Math.Exp(-(1.5 * Math.Log(s / (1 - s)) + 1)))).ToArray();
        var onLogit = ScoreCalibrator.FitPlatt(unit, relevantUnit, onLogit: true, Post);
        Assert.That(onLogit.OnLogit, Is.True);
        Assert.That(onLogit.Slope, Is.EqualTo(1.5).Within(0.08));
        Assert.That(onLogit.Intercept, Is.EqualTo(1).Within(0.06));
        AssertMonotone(onLogit, 0, 1);
    }

    [Test]
    public void Platt_StaysFiniteAndMonotone_OnSeparableOneSidedAndFallingPairs()
    {
        var separable = ScoreCalibrator.FitPlatt([0.1, 0.2, 0.8, 0.9], [false, false, true, true], onLogit: false, Post);
        Assert.That(double.IsFinite(separable.Slope) && separable.Slope > 0, Is.True, separable.ToString());
        var allPositive = ScoreCalibrator.FitPlatt([0.1, 0.5], [true, true], onLogit: true, Post);
        Assert.That(allPositive.Probability(0.3), Is.EqualTo(0.75).Within(1e-6), "Platt's smoothed target (N+ + 1) / (N+ + 2)");
        var falling = ScoreCalibrator.FitPlatt([0.1, 0.2, 0.8, 0.9], [true, true, false, false], onLogit: false, Post);
        Assert.That(falling.Slope, Is.EqualTo(0), "a falling relation is replaced by the best constant");
        var single = ScoreCalibrator.FitPlatt([0.5], [false], onLogit: true, Post);
        Assert.That(double.IsFinite(single.Probability(0.5)), Is.True);
    }

    [Test]
    public void Fit_ChoosesIsotonicForAStep_AndPlattForASigmoid_AndSaysSo()
    {
        var rng = new Random(3);
        int n = 6000;
        var rows = Enumerable.Range(0, n).Select(i => i / 6).ToArray();
        var scores = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        // A sharp step at 0.5 between 0.05 and 0.95: no logistic of the score or its logit fits it as well as a step.
        var step = scores.Select(s => rng.NextDouble() < (s < 0.5 ? 0.05 : 0.95)).ToArray();
        var chosen = ScoreCalibrator.Fit(scores, step, rows, seed: 0, Post);
        Assert.That(chosen.Method, Is.EqualTo(CalibrationMethod.Isotonic), chosen.Description);
        Assert.That(chosen.Description, Does.StartWith("isotonic chosen on 6,000 answers of 1,000 held-out rows").And.Contain("Platt on score").And.Contain("Platt on logit(score)"));
        var smooth = scores.Select(s => rng.NextDouble() < 1 / (1 + Math.Exp(-(4 * s - 2)))).ToArray();
        var platt = ScoreCalibrator.Fit(scores, smooth, rows, seed: 0, Post);
        Assert.That(platt.Method, Is.EqualTo(CalibrationMethod.Platt), platt.Description);
        var tiny = ScoreCalibrator.Fit([0.2, 0.4], [false, true], [0, 0], seed: 0, Post);
        Assert.That(tiny.Description, Does.Contain("too few to cross-fit"));
    }

    [Test]
    public void TheMap_RefusesWhatIsNotACalibration()
    {
        Assert.That(() => ScoreCalibration.Isotonic([0.1, 0.2], [0.6, 0.5], Post), Throws.ArgumentException.With.Message.Contains("monotone"));
        Assert.That(() => ScoreCalibration.Isotonic([0.2, 0.1], [0.1, 0.5], Post), Throws.ArgumentException.With.Message.Contains("non-decreasing"));
        Assert.That(() => ScoreCalibration.Isotonic([0.1], [1.5], Post), Throws.ArgumentException.With.Message.Contains("[0, 1]"));
        Assert.That(() => ScoreCalibration.Isotonic([double.PositiveInfinity], [0.5], Post), Throws.ArgumentException.With.Message.Contains("not finite"));
        Assert.That(() => ScoreCalibration.Platt(-1, 0, false, Post), Throws.ArgumentException.With.Message.Contains("not negative"));
        Assert.That(() => ScoreCalibration.Platt(1, double.NaN, false, Post), Throws.ArgumentException.With.Message.Contains("not finite"));
    }

    private static void AssertMonotone(ScoreCalibration map, double from, double to)
    {
        double previous = double.NegativeInfinity;
        for (int i = 0; i <= 400; i++)
        {
            double p = map.Probability(from + (to - from) * i / 400);
            Assert.That(p, Is.InRange(0.0, 1.0));
            Assert.That(p, Is.GreaterThanOrEqualTo(previous), $"{map} decreases at step {i}");
            previous = p;
        }
    }
}
