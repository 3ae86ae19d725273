using System.Globalization;
using XmrEngine.Inference;

namespace XmrEngine.Training;

/// <summary>
/// Fits <see cref="ScoreCalibration"/> maps to (score, relevant) pairs: isotonic regression by pool-adjacent-violators,
/// and Platt's logistic on the score or on its logit. <see cref="Fit"/> cross-fits every candidate on two seeded halves
/// of the rows, keeps the one with the lower held-out log-loss, and refits it on every pair.
/// </summary>
public static class ScoreCalibrator
{
    /// <summary>Probabilities are clipped into [eps, 1 - eps] when scoring log-loss, so one confident miss of an
    /// isotonic step (a 0 or a 1) costs a large but finite amount.</summary>
    public const double LogLossClip = 1e-6;

    /// <summary>
    /// Isotonic regression of <paramref name="relevant"/> on <paramref name="scores"/>: the non-decreasing function
    /// with the least squared error, found by pool-adjacent-violators. Equal scores are pooled first (they must get one
    /// probability); each final block contributes a knot at its lowest and at its highest score.
    /// </summary>
    /// <param name="scores">Finite scores, one per pair, in any order.</param>
    /// <param name="relevant">Whether each pair's label is relevant.</param>
    /// <param name="postProcessor">Name of the post-processor that made the scores (recorded in the map).</param>
    /// <exception cref="ArgumentException">No pairs, lengths differ, or a score is not finite.</exception>
    public static ScoreCalibration FitIsotonic(ReadOnlySpan<double> scores, ReadOnlySpan<bool> relevant, string postProcessor)
    {
        var order = SortedOrder(scores, relevant);
        // Blocks on a stack: lowest score, highest score, positives, count. A block's mean is positives / count.
        var lo = new List<double>();
        var hi = new List<double>();
        var pos = new List<double>();
        var cnt = new List<double>();
        for (int i = 0; i < order.Length;)
        {
            double s = scores[order[i]];
            double p = 0, c = 0;
            for (; i < order.Length && scores[order[i]] == s; i++)
            {
                c++;
                if (relevant[order[i]]) p++;
            }
            lo.Add(s);
            hi.Add(s);
            pos.Add(p);
            cnt.Add(c);
            // Merge backwards while the previous block's mean exceeds the new one's (compared by cross-multiplying, exact).
            while (lo.Count > 1 && pos[^2] * cnt[^1] > pos[^1] * cnt[^2])
            {
                int last = lo.Count - 1;
                hi[last - 1] = hi[last];
                pos[last - 1] += pos[last];
                cnt[last - 1] += cnt[last];
                lo.RemoveAt(last);
                hi.RemoveAt(last);
                pos.RemoveAt(last);
                cnt.RemoveAt(last);
            }
        }
        var knotScores = new List<double>(2 * lo.Count);
        var knotProbabilities = new List<double>(2 * lo.Count);
        for (int b = 0; b < lo.Count; b++)
        {
            double mean = pos[b] / cnt[b];
            knotScores.Add(lo[b]);
            knotProbabilities.Add(mean);
            if (hi[b] > lo[b])
            {
                knotScores.Add(hi[b]);
                knotProbabilities.Add(mean);
            }
        }
        return ScoreCalibration.Isotonic(knotScores, knotProbabilities, postProcessor);
    }

