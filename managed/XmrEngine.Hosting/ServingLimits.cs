namespace XmrEngine.Hosting;

/// <summary>
/// Upper bounds on what one request may ask for. A request over a limit gets a 400 (413 for the body)
/// naming the field and the limit; the limits keep one client from taking the server's memory or cores.
/// </summary>
public sealed class ServingLimits
{
    /// <summary>Largest <c>topK</c> / <c>count</c> accepted [1000].</summary>
    public int MaxTopK { get; set; } = 1000;

    /// <summary>Largest <c>beamSize</c> accepted [1000].</summary>
    public int MaxBeamSize { get; set; } = 1000;

    /// <summary>Most rows in one predict request [1000].</summary>
    public int MaxRows { get; set; } = 1000;

    /// <summary>Most non-zeros in one row of a predict request [100,000].</summary>
    public int MaxRowNonZeros { get; set; } = 100_000;

    /// <summary>Largest request body in bytes [8 MiB].</summary>
    public long MaxBodyBytes { get; set; } = 8L << 20;

    /// <summary>Longest query text (<c>q</c>, <c>prev</c>, <c>prefix</c>) in characters [1,000].</summary>
    public int MaxQueryLength { get; set; } = 1000;

    internal void Validate()
    {
        if (MaxTopK < 1) throw new ArgumentOutOfRangeException(nameof(MaxTopK), MaxTopK, "Must be at least 1.");
        if (MaxBeamSize < 1) throw new ArgumentOutOfRangeException(nameof(MaxBeamSize), MaxBeamSize, "Must be at least 1.");
        if (MaxRows < 1) throw new ArgumentOutOfRangeException(nameof(MaxRows), MaxRows, "Must be at least 1.");
        if (MaxRowNonZeros < 1) throw new ArgumentOutOfRangeException(nameof(MaxRowNonZeros), MaxRowNonZeros, "Must be at least 1.");
        if (MaxBodyBytes < 64) throw new ArgumentOutOfRangeException(nameof(MaxBodyBytes), MaxBodyBytes, "Must be at least 64.");
        if (MaxQueryLength < 1) throw new ArgumentOutOfRangeException(nameof(MaxQueryLength), MaxQueryLength, "Must be at least 1.");
    }
}
