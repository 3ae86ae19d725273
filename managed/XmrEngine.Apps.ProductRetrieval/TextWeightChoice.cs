using System.Globalization;
using XmrEngine.Training;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// Chooses the text weight of the blended ranking on the user's own training queries: holds out a seeded slice
/// (<see cref="HeldOutFraction"/>, at most <see cref="MaxHeldOut"/> queries), trains a model on the rest with the same
/// settings, ranks the held-out queries with every weight in <see cref="Candidates"/> (and the configured one), and
/// keeps the weight with the best mean of R@10 and R@100 there. Weights within <see cref="Tolerance"/> of the best count as
/// ties, and a tie goes to the configured weight's nearest neighbour, so noise does not move the default. Test queries
/// are never seen: only the training queries the caller passes.
/// </summary>
internal static class TextWeightChoice
{
    /// <summary>Share of the training queries held out [0.1].</summary>
    public const double HeldOutFraction = 0.1;

    /// <summary>Most queries held out: enough to tell weights apart, few enough that ranking them is cheap [2,000].</summary>
    public const int MaxHeldOut = 2_000;

    /// <summary>Fewest held-out queries worth choosing on; with fewer the configured weight is kept [50].</summary>
    public const int MinHeldOut = 50;

    /// <summary>Score differences (percentage points) below which weights tie [0.1].</summary>
    public const double Tolerance = 0.1;

    /// <summary>The weights tried besides the configured one.</summary>
    public static IReadOnlyList<float> Candidates { get; } = [0f, 0.3f, 0.5f, 0.7f, 0.9f];

    /// <summary>The chosen weight and a line saying how (every weight's held-out recall).</summary>
    public sealed record Result(float Weight, string Description);

    public static Result Choose(IReadOnlyList<LabeledQuery> queries, IReadOnlyList<string> items, ProductRetrievalOptions options,
        CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var (train, heldOut) = Split(queries, options.Training.Seed);
        if (heldOut.Count < MinHeldOut || train.Count == 0)
            return new Result(options.TextWeight, string.Create(c, $"kept {options.TextWeight}: {queries.Count} training queries are too few to hold out {MinHeldOut}"));
        var model = ProductRetrievalTrainer.Train(train, items, options, null, cancellationToken);
        var tried = new List<(float Weight, double R10, double R100)>();
        foreach (float weight in Candidates.Append(options.TextWeight).Distinct().Order())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var m = RetrievalEvaluation.Evaluate(model, heldOut, 100, threads: options.Training.Threads, textWeight: weight);
            tried.Add((weight, 100 * m.RecallAtK[9], 100 * m.RecallAtK[99]));
        }
        double Score((float Weight, double R10, double R100) t) => (t.R10 + t.R100) / 2;
        double best = tried.Max(Score);
        var chosen = tried.Where(t => Score(t) >= best - Tolerance).OrderBy(t => Math.Abs(t.Weight - options.TextWeight)).ThenByDescending(Score).First();
        string scores = string.Join(", ", tried.Select(t => string.Create(c, $"{t.Weight}: {t.R10:F2} / {t.R100:F2}")));
        return new Result(chosen.Weight, string.Create(c,
            $"{chosen.Weight} chosen on {heldOut.Count:N0} of {queries.Count:N0} training queries held out (seed {options.Training.Seed}); R@10 / R@100 by weight: {scores}"));
    }

    /// <summary>A seeded slice of the queries held out (<see cref="HeldOutRows"/>, its own stream), both parts in their original order.</summary>
    internal static (List<LabeledQuery> Train, List<LabeledQuery> HeldOut) Split(IReadOnlyList<LabeledQuery> queries, int seed)
    {
        var (train, heldOut) = HeldOutRows.Split(queries.Count, HeldOutFraction, seed, stream: -2, maxHeldOut: MaxHeldOut);
        return (train.Select(i => queries[i]).ToList(), heldOut.Select(i => queries[i]).ToList());
    }
}
