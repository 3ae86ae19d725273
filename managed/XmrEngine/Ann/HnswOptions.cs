namespace XmrEngine.Ann;

/// <summary>How an <see cref="HnswIndex"/> is built and searched.</summary>
public sealed record HnswOptions
{
    /// <summary>Neighbours kept per node on the upper levels [16]; the bottom level keeps twice as many.</summary>
    public int M { get; init; } = 16;

    /// <summary>Candidates examined when a vector is inserted [200]: larger builds slower and finds better neighbours.</summary>
    public int EfConstruction { get; init; } = 200;

    /// <summary>Candidates examined per search when the caller gives none [64]; at least k is always used.</summary>
    public int EfSearch { get; init; } = 64;

    /// <summary>Similarity: cosine (vectors stored normalised) or the raw inner product [cosine].</summary>
    public AnnMetric Metric { get; init; } = AnnMetric.Cosine;

    /// <summary>Seed of the level draws: the same vectors inserted in the same order give the same graph [0].</summary>
    public int Seed { get; init; }

    /// <summary>Throws when a value is out of range; the message names the option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">M below 2 or above 256, EfConstruction or EfSearch below 1.</exception>
    public void Validate()
    {
        if (M is < 2 or > 256) throw new ArgumentOutOfRangeException(nameof(M), M, "HnswOptions.M must be between 2 and 256.");
        if (EfConstruction < 1) throw new ArgumentOutOfRangeException(nameof(EfConstruction), EfConstruction, "HnswOptions.EfConstruction must be at least 1.");
        if (EfSearch < 1) throw new ArgumentOutOfRangeException(nameof(EfSearch), EfSearch, "HnswOptions.EfSearch must be at least 1.");
        if (!Enum.IsDefined(Metric)) throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "HnswOptions.Metric is not a known metric.");
    }
}

/// <summary>The similarity an ANN index ranks by.</summary>
public enum AnnMetric
{
    /// <summary>Cosine: vectors (and queries) are normalised to unit length, similarity is their dot product.</summary>
    Cosine = 0,

    /// <summary>The inner product of the vectors as given (maximum inner-product search).</summary>
    InnerProduct = 1,
}

/// <summary>One search hit: a vector's id and its similarity to the query.</summary>
/// <param name="Id">The vector's id (its insertion order, from 0).</param>
/// <param name="Similarity">Cosine or inner product, by the index's metric.</param>
public readonly record struct AnnHit(int Id, float Similarity);
