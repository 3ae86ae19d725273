using System.CommandLine;
using XmrEngine.Models;
using XmrEngine.Persistence;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary><c>xmr quantize -m IN.xmr -o OUT.xmr --precision f16|i8</c>: rewrite a float32 model with quantised weights.</summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A float32 XmrEngine model file (xmr train).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The quantised model file to write (replaced if it exists).", Required = true };
        var precision = PrecisionOption.Create(allowFloat32: false);
        var threads = new Option<int>("--threads") { Description = "Workers compiling each level [0 = one per core]; the file does not depend on it.", DefaultValueFactory = _ => 0 };
        var command = new Command("quantize", "Rewrite a float32 model with its weights stored as f16 or i8: a smaller file, scored directly from the mapped quantised values.")
        {
            model, output, precision, threads,
        };
        command.SetAction(result =>
        {
            string inPath = result.GetRequiredValue(model), outPath = result.GetRequiredValue(output);
            OutputPaths.CheckFile(("-o", outPath), ("-m", inPath));
            var target = PrecisionOption.Parse(result.GetRequiredValue(precision));
            var ensemble = XLinearModelFile.LoadEnsemble(inPath, out var metadata);
            var stored = XLinearModelFile.StoredPrecision(ensemble.Trees[0]);
            // Rounding rounded weights again compounds the error and would hide that the input was not exact.
            if (stored != WeightPrecision.Float32)
                throw new ArgumentException($"-m {inPath}: is already quantised ({PrecisionOption.Name(stored)}); quantisation loses information, so quantise the float32 model instead.");
            XLinearModelFile.SaveQuantized(outPath, ensemble, target, metadata, result.GetValue(threads));
            long before = new FileInfo(inPath).Length, after = new FileInfo(outPath).Length;
            long weights = ensemble.Trees.Sum(t => t.Weights.Sum(w => w.Nnz));
            CliConsole.OutWriter.WriteLine($"quantised {inPath} ({before:N0} bytes, {Ratio(before, weights)} bytes a weight) to {outPath} as {PrecisionOption.Name(target)} " +
                                           $"({after:N0} bytes, {Ratio(after, weights)} bytes a weight, {100.0 * after / before:F0}% of the float32 file)");
            return 0;
        });
        return command;
    }

    internal static string Ratio(long bytes, long weights) => weights == 0 ? "n/a" : (bytes / (double)weights).ToString("F2");
}
