using XmrEngine.Common;

namespace XmrEngine.Training;

/// <summary>
/// The one seeded split every choice made on the user's own training rows uses (the tuner, the held-out cost choice,
/// the product model's text-weight choice): a seeded permutation of the rows whose first share is held out. Both parts
/// come back in row order, so the training part trains exactly as a plain run on those rows would.
/// </summary>
public static class HeldOutRows
{
    /// <summary>Splits <paramref name="rows"/> rows into the rows to train on and the rows held out.</summary>
    /// <param name="rows">How many rows there are.</param>
    /// <param name="fraction">Share held out, in [0, 1].</param>
    /// <param name="seed">Seed of the permutation.</param>
    /// <param name="stream">Which random stream of the seed to draw from, so that two choices made in one run with one
    /// seed can hold out different rows (the tuner uses -1, the text-weight choice -2).</param>
    /// <param name="maxHeldOut">Most rows held out, whatever the fraction.</param>
    /// <returns>Both parts, each sorted; together they are every row once.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative row count or maximum, or a fraction outside [0, 1].</exception>
    public static (int[] Train, int[] HeldOut) Split(int rows, double fraction, int seed, int stream = -1, int maxHeldOut = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(maxHeldOut);
        if (!(fraction >= 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The held-out share must lie in [0, 1].");
        var order = Enumerable.Range(0, rows).ToArray();
        var rng = SeededRandom.ForNode(seed, stream, 0);
        rng.Shuffle(order);
        int held = Math.Min(maxHeldOut, (int)Math.Round(rows * fraction));
        var heldOut = order[..held];
        var train = order[held..];
        Array.Sort(heldOut);
        Array.Sort(train);
        return (train, heldOut);
    }
}
