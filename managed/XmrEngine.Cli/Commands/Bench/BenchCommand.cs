using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using XmrEngine.Evaluation;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Training;
using XmrEngine.Persistence;

namespace XmrEngine.Cli.Commands.Bench;

/// <summary>
/// <c>xmr bench xlinear -i TRAIN -t TEST</c>: whole-pipeline timings, one line per stage (load, index,
/// train, save the model file, open it read-and-compile and memory-mapped, batch predict (chunked, then one
/// masked product per level on the chosen backend), single-query latency of both opened predictors) with
/// wall time, CPU time, JIT time, peak memory and P@1/3/5.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Whole-pipeline benchmarks.");
        command.Subcommands.Add(XLinear());
        command.Subcommands.Add(ServeBenchCommand.Create());
        command.Subcommands.Add(LoadBenchCommand.Create());
        return command;
    }

    private static Command XLinear()
    {
        var train = new Option<string>("--input", "-i") { Description = "Training data (.txt XMC repository format or .svm).", Required = true };
        var test = new Option<string>("--test", "-t") { Description = "Test data (.txt or .svm).", Required = true };
        var queries = new Option<int>("--queries") { Description = "Test rows timed one at a time for latency.", DefaultValueFactory = _ => 2000 };
        var threads = CommonOptions.Threads();
        var backend = CommonOptions.Backend();
        var load = ModelFiles.LoadModeOption();
        load.Description = "Which opened predictor runs the batch prediction: mapped (default) or read; single-query latency is timed for both.";
        var command = new Command("xlinear", "Index, train, predict and evaluate XR-Linear with PECOS defaults; print a table of stage timings.") { train, test, queries, threads, backend, load };
        command.SetAction(result =>
        {
            int t = CommonOptions.ThreadCount(result, threads);
            var kernels = CommonOptions.Kernels(result, backend);
            bool mappedBatch = ModelFiles.IsMapped(result, load);
            var rows = new List<string[]>();
            var sw = new StageTimer();
            var (xTrain, yTrainOrNull) = InputData.Load(result.GetRequiredValue(train), normalize: true);
            var (xTest, yTestOrNull) = InputData.Load(result.GetRequiredValue(test), normalize: true);
            var yTrain = yTrainOrNull ?? throw new ArgumentException("--input must be a .txt/.svm data set with labels.");
            var yTest = yTestOrNull ?? throw new ArgumentException("--test must be a .txt/.svm data set with labels.");
            rows.Add(sw.Row("load", $"train {xTrain.Rows:N0}x{xTrain.Cols:N0}, {yTrain.Cols:N0} labels; test {xTest.Rows:N0}"));

            var options = new XLinearTrainOptions { Threads = t, Kernels = kernels };
            sw.Restart();
            // The library's tree step; the embedding is unreachable once it returns, so training's peak excludes it.
            var chain = XLinearTrainer.BuildTree(xTrain, yTrain, options);
            rows.Add(sw.Row("index (PIFA + k-means)", $"depth {chain.Depth}, {chain.Levels[0].Rows} top clusters"));

            sw.Restart();
            var model = XLinearTrainer.Train(xTrain, yTrain, chain, options);
            rows.Add(sw.Row("train", $"{model.Weights.Sum(w => w.Nnz):N0} weights"));

            sw.Restart();
            _ = new XLinearPredictor(model);
            rows.Add(sw.Row("compile predictor", "chunked weight layout, in memory"));

            string modelPath = Path.Combine(Path.GetTempPath(), $"xmr-bench-{Environment.ProcessId}-{Guid.NewGuid():N}.xmr");
            try
            {
                sw.Restart();
                XLinearModelFile.Save(modelPath, model);
                rows.Add(sw.Row("save model file", $"{new FileInfo(modelPath).Length / (1024.0 * 1024.0):F1} MB with compiled levels"));
                sw.Restart();
                var read = new XLinearPredictor(XLinearModelFile.Load(modelPath));
                rows.Add(sw.Row("open model: read + compile", "checksums verified"));
                sw.Restart();
                using var mapped = XLinearModelFile.OpenMapped(modelPath);
                rows.Add(sw.Row("open model: memory-mapped", "checksums verified, compiled levels validated"));

                var predictor = mappedBatch ? mapped : read;
                sw.Restart();
                var scores = predictor.Predict(xTest, PredictOptions.Default, t);
                double batchMs = sw.Elapsed.TotalMilliseconds;
                var m = XmcMetrics.Evaluate(yTest, scores, 5);
                rows.Add(sw.Row($"batch predict ({(mappedBatch ? "mapped" : "read")})", $"{batchMs * 1000 / Math.Max(1, xTest.Rows):F1} us/row; P@1 {m.PrecisionAtK[0] * 100:F2}, P@3 {m.PrecisionAtK[2] * 100:F2}, P@5 {m.PrecisionAtK[4] * 100:F2}"));

                // The same batch scored through the kernel seam, so --backend also reaches prediction.
                sw.Restart();
                var maskedScores = new MaskedBatchPredictor(model, kernels).Predict(xTest, PredictOptions.Default, t);
                double maskedMs = sw.Elapsed.TotalMilliseconds;
                var mm = XmcMetrics.Evaluate(yTest, maskedScores, 5);
                rows.Add(sw.Row("batch predict, masked product", $"{maskedMs * 1000 / Math.Max(1, xTest.Rows):F1} us/row on {kernels.Backend.ToString().ToLowerInvariant()}; P@1 {mm.PrecisionAtK[0] * 100:F2}"));

                int count = Math.Min(result.GetValue(queries), xTest.Rows);
                foreach (var (name, p) in new[] { ("read", read), ("mapped", (XLinearPredictor)mapped) })
                {
                    var (p50, p99, max) = LatencyTimer.SingleQuery(p, xTest, count);
                    rows.Add([$"single query ({name})", "-", "-", "-", StageTimer.PeakRssMb(), $"p50 {p50:F4} ms, p99 {p99:F4} ms, max {max:F3} ms"]);
                }
            }
            finally
            {
                File.Delete(modelPath);
            }

            var table = new Table().AddColumn("stage").AddColumn("wall (ms)").AddColumn("CPU (ms)").AddColumn("JIT (ms)").AddColumn("peak RSS (MB)").AddColumn("notes");
            foreach (var r in rows) table.AddRow(r.Select(Markup.Escape).ToArray());
            CliConsole.Out.Write(table);
            CliConsole.Out.MarkupLine(Markup.Escape($"threads {(t == 0 ? Environment.ProcessorCount : t)}, backend {kernels.Name}, {Environment.ProcessorCount} cores"));
            return 0;
        });
        return command;
    }
}
