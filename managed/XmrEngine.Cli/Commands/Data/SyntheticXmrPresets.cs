using System.Globalization;

namespace XmrEngine.Cli.Commands.Data;

/// <summary>The size of one named benchmark set of <c>xmr generate xmr --preset</c>.</summary>
internal sealed record SyntheticXmrPreset(int Instances, int Features, int Labels, int TestInstances)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"-n {Instances} -d {Features} -l {Labels} --test-instances {TestInstances}");
}

/// <summary>
/// The generated sets perf/RESULTS.md measures XmrEngine and PECOS on (seed 0): 20k and 200k labels are the issue-15
/// comparison sets, 1m the issue-16 scale target. Names, not numbers, so anyone can recreate a set exactly.
/// </summary>
internal static class SyntheticXmrPresets
{
    public static IReadOnlyDictionary<string, SyntheticXmrPreset> All { get; } = new Dictionary<string, SyntheticXmrPreset>
    {
        ["20k"] = new(50_000, 100_000, 20_000, 10_000),
        ["200k"] = new(150_000, 500_000, 200_000, 10_000),
        ["1m"] = new(1_000_000, 1_000_000, 1_000_000, 10_000),
    };

    /// <exception cref="ArgumentException">Not a preset name.</exception>
    public static SyntheticXmrPreset Get(string name) => All.TryGetValue(name, out var preset)
        ? preset
        : throw new ArgumentException($"--preset must be one of {string.Join(", ", All.Keys)}; got '{name}'.");
}
