using System.Globalization;
using XmrEngine.Synthetic;

namespace XmrEngine.Cli.Commands.Data;

/// <summary>
/// One named set of <c>xmr generate xmr --preset</c>: its size and, for the shapes of the defaults suite, the
/// statistics that make it hard (label-popularity exponent, labels per row, how many of a label's signature
/// features a row carries, noise features per row). Unset statistics keep the generator's defaults.
/// </summary>
internal sealed record SyntheticXmrPreset(int Instances, int Features, int Labels, int TestInstances)
{
    /// <summary>Zipf exponent of label popularity, when the preset sets it.</summary>
    public double? ZipfExponent { get; init; }

    /// <summary>Mean labels per row, when the preset sets it.</summary>
    public double? LabelsPerRow { get; init; }

    /// <summary>Signature features a row takes from each of its labels, when the preset sets it.</summary>
    public int? LabelFeatures { get; init; }

    /// <summary>Noise features per row, when the preset sets it.</summary>
    public int? NoiseFeatures { get; init; }

    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"-n {Instances} -d {Features} -l {Labels} --test-instances {TestInstances}");
        if (ZipfExponent is { } z) text += string.Create(CultureInfo.InvariantCulture, $" --zipf {z}");
        if (LabelsPerRow is { } m) text += string.Create(CultureInfo.InvariantCulture, $" --labels-per-row {m}");
        if (LabelFeatures is { } f) text += $" --label-features {f}";
        if (NoiseFeatures is { } e) text += $" --noise-features {e}";
        return text;
    }
}

/// <summary>
/// The generated sets perf/RESULTS.md measures XmrEngine and its peers on (seed 0 unless --seed): 20k and 200k labels
/// are the accuracy comparison sets, 1m the scale target, and five shapes of the defaults suite (perf/suite.sh) differ
/// in what breaks a fixed default: few labels with many rows each, many labels with about two rows each, a very heavy
/// popularity tail, many labels per row, and features much wider than rows. Their rows carry few of a label's signature
/// features among many noise features, so no setting scores near 100. Names, not numbers, so anyone can recreate a
/// set exactly.
/// </summary>
internal static class SyntheticXmrPresets
{
    public static IReadOnlyDictionary<string, SyntheticXmrPreset> All { get; } = new Dictionary<string, SyntheticXmrPreset>
    {
        ["20k"] = new(50_000, 100_000, 20_000, 10_000),
        ["200k"] = new(150_000, 500_000, 200_000, 10_000),
        ["1m"] = new(1_000_000, 1_000_000, 1_000_000, 10_000),
        ["few-labels"] = new(20_000, 1_000, 60, 5_000) { ZipfExponent = 0.6, LabelsPerRow = 1.5, LabelFeatures = 2, NoiseFeatures = 40 },
        ["many-labels"] = new(20_000, 50_000, 10_000, 5_000) { ZipfExponent = 0.3, LabelsPerRow = 1, LabelFeatures = 6, NoiseFeatures = 20 },
        ["heavy-tail"] = new(20_000, 20_000, 5_000, 5_000) { ZipfExponent = 1.3, LabelsPerRow = 2, LabelFeatures = 1, NoiseFeatures = 40 },
        ["multi-label"] = new(10_000, 3_000, 2_000, 5_000) { LabelsPerRow = 12, LabelFeatures = 1, NoiseFeatures = 20 },
        ["wide"] = new(5_000, 500_000, 1_000, 5_000) { LabelsPerRow = 2, LabelFeatures = 4, NoiseFeatures = 60 },
    };

    /// <exception cref="ArgumentException">Not a preset name.</exception>
    public static SyntheticXmrPreset Get(string name) => All.TryGetValue(name, out var preset)
        ? preset
        : throw new ArgumentException($"--preset must be one of {string.Join(", ", All.Keys)}; got '{name}'.");
}
