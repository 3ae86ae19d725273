using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using XmrEngine.Apps.AutoComplete;

namespace XmrEngine.Cli.Commands.Qac;

/// <summary>
/// <c>xmr qac evaluate</c>: rebuild the model's time split of a log (same session gap, train fraction, user
/// subset and seed), draw one prefix per test pair, and compare the model as served with its XR-Linear candidates
/// alone and with most-popular completion built from the same training labels (and, for a model with a fusion
/// ranker, with the model's ranking without the ranker).
/// </summary>
internal static class QacEvaluateCommand
{
    public static Command Create()
    {
        var logs = new Option<string>("--input", "-i") { Description = "The query log the model was trained on (AOL users directory or TSV).", Required = true };
        var model = new Option<string>("--model", "-m") { Description = "Model directory from xmr qac train.", Required = true };
        var limit = new Option<int>("--limit") { Description = "Evaluate only the first N test cases (0 = all).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var beam = new Option<int>("--beam-size") { Description = "Override the model's beam width (0 = as trained).", DefaultValueFactory = _ => 0 };
        var candidates = new Option<int>("--candidates") { Description = "Override the candidates taken before the prefix filter (0 = as trained).", DefaultValueFactory = _ => 0 };
        var splitOption = new Option<string?>("--split")
        {
            Description = "holdout: the held-out users' test-period sessions (users the model never saw; the default for a model trained with --holdout-users); " +
                          "time: the trained users' own later sessions (the default otherwise).",
        };
        var command = new Command("evaluate", "MRR@10, BLEU, success@1/@10 and latency of the model and of most-popular completion on the test part of the log.")
        {
            logs, model, limit, json, beam, candidates, splitOption,
        };
        command.SetAction(result =>
        {
            int n = result.GetValue(limit);
            if (n < 0) throw new ArgumentException($"--limit must be 0 (all) or positive; got {n}.");
            var qac = QacModel.Load(result.GetRequiredValue(model));
            int b = result.GetValue(beam), c = result.GetValue(candidates);
            if (b < 0 || c < 0) throw new ArgumentException($"--beam-size and --candidates must be 0 (as trained) or positive; got {b} and {c}.");
            if (b > 0 || c > 0) qac = qac.WithSearch(b > 0 ? b : qac.Settings.BeamSize, c > 0 ? c : qac.Settings.CandidateCount);
            var which = result.GetValue(splitOption) switch
            {
                null => qac.Settings.Data.HoldoutUsers > 0 ? QacTestSplit.HeldOutUsers : QacTestSplit.Time,
                "holdout" => QacTestSplit.HeldOutUsers,
                "time" => QacTestSplit.Time,
                var other => throw new ArgumentException($"--split must be 'holdout' or 'time'; got '{other}'."),
            };
            if (which == QacTestSplit.HeldOutUsers && qac.Settings.Data.HoldoutUsers == 0)
                throw new ArgumentException($"--split holdout: the model was trained on every user (train it with --holdout-users to keep some out).");
            var split = QacSplit.Load(result.GetRequiredValue(logs), qac.Settings.Data);
            var cases = qac.TestCases(split, which);
            if (n > 0 && cases.Count > n) cases = cases.Take(n).ToArray();
            if (cases.Count == 0) throw new ArgumentException("The test part of the log has no (previous, next) pairs.");
            string splitName = which == QacTestSplit.HeldOutUsers ? "holdout" : "time";
            var rows = new List<(string Key, string Name, QacEvaluation Result)>
            {
                ("model", qac.Ranker is null ? "model" : "model (fused)", qac.Evaluate(cases)),
                ("model_only", "model only", qac.Evaluate(cases, QacSuggester.ModelOnly)),
                ("most_popular", "most-popular", qac.Evaluate(cases, QacSuggester.MostPopular)),
            };
            // With a ranker, also the ranking the model would give without one, so the fusion's own gain shows.
            if (qac.Ranker is not null) rows.Add(("model_with_fill", "model + popular fill", qac.Evaluate(cases, QacSuggester.ModelWithFill)));
            if (result.GetValue(json)) CliConsole.OutWriter.WriteLine(ToJson(rows, cases.Count, splitName, qac.Ranker is not null));
            else
            {
                string users = which == QacTestSplit.HeldOutUsers ? $" of {split.HoldoutUserCount:N0} held-out users" : " of the trained users' later sessions";
                CliConsole.OutWriter.WriteLine($"{cases.Count:N0} test cases{users} (split {splitName}), {qac.Labels.Count:N0} labels, indexer {qac.Settings.Indexer.ToName()}");
                CliConsole.Out.Write(ToTable(rows));
            }
            return 0;
        });
        return command;
    }

    internal static string ToJson(IEnumerable<(string Key, string Name, QacEvaluation Result)> rows, int cases, string split, bool fused)
    {
        var o = new JsonObject { ["test_cases"] = cases, ["split"] = split, ["fused"] = fused };
        foreach (var (key, _, e) in rows) o[key] = ToJson(e);
        // Relaxed escaping: bucket names such as "7+" stay readable (and greppable) instead of "7\u002B".
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static JsonObject ToJson(QacEvaluation e)
    {
        var o = ToJson(e.Overall);
        var buckets = new JsonObject();
        foreach (var (name, m) in e.ByPrefix) buckets[name] = ToJson(m);
        o["by_prefix"] = buckets;
        return o;
    }

    private static JsonObject ToJson(QacMetrics m) => new()
    {
        ["count"] = m.Count,
        ["MRR@10"] = Math.Round(m.Mrr, 5),
        ["BLEU"] = Math.Round(m.Bleu, 5),
        ["success@1"] = Math.Round(m.SuccessAt1, 5),
        ["success@10"] = Math.Round(m.SuccessAt10, 5),
        ["p50_ms"] = Math.Round(m.P50Ms, 4),
        ["p99_ms"] = Math.Round(m.P99Ms, 4),
        ["max_ms"] = Math.Round(m.MaxMs, 4),
        ["cpu_p99_ms"] = m.CpuP99Ms is { } cpu ? Math.Round(cpu, 4) : null,
    };

    private static Table ToTable(IEnumerable<(string Key, string Name, QacEvaluation Result)> rows)
    {
        var table = new Table().AddColumns("system", "prefix", "cases", "MRR@10", "BLEU", "S@1", "S@10", "p50 ms", "p99 ms", "max ms", "CPU p99 ms");
        void Rows(string name, QacEvaluation e)
        {
            Row(name, "all", e.Overall);
            foreach (var (bucket, m) in e.ByPrefix) Row(name, bucket, m);
        }
        void Row(string name, string bucket, QacMetrics m)
        {
            var c = CultureInfo.InvariantCulture;
            table.AddRow(name, bucket, m.Count.ToString("N0", c), m.Mrr.ToString("F4", c), m.Bleu.ToString("F4", c), m.SuccessAt1.ToString("F4", c),
                m.SuccessAt10.ToString("F4", c), m.P50Ms.ToString("F3", c), m.P99Ms.ToString("F3", c), m.MaxMs.ToString("F3", c),
                m.CpuP99Ms is { } cpu ? cpu.ToString("F3", c) : "-");
        }
        foreach (var (_, name, e) in rows) Rows(name, e);
        return table;
    }
}
