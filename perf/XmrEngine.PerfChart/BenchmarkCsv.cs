using System.Globalization;
using System.Text;

namespace XmrEngine.PerfChart;

/// <summary>One row of a BenchmarkDotNet CSV report: which benchmark, its parameters, and its times in nanoseconds.</summary>
/// <param name="Suite">Benchmark class without namespace and "Benchmarks" suffix, e.g. <c>SpGemm</c>.</param>
/// <param name="Method">Benchmark method.</param>
/// <param name="Parameters">Parameter name -> value, in column order.</param>
/// <param name="MeanNs">Mean time per operation, ns.</param>
/// <param name="StdDevNs">Standard deviation, ns (0 when the report has none).</param>
public sealed record BenchmarkResult(string Suite, string Method, IReadOnlyList<KeyValuePair<string, string>> Parameters, double MeanNs, double StdDevNs)
{
    /// <summary>The value of parameter <paramref name="name"/>, or null.</summary>
    public string? Parameter(string name) => Parameters.FirstOrDefault(p => p.Key == name).Value;
}

/// <summary>
/// Reads the <c>*-report.csv</c> files BenchmarkDotNet writes to <c>BenchmarkDotNet.Artifacts/results</c>.
/// Parameter columns are the ones between the last job column (<c>WarmupCount</c>) and <c>Mean</c>;
/// times carry their unit in the cell (<c>"1,217.5 ms"</c>).
/// </summary>
public static class BenchmarkCsv
{
    /// <summary>Every result row of every report in <paramref name="directory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FormatException">A report lacks the expected columns or holds an unreadable time; the message names file and line.</exception>
    public static List<BenchmarkResult> ReadDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Results folder '{directory}' does not exist (run ./build.sh bench first).");
        var all = new List<BenchmarkResult>();
        foreach (var file in Directory.GetFiles(directory, "*-report.csv").Order(StringComparer.Ordinal))
            all.AddRange(ReadFile(file));
        return all;
    }

    /// <summary>The result rows of one report.</summary>
    public static List<BenchmarkResult> ReadFile(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new FormatException($"{path}: empty report.");
        var header = SplitLine(lines[0]);
        int mean = header.IndexOf("Mean"), stdDev = header.IndexOf("StdDev"), method = header.IndexOf("Method");
        int firstParam = header.IndexOf("WarmupCount") + 1;
        if (mean < 0 || method < 0 || firstParam <= 0 || firstParam > mean)
            throw new FormatException($"{path}:1: expected columns Method, WarmupCount and Mean in the header.");
        string suite = SuiteName(Path.GetFileName(path));
        var results = new List<BenchmarkResult>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var cells = SplitLine(lines[i]);
            if (cells.Count != header.Count) throw new FormatException($"{path}:{i + 1}: {cells.Count} cells; the header has {header.Count}.");
            var parameters = new List<KeyValuePair<string, string>>();
            for (int c = firstParam; c < mean; c++) parameters.Add(new(header[c], cells[c]));
            double m = ParseTime(cells[mean], path, i + 1);
            double s = stdDev >= 0 && cells[stdDev] is { Length: > 0 } sd && sd != "NA" ? ParseTime(sd, path, i + 1) : 0;
            results.Add(new BenchmarkResult(suite, cells[method], parameters, m, s));
        }
        return results;
    }

    /// <summary><c>XmrEngine.Benchmarks.SpGemmBenchmarks-report.csv</c> -> <c>SpGemm</c>.</summary>
    public static string SuiteName(string fileName)
    {
        string name = fileName.Replace("-report.csv", "", StringComparison.Ordinal);
        name = name[(name.LastIndexOf('.') + 1)..];
        return name.EndsWith("Benchmarks", StringComparison.Ordinal) ? name[..^"Benchmarks".Length] : name;
    }

    /// <summary>A BenchmarkDotNet time cell ("192.2 ns", "3,243.7 ns", "1.217 s", "12.5 μs") in nanoseconds.</summary>
    /// <exception cref="FormatException">The cell is not a number followed by ns, us/μs, ms or s.</exception>
    public static double ParseTime(string cell, string file, int line)
    {
        var parts = cell.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double v))
        {
            double scale = parts[1] switch
            {
                "ns" => 1,
                "us" or "μs" or "µs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                _ => double.NaN,
            };
            if (!double.IsNaN(scale)) return v * scale;
        }
        throw new FormatException($"{file}:{line}: cannot read the time '{cell}' (expected a number and ns, us, ms or s).");
    }

    /// <summary>Splits one CSV line, honouring double quotes (BenchmarkDotNet quotes cells with thousands separators).</summary>
    public static List<string> SplitLine(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cell.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
