using System.CommandLine;
using Spectre.Console;
using XmrEngine.IO;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands.Data;

/// <summary><c>xmr stats -i FILE</c>: shape, nnz, density, row-length and column-frequency quantiles.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "A .txt (XMC repository), .svm, .npz or .xmrd file.", Required = true };
        var command = new Command("stats", "Print shape, non-zeros, density, row-length and label-frequency quantiles of a data file.") { input };
        command.SetAction(result =>
        {
            string path = result.GetRequiredValue(input);
            var content = SparseFileFormat.ReadContent(path);
            var matrices = content.Labels is null
                ? new[] { ("matrix", content.Features) }
                : [("features X", content.Features), ("labels Y", content.Labels)];
            // One column per matrix, one row per statistic: stays readable in an 80-column terminal.
            var table = new Table().AddColumn("statistic");
            foreach (var (name, _) in matrices) table.AddColumn(name);
            // Row lengths and column frequencies are counted once per matrix and shared by the statistics.
            var profiles = matrices.Select(m => new Profile(m.Item2, RowLengths(m.Item2), ColumnFrequencies(m.Item2))).ToArray();
            foreach (var (label, stat) in Statistics)
                table.AddRow([label, .. profiles.Select(stat)]);
            CliConsole.Out.Write(table);
            return 0;
        });
        return command;
    }

    private sealed record Profile(CsrMatrix M, long[] RowLengths, long[] ColumnFrequencies);

    private static readonly (string Label, Func<Profile, string> Stat)[] Statistics =
    [
        ("rows", p => p.M.Rows.ToString("N0")),
        ("columns", p => p.M.Cols.ToString("N0")),
        ("non-zeros", p => p.M.Nnz.ToString("N0")),
        ("density", p => (p.M.Rows == 0 || p.M.Cols == 0 ? 0 : p.M.Nnz / ((double)p.M.Rows * p.M.Cols)).ToString("0.######")),
        ("row nnz min/p50/p90/p99/max", p => Quantiles(p.RowLengths)),
        ("column freq min/p50/p90/p99/max", p => Quantiles(p.ColumnFrequencies)),
        ("empty rows", p => p.RowLengths.Count(v => v == 0).ToString("N0")),
        ("empty columns", p => p.ColumnFrequencies.Count(v => v == 0).ToString("N0")),
    ];

    private static long[] RowLengths(CsrMatrix m)
    {
        var len = new long[m.Rows];
        for (int r = 0; r < m.Rows; r++) len[r] = m.RowLength(r);
        return len;
    }

    private static long[] ColumnFrequencies(CsrMatrix m)
    {
        var freq = new long[m.Cols];
        foreach (int c in m.Indices) freq[c]++;
        return freq;
    }

    /// <summary>min/p50/p90/p99/max by the nearest-rank rule.</summary>
    internal static string Quantiles(long[] values)
    {
        if (values.Length == 0) return "-";
        var s = (long[])values.Clone();
        Array.Sort(s);
        long Q(double p) => s[Math.Clamp((int)Math.Ceiling(p * s.Length) - 1, 0, s.Length - 1)];
        return $"{s[0]}/{Q(0.5)}/{Q(0.9)}/{Q(0.99)}/{s[^1]}";
    }
}
