using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>Runs <see cref="XLinearTuner"/> for the CLI and prints its grid with the choice marked.</summary>
internal static class TuningReport
{
    public static TuningResult Run(CsrMatrix features, CsrMatrix labels, XLinearTrainOptions options, TuningGrid grid, double fraction, int seed)
    {
        var sw = Stopwatch.StartNew();
        var result = XLinearTuner.Tune(features, labels, options, grid, fraction, seed, line => CliConsole.ErrWriter.WriteLine($"tuning: {line}"));
        var table = new Table().AddColumn("Cp, Cn").AddColumn("trees").AddColumn("beam").AddColumn("post")
            .AddColumn("P@1").AddColumn("P@3").AddColumn("P@5").AddColumn("mean").AddColumn("us/row").AddColumn("");
        var c = CultureInfo.InvariantCulture;
        foreach (var t in result.Trials)
            table.AddRow(t.Cp == t.Cn ? t.Cost.ToString(c) : $"{t.Cp.ToString(c)}, {t.Cn.ToString(c)}", t.Trees.ToString(c), t.Prediction.BeamSize.ToString(c), t.Prediction.PostProcessor.Name,
                t.PrecisionAt1.ToString("F2", c), t.PrecisionAt3.ToString("F2", c), t.PrecisionAt5.ToString("F2", c), t.Score.ToString("F2", c),
                t.PredictMicrosPerRow.ToString("F1", c), ReferenceEquals(t, result.Best) ? "chosen" : "");
        CliConsole.Out.Write(table);
        var best = result.Best;
        CliConsole.OutWriter.WriteLine($"validation: {result.ValidationRows:N0} held-out rows (fraction {fraction.ToString(c)}, seed {seed}), grid trained on {result.TrainingRows:N0} rows in {sw.Elapsed.TotalSeconds:F1} s; " +
                                       $"chosen {(best.Cp == best.Cn ? $"Cp = Cn = {best.Cost.ToString(c)}" : $"Cp = {best.Cp.ToString(c)}, Cn = {best.Cn.ToString(c)}")}, {best.Trees} tree(s), beam {best.Prediction.BeamSize}, {best.Prediction.PostProcessor.Name} " +
                                       $"(P@1/3/5 {best.PrecisionAt1:F2} / {best.PrecisionAt3:F2} / {best.PrecisionAt5:F2})");
        return result;
    }
}