    /// <summary>
    /// Platt scaling: the logistic regression of <paramref name="relevant"/> on the score (or, with <paramref name="onLogit"/>,
    /// on logit(score)), fitted by Newton's method on Platt's smoothed targets ((N+ + 1) / (N+ + 2) for a relevant pair,
    /// 1 / (N- + 2) otherwise), which keep the coefficients finite when the pairs are separable or all of one kind. A
    /// negative slope (scores that fall with relevance) is replaced by the best constant, so the map stays monotone.
    /// </summary>
    /// <param name="scores">Finite scores, one per pair.</param>
    /// <param name="relevant">Whether each pair's label is relevant.</param>
    /// <param name="onLogit">Regress on logit(score) (scores clamped into (0, 1)) instead of the score.</param>
    /// <param name="postProcessor">Name of the post-processor that made the scores (recorded in the map).</param>
    /// <exception cref="ArgumentException">No pairs, lengths differ, or a score is not finite.</exception>
    public static ScoreCalibration FitPlatt(ReadOnlySpan<double> scores, ReadOnlySpan<bool> relevant, bool onLogit, string postProcessor)
    {
        SortedOrder(scores, relevant); // validates
        int n = scores.Length, positives = 0;
        var t = new double[n];
        for (int i = 0; i < n; i++)
        {
            t[i] = onLogit ? ScoreCalibration.Logit(scores[i]) : scores[i];
            if (relevant[i]) positives++;
        }
        double hiTarget = (positives + 1.0) / (positives + 2.0), loTarget = 1.0 / (n - positives + 2.0);
        var target = new double[n];
        for (int i = 0; i < n; i++) target[i] = relevant[i] ? hiTarget : loTarget;

        // Start at slope 0 and the base rate's log-odds; Newton with step halving (the loss is convex, so this converges).
        double baseRate = target.Average();
        double a = 0, b = Math.Log(baseRate / (1 - baseRate));
        double loss = CrossEntropy(t, target, a, b);
        for (int iter = 0; iter < 100; iter++)
        {
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (int i = 0; i < n; i++)
            {
                double p = Sigmoid(a * t[i] + b), d = p - target[i], w = Math.Max(p * (1 - p), 1e-12);
                ga += d * t[i];
                gb += d;
                haa += w * t[i] * t[i];
                hab += w * t[i];
                hbb += w;
            }
            // A tiny ridge keeps the Hessian invertible when every t is equal (one point, all-equal scores).
            haa += 1e-9 * n;
            hbb += 1e-9 * n;
            double det = haa * hbb - hab * hab;
            if (!(det > 0)) break;
            double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
            double step = 1, next = double.PositiveInfinity;
            double na = a, nb = b;
            for (int half = 0; half < 40; half++, step /= 2)
            {
                na = a - step * da;
                nb = b - step * db;
                next = CrossEntropy(t, target, na, nb);
                if (next <= loss) break;
            }
            if (!(next <= loss)) break;
            bool converged = loss - next < 1e-12 * Math.Max(1, loss);
            (a, b, loss) = (na, nb, next);
            if (converged) break;
        }
        if (a < 0) (a, b) = (0, Math.Log(baseRate / (1 - baseRate)));
        return ScoreCalibration.Platt(a, b, onLogit, postProcessor);
    }

