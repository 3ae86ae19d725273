using System.CommandLine;
using System.Diagnostics;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Serving;
using XmrEngine.Sharding;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary><c>xmr predict</c>: beam-search top-k labels for every row of a feature file.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var x = new Option<string>("-x") { Description = "Features: .npz, dense .npy, or an XMC repository .txt / .svm; several joined by commas are read side by side, as at training.", Required = true };
        var model = new Option<string>("--model", "-m") { Description = "Model file, a sharded model directory (xmr shard), or a PECOS XLinearModel directory.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Predicted scores (.npz, csr, top-k per row).", Required = true };
        var beam = new Option<int?>("--beam-size") { Description = "Beam size (default: the model's, 10; at most the label count)." };
        var topK = new Option<int?>("--top-k") { Description = "Labels per row (default: the model's, 10; at most the label count)." };
        var post = new Option<string?>("--post-processor") { Description = "noop | sigmoid | log-sigmoid | l1-hinge..l4-hinge | log-lp-hinge (default: the model's, l3-hinge)." };
        var combination = new Option<string?>("--combination") { Description = "How an ensemble's trees are combined: average | rank | max (default: the model's, average)." };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Do not L2-normalise the rows of -x (default: prepare rows as the model's training rows were)." };
        var threads = CommonOptions.Threads();
        var load = ModelFiles.LoadModeOption();
        var noChecksums = new Option<bool>("--no-checksums") { Description = "With --load mapped: skip checksum verification, which reads the whole file once (the compiled levels' structure is still validated)." };
        var latency = new Option<int>("--latency-queries") { Description = "Also time this many rows one at a time (after a warm-up pass) and print the p50/p99 latency.", DefaultValueFactory = _ => 0 };
        // No default on purpose: without the flag prediction takes the compiled chunked path, which
        // computes no generic kernel; with it, every level is one masked product on that backend.
        var backend = new Option<string?>("--backend")
        {
            Description = "Score each tree level as one masked product X·W on this kernel backend: auto|managed|reference|native|mkl " +
                          "(auto honours XMR_BACKEND; mkl has no masked product and runs it on managed; the model is read, not mapped). " +
                          "Without the flag: the compiled chunked predictor (fastest; no kernel backend involved).",
        };
        var scoring = new Option<string>("--scoring")
        {
            Description = "With --backend: masked (one masked product per level, PECOS's batch inference; default) or chunked " +
                          "(the serving predictor, its chunk rows added on that backend; the model is read and compiled).",
            DefaultValueFactory = _ => "masked",
        };
        var selectedOutputs = new Option<string?>("--selected-outputs", "-so")
        {
            Description = "Score exactly the row/label pairs stored in this .npz (rows x labels; values ignored) instead of a beam search, " +
                          "as PECOS's -so does for reranking; the output has its pattern.",
        };
        var minProbability = CalibrationFlags.MinProbabilityOption();
        var probabilities = CalibrationFlags.ProbabilitiesOption();
        var command = new Command("predict", "Predict the top-k labels of every row with beam search.") { x, model, output, beam, topK, post, combination, noNormalize, threads, load, noChecksums, latency, backend, scoring, selectedOutputs, minProbability, probabilities };
        command.SetAction(result =>
        {
            string xPath = result.GetRequiredValue(x), modelPath = result.GetRequiredValue(model), outPath = result.GetRequiredValue(output);
            OutputPaths.CheckFile(("-o", outPath), ("-x", xPath), ("-m", modelPath));
            OutputPaths.RequireNpz("-o", outPath);
            // --backend picks the masked-product path, which needs the CSC weights (read, not mapped).
            string? backendName = result.GetValue(backend);
            var kernels = backendName is null ? null : KernelRegistry.Get(KernelRegistry.Parse(backendName));
            bool chunkedOnBackend = result.GetValue(scoring) switch
            {
                "masked" => false,
                "chunked" => true,
                var other => throw new ArgumentException($"--scoring must be 'masked' or 'chunked'; got '{other}'."),
            };
            if (chunkedOnBackend && kernels is null) throw new ArgumentException("--scoring chunked needs --backend (without it the chunked predictor runs on managed).");
            int timed = result.GetValue(latency);
            if (timed < 0) throw new ArgumentException($"--latency-queries must be >= 0; got {timed}.");
            if (timed > 0 && kernels is not null)
                throw new ArgumentException("--latency-queries times the serving (chunked) predictor; it cannot be combined with --backend.");
            int t = CommonOptions.ThreadCount(result, threads);
            string? probabilitiesPath = result.GetValue(probabilities);
            if (probabilitiesPath is not null)
            {
                OutputPaths.CheckFile(("--probabilities", probabilitiesPath), ("-x", xPath), ("-m", modelPath));
                OutputPaths.RequireNpz("--probabilities", probabilitiesPath);
                if (Path.GetFullPath(probabilitiesPath) == Path.GetFullPath(outPath)) throw new ArgumentException("--probabilities must name another file than -o.");
            }
            string? selectedPath = result.GetValue(selectedOutputs);
            if (selectedPath is not null)
            {
                OutputPaths.CheckFile(("-o", outPath), ("--selected-outputs", selectedPath));
                if (kernels is not null) throw new ArgumentException("--selected-outputs scores through the model's own predictor; leave out --backend.");
                if (timed > 0) throw new ArgumentException("--latency-queries times the beam search; it cannot be combined with --selected-outputs.");
            }

            var sw = Stopwatch.StartNew();
            // The model decides how it opens and how its rows are prepared; the flags only choose among its ways.
            XLinearServingModel opening;
            try
            {
                opening = XLinearServingModel.Open(modelPath, new ModelOpenOptions
                {
                    Mapped = ModelFiles.IsMapped(result, load),
                    VerifyChecksums = !result.GetValue(noChecksums),
                    Backend = kernels,
                    MaskedScoring = !chunkedOnBackend,
                });
            }
            catch (ArgumentException e) when (kernels is not null)
            {
                // The model refuses a way of scoring it; say which flags choose another.
                string flags = Directory.Exists(modelPath) ? "Leave out --backend." : "Use --scoring chunked, or leave out --backend.";
                throw new ArgumentException($"-m {e.Message} {flags}", e);
            }
            using var opened = opening;
            if (timed > 0 && opened.Predictor is not XLinearPredictor)
                throw new ArgumentException($"-m {modelPath}: is a sharded model directory (xmr shard); --latency-queries times the single-machine predictor of a model file.");
            double openMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var requested = CommonOptions.WithOverrides(opened.Defaults, result.GetValue(beam), result.GetValue(topK), result.GetValue(post));
            var options = CommonOptions.CapAtLabels(requested, opened.LabelCount, opened.WidestLevel);
            if (result.GetValue(combination) is { } combine) options = options with { Combination = EnsembleCombinationNames.Parse(combine) };
            CalibrationFlags.Check(opened, modelPath, options, result.GetValue(minProbability), probabilitiesPath);
            int trees = opened.TreeCount;
            bool normalize = opened.Input.NormalizeRows && !result.GetValue(noNormalize);
            var (raw, _) = InputData.Load(xPath, normalize: false);
            var features = InputData.PrepareFor(opened, raw, normalize, xPath, modelPath);
            if (InputData.ScaleWarning(opened, features, normalize, xPath) is { } warning) CliConsole.Warn(warning);
            double loadMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            // The rows are prepared above (to time the load and to warn on their scale), so the model searches them as they are.
            CsrMatrix scores = selectedPath is null
                ? opened.Predict(features, options, t, normalize: false)
                : SelectedOutputsInput.Score(opened, features, selectedPath, modelPath, options, t);
            double predictMs = sw.Elapsed.TotalMilliseconds;
            scores = CalibrationFlags.Apply(opened, scores, options, result.GetValue(minProbability), probabilitiesPath);
            NpzFormat.Write(outPath, scores);
            // A backend without a masked product (MKL's inspector-executor API has none) says which backend runs it.
            string path = selectedPath is not null ? $"the {scores.Nnz:N0} pairs of {selectedPath} scored, no beam search"
                : kernels is null ? "chunked"
                : chunkedOnBackend ? $"chunked, rows added on {kernels.Name}{(kernels.RunsOn(KernelOperation.ChunkRowAdd) != kernels.Backend ? $" (delegated to {kernels.RunsOn(KernelOperation.ChunkRowAdd).ToString().ToLowerInvariant()})" : "")}"
                : kernels.RunsOn(KernelOperation.MaskedMultiply) != kernels.Backend ? $"masked product on {kernels.RunsOn(KernelOperation.MaskedMultiply).ToString().ToLowerInvariant()} ({kernels.Backend.ToString().ToLowerInvariant()} has none)"
                : $"masked product on {kernels.Name}";
            string ensemble = trees > 1 ? $"{trees} trees ({options.Combination.ToName()}), " : "";
            CliConsole.OutWriter.WriteLine($"predicted {features.Rows:N0} rows ({ensemble}beam {options.BeamSize}, top {options.TopK}, {options.PostProcessor.Name}, {path}, rows {(normalize ? "L2-normalised" : "as given")}) into {outPath}; " +
                                           $"open model {openMs:F0} ms ({opened.OpenedAs}), load data {loadMs:F0} ms, " +
                                           $"predict {predictMs:F0} ms ({predictMs * 1000 / Math.Max(1, features.Rows):F1} us/row)");
            if (timed > 0)
            {
                var (p50, p99, max) = LatencyTimer.SingleQuery((XLinearPredictor)opened.Predictor, features, Math.Min(timed, features.Rows), options);
                CliConsole.OutWriter.WriteLine($"single query ({Math.Min(timed, features.Rows):N0} rows): p50 {p50:F4} ms, p99 {p99:F4} ms, max {max:F3} ms; " +
                                               $"RSS {Environment.WorkingSet / (1024 * 1024)} MB, peak {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
            }
            return 0;
        });
        return command;
    }
}
