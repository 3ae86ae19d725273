using System.CommandLine;
using Spectre.Console;
using XmrEngine.IO;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands;

/// <summary><c>xmr stats -i FILE</c>: shape, nnz, density, row-length and column-frequency quantiles.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "A .txt (XMC repository), .svm or .npz file.", Required = true };
        var command = new Command("stats", "Print shape, non-zeros, density, row-length and label-frequency quantiles of a data file.") { input };
        command.SetAction(result =>
        {
            string path = result.GetRequiredValue(input);
            var matrices = SparseFileFormat.Detect(path) == SparseFileKind.Npz
                ? new[] { ("matrix", NpzFormat.ReadCsr(path)) }
                : Both(SparseFileFormat.ReadDataset(path));
            // One column per matrix, one row per statistic: stays readable in an 80-column terminal.
            var table = new Table().AddColumn("statistic");
            foreach (var (name, _) in matrices) table.AddColumn(name);
            foreach (var (label, stat) in Statistics)
                table.AddRow([label, .. matrices.Select(m => stat(m.Item2))]);
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static (string, CsrMatrix)[] Both(XmcDataset data) => [("features X", data.Features), ("labels Y", data.Labels)];

    private static readonly (string Label, Func<CsrMatrix, string> Stat)[] Statistics =
    [
        ("rows", m => m.Rows.ToString("N0")),
        ("columns", m => m.Cols.ToString("N0")),
        ("non-zeros", m => m.Nnz.ToString("N0")),
        ("density", m => (m.Rows == 0 || m.Cols == 0 ? 0 : m.Nnz / ((double)m.Rows * m.Cols)).ToString("0.######")),
        ("row nnz min/p50/p90/p99/max", m => Quantiles(RowLengths(m))),
        ("column freq min/p50/p90/p99/max", m => Quantiles(ColumnFrequencies(m))),
        ("empty rows", m => RowLengths(m).Count(v => v == 0).ToString("N0")),
        ("empty columns", m => ColumnFrequencies(m).Count(v => v == 0).ToString("N0")),
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
        foreach (int c in m.ColumnIndices) freq[c]++;
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