    /// <summary>
    /// Fits isotonic and Platt maps (on the score; also on logit(score) when every score lies in [0, 1]), scores each by
    /// its log-loss on the half of the rows it was not fitted on (two seeded halves, each fitted and scored once), and
    /// refits the lowest on every pair. With fewer than two rows there is nothing to cross-fit and isotonic is kept.
    /// </summary>
    /// <param name="scores">Finite scores, one per pair.</param>
    /// <param name="relevant">Whether each pair's label is relevant.</param>
    /// <param name="rows">The held-out row each pair came from (0-based, dense): the halves split rows, never a row's answers.</param>
    /// <param name="seed">Seed of the halves (<see cref="HeldOutRows.Split"/>, stream -4).</param>
    /// <param name="postProcessor">Name of the post-processor that made the scores.</param>
    /// <returns>The chosen map; its <see cref="ScoreCalibration.Description"/> gives every candidate's cross-fitted log-loss and Brier score.</returns>
    /// <exception cref="ArgumentException">No pairs, lengths differ, a score is not finite, or a row id is negative.</exception>
    public static ScoreCalibration Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> relevant, ReadOnlySpan<int> rows, int seed, string postProcessor)
    {
        SortedOrder(scores, relevant);
        if (rows.Length != scores.Length) throw new ArgumentException($"{scores.Length} scores but {rows.Length} row ids.", nameof(rows));
        int rowCount = 0;
        foreach (int r in rows)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(r, nameof(rows));
            rowCount = Math.Max(rowCount, r + 1);
        }
        bool unitScores = true;
        foreach (double s in scores) unitScores &= s is >= 0 and <= 1;
        var candidates = new List<(string Name, Func<double[], bool[], ScoreCalibration> Fit)>
        {
            ("isotonic", (s, y) => FitIsotonic(s, y, postProcessor)),
            ("Platt on score", (s, y) => FitPlatt(s, y, onLogit: false, postProcessor)),
        };
        if (unitScores) candidates.Add(("Platt on logit(score)", (s, y) => FitPlatt(s, y, onLogit: true, postProcessor)));

        var c = CultureInfo.InvariantCulture;
        var (_, half) = HeldOutRows.Split(rowCount, 0.5, seed, stream: -4);
        var inHalf = new bool[rowCount];
        foreach (int r in half) inHalf[r] = true;
        var folds = new[] { Select(scores, relevant, rows, inHalf, true), Select(scores, relevant, rows, inHalf, false) };
        double[] all = scores.ToArray();
        bool[] allRelevant = relevant.ToArray();
        if (folds.Any(f => f.Scores.Length == 0))
        {
            var only = FitIsotonic(all, allRelevant, postProcessor);
            return WithDescription(only, string.Create(c, $"isotonic kept without comparison: {scores.Length:N0} pairs from {rowCount:N0} held-out rows are too few to cross-fit"));
        }
        var results = new List<(string Name, double LogLoss, double Brier)>();
        foreach (var (name, fit) in candidates)
        {
            double logLoss = 0, brier = 0;
            for (int f = 0; f < 2; f++)
            {
                var map = fit(folds[f].Scores, folds[f].Relevant);
                var other = folds[1 - f];
                for (int i = 0; i < other.Scores.Length; i++)
                {
                    double p = map.Probability(other.Scores[i]), yv = other.Relevant[i] ? 1 : 0;
                    double clipped = Math.Clamp(p, LogLossClip, 1 - LogLossClip);
                    logLoss -= yv * Math.Log(clipped) + (1 - yv) * Math.Log(1 - clipped);
                    brier += (p - yv) * (p - yv);
                }
            }
            results.Add((name, logLoss / scores.Length, brier / scores.Length));
        }
        int best = 0;
        for (int i = 1; i < results.Count; i++)
            if (results[i].LogLoss < results[best].LogLoss) best = i;
        var chosen = candidates[best].Fit(all, allRelevant);
        string losses = string.Join("; ", results.Select(r => string.Create(c, $"{r.Name} {r.LogLoss:F4} / {r.Brier:F4}")));
        return WithDescription(chosen, string.Create(c,
            $"{results[best].Name} chosen on {scores.Length:N0} answers of {rowCount:N0} held-out rows (seed {seed}), by cross-fitted log-loss / Brier: {losses}"));
    }

    private static ScoreCalibration WithDescription(ScoreCalibration map, string description) => map.Method == CalibrationMethod.Platt
        ? ScoreCalibration.Platt(map.Slope, map.Intercept, map.OnLogit, map.PostProcessor, description)
        : ScoreCalibration.Isotonic(map.KnotScores, map.KnotProbabilities, map.PostProcessor, description);

    private static (double[] Scores, bool[] Relevant) Select(ReadOnlySpan<double> scores, ReadOnlySpan<bool> relevant, ReadOnlySpan<int> rows, bool[] inHalf, bool want)
    {
        var s = new List<double>();
        var y = new List<bool>();
        for (int i = 0; i < scores.Length; i++)
        {
            if (inHalf[rows[i]] != want) continue;
            s.Add(scores[i]);
            y.Add(relevant[i]);
        }
        return (s.ToArray(), y.ToArray());
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>Mean cross-entropy of the targets under the logistic a * t + b, computed stably from the logits.</summary>
    private static double CrossEntropy(double[] t, double[] target, double a, double b)
    {
        double sum = 0;
        for (int i = 0; i < t.Length; i++)
        {
            double z = a * t[i] + b;
            // -[y log s(z) + (1 - y) log(1 - s(z))] = log(1 + e^z) - y z, with log(1 + e^z) computed without overflow.
            double softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
            sum += softplus - target[i] * z;
        }
        return sum / t.Length;
    }

    /// <summary>Checks the pairs and returns their indices sorted by score (stable, so ties keep input order).</summary>
    private static int[] SortedOrder(ReadOnlySpan<double> scores, ReadOnlySpan<bool> relevant)
    {
        if (scores.Length == 0) throw new ArgumentException("there are no (score, relevant) pairs to fit a calibration on.", nameof(scores));
        if (scores.Length != relevant.Length) throw new ArgumentException($"{scores.Length} scores but {relevant.Length} relevance flags.", nameof(relevant));
        var keys = scores.ToArray();
        for (int i = 0; i < keys.Length; i++)
            if (!double.IsFinite(keys[i])) throw new ArgumentException($"pair {i}: the score {keys[i]} is not finite.", nameof(scores));
        var order = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(keys, order);
        return order;
    }
}
