namespace XmrEngine.Inference;

/// <summary>How an ensemble turns its trees' post-processed label scores into one ranking.</summary>
public enum EnsembleCombination
{
    /// <summary>Mean over the trees of each label's post-processed score; a tree that did not return the label adds 0.</summary>
    Average,

    /// <summary>
    /// Reciprocal-rank fusion: each tree adds 1 / (60 + rank) for every label it returns (rank 1 = its best);
    /// ignores score scales, so trees whose scores are not comparable still combine.
    /// </summary>
    ReciprocalRank,

    /// <summary>The best post-processed score any tree gives the label.</summary>
    Max,
}

/// <summary>Names of <see cref="EnsembleCombination"/> in files and on the command line.</summary>
public static class EnsembleCombinationNames
{
    /// <summary>The name: average, rank or max.</summary>
    public static string ToName(this EnsembleCombination combination) => combination switch
    {
        EnsembleCombination.Average => "average",
        EnsembleCombination.ReciprocalRank => "rank",
        EnsembleCombination.Max => "max",
        _ => throw new ArgumentOutOfRangeException(nameof(combination), combination, "Unknown ensemble combination."),
    };

    /// <summary>Parses a name written by <see cref="ToName"/>.</summary>
    /// <exception cref="ArgumentException">Not one of average, rank, max.</exception>
    public static EnsembleCombination Parse(string name) => name switch
    {
        "average" => EnsembleCombination.Average,
        "rank" => EnsembleCombination.ReciprocalRank,
        "max" => EnsembleCombination.Max,
        _ => throw new ArgumentException($"Unknown ensemble combination '{name}'; expected average, rank or max."),
    };
}
