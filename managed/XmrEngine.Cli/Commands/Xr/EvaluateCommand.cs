using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using XmrEngine.Evaluation;
using XmrEngine.IO;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary><c>xmr evaluate</c>: P@k, R@k and nDCG@k of predictions against true labels, as a table, JSON or PECOS's text.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var y = new Option<string>("-y") { Description = "True labels: .npz, or the labels of a .txt/.svm data set.", Required = true };
        var pred = new Option<string>("--pred", "-p") { Description = "Predicted scores (.npz from xmr predict).", Required = true };
        var k = new Option<int>("-k") { Description = "Report @1..k (default 5; 10 with --format pecos, as PECOS).", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (percentages) instead of a table (same as --format json)." };
        var format = new Option<string>("--format")
        {
            Description = "table, json, or pecos: the 'prec = ...' / 'recall = ...' lines PECOS's evaluate prints.",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json", "pecos");
        var reliability = new Option<int?>("--reliability")
        {
            Description = "Instead of P@k: read each predicted value as the probability that the answer is relevant (xmr predict --probabilities, or raw scores) " +
                          "and print a reliability table of this many equal-width bins, the expected calibration error, and precision / recall at --threshold.",
        };
        var threshold = new Option<double>("--threshold") { Description = "With --reliability: the probability answers are kept at (default 0.5).", DefaultValueFactory = _ => 0.5 };
        var command = new Command("evaluate", "Precision@k, recall@k and nDCG@k (PECOS's definitions; percentages).") { y, pred, k, json, format, reliability, threshold };
        command.SetAction(result =>
        {
            string style = result.GetValue(json) ? "json" : result.GetRequiredValue(format);
            bool pecos = style == "pecos";
            // PECOS evaluates @1..10 unless told otherwise, and prints every k even past the label count.
            int topK = pecos && result.GetResult(k) is not { Implicit: false } ? 10 : result.GetValue(k);
            if (topK < 1) throw new ArgumentException($"-k must be positive; got {topK}.");
            string predPath = result.GetRequiredValue(pred);
            var truth = InputData.LoadLabels(result.GetRequiredValue(y));
            var predicted = NpzFormat.ReadCsr(predPath);
            if (result.GetValue(reliability) is { } bins)
            {
                if (bins < 1) throw new ArgumentException($"--reliability must be a positive bin count; got {bins}.");
                if (predicted.Rows != truth.Rows || predicted.Cols != truth.Cols)
                    throw new ArgumentException($"-p {predPath}: {predicted.Rows} rows x {predicted.Cols} labels do not match -y's {truth.Rows} x {truth.Cols}.");
                CliConsole.OutWriter.Write(ReliabilityText.Format(CalibrationMetrics.Evaluate(truth, predicted, bins, result.GetValue(threshold))));
                return 0;
            }
            if (!pecos) topK = CommonOptions.CapK(topK, Math.Max(truth.Cols, predicted.Cols), "-k", "labels");
            int depth = 0;
            for (int r = 0; r < predicted.Rows; r++) depth = Math.Max(depth, predicted.RowLength(r));
            if (topK > depth)
                CliConsole.Warn($"{predPath}: predictions hold at most {depth} labels per row, so P@k for k > {depth} counts the missing places as misses; predict with --top-k {topK} to fill them.");
            var metrics = XmcMetrics.Evaluate(truth, predicted, topK);
            if (pecos) CliConsole.OutWriter.Write(PecosEvaluationText.Format(metrics));
            else if (style == "json") CliConsole.OutWriter.WriteLine(ToJson(metrics));
            else CliConsole.Out.Write(ToTable(metrics));
            return 0;
        });
        return command;
    }

    /// <summary>{"P@1": 63.4, ..., "R@1": ..., "nDCG@1": ...} in percent.</summary>
    internal static string ToJson(RankingMetrics m)
    {
        var o = new Dictionary<string, double>();
        void Add(string name, double[] values)
        {
            for (int i = 0; i < values.Length; i++) o[$"{name}@{i + 1}"] = Math.Round(values[i] * 100, 4);
        }
        Add("P", m.PrecisionAtK);
        Add("R", m.RecallAtK);
        Add("nDCG", m.NdcgAtK);
        return JsonSerializer.Serialize(o, CliJsonContext.Default.DictionaryStringDouble);
    }

    private static Table ToTable(RankingMetrics m)
    {
        var table = new Table().AddColumn("k").AddColumn("P@k (%)").AddColumn("R@k (%)").AddColumn("nDCG@k (%)");
        for (int i = 0; i < m.PrecisionAtK.Length; i++)
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Pct(m.PrecisionAtK[i]), Pct(m.RecallAtK[i]), Pct(m.NdcgAtK[i]));
        return table;
    }

    private static string Pct(double v) => (v * 100).ToString("F2", CultureInfo.InvariantCulture);
}
