using System.Globalization;
using ScottPlot;

namespace XmrEngine.PerfChart;

/// <summary>
/// One panel per benchmark method (e.g. SpGemm.Multiply, EndToEnd.Train): bars grouped by the
/// non-backend parameters (threads, vector length), one colour per kernel backend, each bar labelled
/// with its mean and its ratio to the managed backend of the same group, and carrying its standard
/// deviation as an error bar.
/// </summary>
public static class BackendChart
{
    private static readonly string[] s_backendOrder = ["Reference", "Managed", "Native", "Mkl", "scalar", "256-bit", "512-bit", "-"];

    private static readonly Dictionary<string, Color> s_colors = new()
    {
        ["Reference"] = Color.FromHex("#9e9e9e"),
        ["Managed"] = Color.FromHex("#1f77b4"),
        ["Native"] = Color.FromHex("#ff7f0e"),
        ["Mkl"] = Color.FromHex("#2ca02c"),
        ["-"] = Color.FromHex("#7f3fbf"),
        ["scalar"] = Color.FromHex("#9e9e9e"),
        ["256-bit"] = Color.FromHex("#1f77b4"),
        ["512-bit"] = Color.FromHex("#d62728"),
    };

    /// <summary>Renders the results to a PNG of <paramref name="columns"/> panels per row.</summary>
    /// <exception cref="ArgumentException">There are no results.</exception>
    public static void Save(IReadOnlyList<BenchmarkResult> results, string pngPath, int columns = 3, int panelWidth = 560, int panelHeight = 380)
    {
        if (results.Count == 0) throw new ArgumentException("No benchmark results to draw.", nameof(results));
        var panels = results.GroupBy(PanelKey).OrderBy(g => PanelRank(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        int rows = (panels.Count + columns - 1) / columns;
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        for (int i = 0; i < panels.Count; i++) DrawPanel(multiplot.GetPlot(i), panels[i].Key, panels[i].ToList());
        string? dir = Path.GetDirectoryName(Path.GetFullPath(pngPath));
        if (dir is not null) Directory.CreateDirectory(dir);
        multiplot.SavePng(pngPath, columns * panelWidth, rows * panelHeight);
    }

    /// <summary>Panels drawn first, in this order (kernels, thread scaling, end to end); others follow by name.</summary>
    private static readonly string[] s_panelOrder =
        ["SpGemm.Multiply", "MaskedProduct.MaskedMultiply", "ThreadScaling.SpGemm", "ThreadScaling.Masked", "Dot.GatherDot", "EndToEnd.Train", "EndToEnd.PredictBatch"];

    /// <summary>
    /// Benchmarks drawn inside another benchmark's panel: the chunked Bibtex predictor has no backend
    /// parameter and is the baseline for the per-backend masked prediction, so it shares that panel.
    /// </summary>
    private static readonly Dictionary<string, string> s_panelAliases = new() { ["BibtexChunkedPredict.PredictBatchChunked"] = "EndToEnd.PredictBatch" };

    private static string PanelKey(BenchmarkResult r)
    {
        string key = $"{r.Suite}.{r.Method}";
        return s_panelAliases.GetValueOrDefault(key, key);
    }

    private static int PanelRank(string key) => Array.IndexOf(s_panelOrder, key) is var i && i >= 0 ? i : s_panelOrder.Length;

    private static void DrawPanel(Plot plot, string title, List<BenchmarkResult> rows)
    {
        // One colour per backend, or per SIMD width on panels that compare widths (SimdWidthBenchmarks); the ratio
        // under each bar is to managed, or to 256 bits, in the same group.
        string Group(BenchmarkResult r) => string.Join(", ", r.Parameters.Where(p => p.Key is not ("Backend" or "Width")).Select(p => $"{p.Key} {p.Value}"));
        string Backend(BenchmarkResult r) => r.Parameter("Backend") ?? (r.Parameter("Width") is { } w ? (w == "0" ? "scalar" : $"{w}-bit") : "-");
        var groups = rows.Select(Group).Distinct().ToList();
        var backends = rows.Select(Backend).Distinct().OrderBy(b => Array.IndexOf(s_backendOrder, b) is var k && k < 0 ? 99 : k).ToList();
        var (unit, scale) = Unit(rows.Max(r => r.MeanNs));
        var bars = new List<Bar>();
        double slot = 1.0 / (backends.Count + 1);
        for (int g = 0; g < groups.Count; g++)
            for (int b = 0; b < backends.Count; b++)
            {
                var r = rows.FirstOrDefault(x => Group(x) == groups[g] && Backend(x) == backends[b]);
                if (r is null) continue;
                var managed = rows.FirstOrDefault(x => Group(x) == groups[g] && Backend(x) is "Managed" or "256-bit");
                // Label with the ratio to managed in the same group: the ratios are what a noisy shared
                // machine measures reliably, and they keep short bars readable next to the reference.
                string ratio = managed is null || ReferenceEquals(managed, r) ? "" : $"\n{(r.MeanNs / managed.MeanNs).ToString("F2", CultureInfo.InvariantCulture)}x";
                bars.Add(new Bar
                {
                    Position = g + (b - (backends.Count - 1) / 2.0) * slot,
                    Value = r.MeanNs / scale,
                    Error = r.StdDevNs / scale,
                    Size = slot * 0.9,
                    ErrorSize = slot * 0.3,
                    FillColor = s_colors.GetValueOrDefault(backends[b], Colors.Black),
                    Label = Format(r.MeanNs / scale) + ratio,
                });
            }
        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 10;
        foreach (var backend in backends)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = backend == "-" ? "no backend (chunked)" : backend.ToLowerInvariant(), FillColor = s_colors.GetValueOrDefault(backend, Colors.Black) });
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperCenter;
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, groups.Count).Select(g => (double)g).ToArray(),
            groups.Select(g => g.Length == 0 ? "" : g).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Title(title);
        plot.YLabel($"mean ({unit})");
        // Room above the bars for the legend, which wraps to a second line beyond four entries.
        plot.Axes.Margins(bottom: 0, top: backends.Count > 4 ? 0.5 : 0.35);
    }

    private static (string Unit, double Scale) Unit(double maxNs) =>
        maxNs >= 1e9 ? ("s", 1e9) : maxNs >= 1e6 ? ("ms", 1e6) : maxNs >= 1e3 ? ("us", 1e3) : ("ns", 1);

    private static string Format(double v) => v.ToString(v >= 100 ? "F0" : v >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);
}
