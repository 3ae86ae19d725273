namespace XmrEngine.Training;

/// <summary>Which instances serve as negatives of a tree node (besides the node's own positives).</summary>
[Flags]
public enum NegativeSampling
{
    /// <summary>Teacher-forcing negatives, "tfn": instances with a true label under the node's parent.</summary>
    Tfn = 1,

    /// <summary>Matcher-aware negatives, "man": instances that beam search over the already trained upper levels routes to the parent.</summary>
    Man = 2,

    /// <summary>Both, "tfn+man": the union of the two sets.</summary>
    TfnMan = Tfn | Man,
}

/// <summary>The command-line / config names of <see cref="NegativeSampling"/> values.</summary>
public static class NegativeSamplingNames
{
    /// <summary>The canonical name: "tfn", "man" or "tfn+man".</summary>
    public static string ToName(this NegativeSampling scheme) => scheme switch
    {
        NegativeSampling.Tfn => "tfn",
        NegativeSampling.Man => "man",
        NegativeSampling.TfnMan => "tfn+man",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown negative sampling scheme."),
    };

    /// <summary>Parses a canonical name (case-insensitive; "man+tfn" is accepted too).</summary>
    /// <exception cref="ArgumentException">The name is not a scheme.</exception>
    public static NegativeSampling Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "tfn" => NegativeSampling.Tfn,
            "man" => NegativeSampling.Man,
            "tfn+man" or "man+tfn" => NegativeSampling.TfnMan,
            _ => throw new ArgumentException($"Unknown negative sampling scheme '{name}'; expected one of: tfn, man, tfn+man.", nameof(name)),
        };
    }
}
