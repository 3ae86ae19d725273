using XmrEngine.PerfChart;

// xmr-perfchart [results-dir] [output.png] [columns]: draws BenchmarkDotNet's CSV reports as one PNG.
string results = args.Length > 0 ? args[0] : "BenchmarkDotNet.Artifacts/results";
string output = args.Length > 1 ? args[1] : "perf/backends.png";
int columns = args.Length > 2 && int.TryParse(args[2], out int c) && c > 0 ? c : 3;
try
{
    var rows = BenchmarkCsv.ReadDirectory(results);
    BackendChart.Save(rows, output, columns);
    Console.WriteLine($"{rows.Count} results from {results} -> {output}");
    return 0;
}
catch (Exception e) when (e is IOException or FormatException or ArgumentException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
