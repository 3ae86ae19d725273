namespace XmrEngine.Synthetic;

/// <summary>Shape and statistics of a synthetic XMR data set; validated by <see cref="Validate"/>.</summary>
public sealed record SyntheticXmrOptions
{
    /// <summary>Number of instances (rows).</summary>
    public int Instances { get; init; } = 100_000;

    /// <summary>Number of features (columns of X).</summary>
    public int Features { get; init; } = 500_000;

    /// <summary>Number of labels (columns of Y).</summary>
    public int Labels { get; init; } = 200_000;

    /// <summary>Zipf exponent of label popularity (label l is drawn with weight 1/(l+1)^s).</summary>
    public double LabelZipfExponent { get; init; } = 1.0;

    /// <summary>Mean number of labels per instance (at least 1).</summary>
    public double MeanLabelsPerInstance { get; init; } = 3.0;

    /// <summary>Features that characterise each label; an instance draws most of its features from its labels' signatures.</summary>
    public int SignatureFeaturesPerLabel { get; init; } = 24;

    /// <summary>Features an instance takes from each of its labels' signatures.</summary>
    public int FeaturesPerLabelInInstance { get; init; } = 12;

    /// <summary>Background (noise) features per instance, drawn Zipf-distributed over all features.</summary>
    public int NoiseFeaturesPerInstance { get; init; } = 10;

    /// <summary>Seed: the same options give the same data on any machine and thread count.</summary>
    public int Seed { get; init; }

    /// <summary>Checks every field; the message names the field and value.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public SyntheticXmrOptions Validate()
    {
        if (Instances < 0) throw new ArgumentException($"{nameof(Instances)} must be >= 0; got {Instances}.");
        if (Features < 1) throw new ArgumentException($"{nameof(Features)} must be >= 1; got {Features}.");
        if (Labels < 1) throw new ArgumentException($"{nameof(Labels)} must be >= 1; got {Labels}.");
        if (!(LabelZipfExponent >= 0 && LabelZipfExponent <= 4)) throw new ArgumentException($"{nameof(LabelZipfExponent)} must be in [0, 4]; got {LabelZipfExponent}.");
        if (!(MeanLabelsPerInstance >= 1 && MeanLabelsPerInstance <= 1000)) throw new ArgumentException($"{nameof(MeanLabelsPerInstance)} must be in [1, 1000]; got {MeanLabelsPerInstance}.");
        if (SignatureFeaturesPerLabel < 1) throw new ArgumentException($"{nameof(SignatureFeaturesPerLabel)} must be >= 1; got {SignatureFeaturesPerLabel}.");
        if (FeaturesPerLabelInInstance < 1 || FeaturesPerLabelInInstance > SignatureFeaturesPerLabel)
            throw new ArgumentException($"{nameof(FeaturesPerLabelInInstance)} must be in [1, {nameof(SignatureFeaturesPerLabel)}]; got {FeaturesPerLabelInInstance}.");
        if (NoiseFeaturesPerInstance < 0) throw new ArgumentException($"{nameof(NoiseFeaturesPerInstance)} must be >= 0; got {NoiseFeaturesPerInstance}.");
        return this;
    }
}
