using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Evaluation;

namespace XmrEngine.Cli.Commands.Text2Text;

/// <summary><c>xmr text2text evaluate</c>: recall@1/10/100 and precision@1/5/10 on labeled test queries.</summary>
internal static class Text2TextEvaluateCommand
{
    private static readonly int[] RecallAt = [1, 10, 100];
    private static readonly int[] PrecisionAt = [1, 5, 10];

    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Test queries: one 'id1,id2<TAB>query text' per line.", Required = true };
        var model = new Option<string>("--model", "-m") { Description = "Model directory from `xmr text2text train`.", Required = true };
        var k = new Option<int>("-k") { Description = "Items retrieved per query; metrics are reported at cut-offs up to k.", DefaultValueFactory = _ => 100 };
        var textWeight = new Option<float?>("--text-weight") { Description = "Weight in [0, 1] of the query-item text cosine (default: the model's)." };
        var titles = new Option<int?>("--title-candidates") { Description = "Extra candidates from the title index, 0 = none (default: the model's)." };
        var beam = new Option<int?>("--beam-size") { Description = "Beam size (default: the model's)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (percentages) instead of a table." };
        var threads = CommonOptions.Threads();
        var command = new Command("evaluate", "Recall@1/10/100 and precision@1/5/10 (percent) of the model on labeled test queries.") { input, model, k, beam, json, threads, textWeight, titles };
        command.SetAction(result =>
        {
            int topK = result.GetValue(k);
            if (topK < 1) throw new ArgumentException($"-k must be positive; got {topK}.");
            var m = ProductRetrievalModel.Load(result.GetRequiredValue(model));
            topK = CommonOptions.CapK(topK, m.ItemCount, "-k", "items of the model");
            var queries = Text2TextFormat.ReadQueries(result.GetRequiredValue(input), m.ItemCount);
            if (queries.Count == 0) throw new ArgumentException($"{result.GetRequiredValue(input)}: has no test queries (only blank lines).");
            var options = CommonOptions.CapAtLabels(CommonOptions.WithOverrides(m.Info.Prediction, result.GetValue(beam), null, null), m.ItemCount, m.Predictor.WidestLevel);
            float weight = result.GetValue(textWeight) ?? m.Info.TextWeight;
            if (!(weight >= 0 && weight <= 1)) throw new ArgumentException($"--text-weight must lie in [0, 1]; got {weight}.");
            int titleCount = result.GetValue(titles) ?? m.Info.TitleCandidates;
            if (titleCount < 0) throw new ArgumentException($"--title-candidates must be 0 or positive; got {titleCount}.");
            var metrics = RetrievalEvaluation.Evaluate(m, queries, topK, options, CommonOptions.ThreadCount(result, threads), weight, titleCount);
            var rows = Rows(metrics);
            if (result.GetValue(json)) CliConsole.OutWriter.WriteLine(JsonSerializer.Serialize(rows.ToDictionary(r => r.Name, r => Math.Round(r.Value * 100, 4)), CliJsonContext.Default.DictionaryStringDouble));
            else
            {
                var table = new Table().AddColumn("metric").AddColumn("value (%)");
                foreach (var (name, value) in rows) table.AddRow(name, (value * 100).ToString("F2", CultureInfo.InvariantCulture));
                CliConsole.Out.Write(table);
                CliConsole.OutWriter.WriteLine($"{queries.Count:N0} queries, {m.ItemCount:N0} items, beam {options.BeamSize}, top {topK}, text weight {weight}, title candidates {titleCount}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>R@1, R@10, R@100 then P@1, P@5, P@10, each only when the cut-off is at most k.</summary>
    internal static List<(string Name, double Value)> Rows(RankingMetrics metrics)
    {
        var rows = new List<(string, double)>();
        foreach (int c in RecallAt) if (c <= metrics.K) rows.Add(($"R@{c}", metrics.RecallAtK[c - 1]));
        foreach (int c in PrecisionAt) if (c <= metrics.K) rows.Add(($"P@{c}", metrics.PrecisionAtK[c - 1]));
        return rows;
    }
}
