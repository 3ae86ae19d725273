using System.CommandLine;
using System.Diagnostics;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Persistence;
using XmrEngine.Sharding;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary><c>xmr predict</c>: beam-search top-k labels for every row of a feature file.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var x = new Option<string>("-x") { Description = "Features: .npz, or an XMC repository .txt / .svm.", Required = true };
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
        var command = new Command("predict", "Predict the top-k labels of every row with beam search.") { x, model, output, beam, topK, post, combination, noNormalize, threads, load, noChecksums, latency, backend, scoring };
        command.SetAction(result =>
        {
            string xPath = result.GetRequiredValue(x), modelPath = result.GetRequiredValue(model), outPath = result.GetRequiredValue(output);
            OutputPaths.Check(("-o", outPath), ("-x", xPath), ("-m", modelPath));
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

            var sw = Stopwatch.StartNew();
            IBatchPredictor predictor;
            ModelMetadata saved;
            string opened;
            bool sharded = ShardedModelDirectory.IsSharded(modelPath);
            if (sharded && (kernels is not null || timed > 0))
                throw new ArgumentException($"-m {modelPath}: is a sharded model directory (xmr shard), served by the chunked predictor of each shard; --backend and --latency-queries take a model file.");
            if (sharded)
            {
                var shardedPredictor = ShardedModelDirectory.Open(modelPath, !result.GetValue(noChecksums), out var s);
                (predictor, saved, opened) = (shardedPredictor, s, $"sharded: meta-model and {shardedPredictor.ShardCount} shards memory-mapped");
            }
            else if (kernels is null)
            {
                var (chunked, s) = ModelFiles.OpenPredictor(modelPath, ModelFiles.IsMapped(result, load), !result.GetValue(noChecksums));
                (predictor, saved, opened) = (chunked, s, chunked.IsMemoryMapped ? "memory-mapped" : "read and compiled");
            }
            else
            {
                // A backend scores from the model's CSC weights (read, not mapped): compiled into chunks, or as masked products.
                var (weights, s) = ModelFiles.Load(modelPath);
                saved = s;
                if (!chunkedOnBackend && weights.Trees.Count > 1)
                    throw new ArgumentException($"-m {modelPath} is an ensemble of {weights.Trees.Count} trees; masked-product scoring takes one tree. Use --scoring chunked, or leave out --backend.");
                predictor = chunkedOnBackend
                    ? new XLinearPredictor(weights, s.Prediction, WeightLayout.Chunked, kernels)
                    : new MaskedBatchPredictor(weights.Trees[0], kernels, s.Prediction);
                opened = chunkedOnBackend ? "read and compiled" : "read";
            }
            using var owned = predictor as IDisposable;
            double openMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var options = CommonOptions.CapAtLabels(CommonOptions.WithOverrides(saved.Prediction, result.GetValue(beam), result.GetValue(topK), result.GetValue(post)),
                predictor.LabelCount, predictor.WidestLevel);
            if (result.GetValue(combination) is { } combine) options = options with { Combination = EnsembleCombinationNames.Parse(combine) };
            int trees = predictor is XLinearPredictor xp ? xp.TreeCount : 1;
            bool normalize = saved.NormalizeByDefault && !result.GetValue(noNormalize);
            var (features, _) = InputData.Load(xPath, normalize);
            InputData.CheckFeatureCount(features, xPath, predictor.FeatureCount, modelPath);
            if (InputData.ScaleWarning(saved, InputData.MedianRowNorm(features), normalize, xPath) is { } warning) CliConsole.Warn(warning);
            double loadMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            CsrMatrix scores = predictor.Predict(features, options, t);
            double predictMs = sw.Elapsed.TotalMilliseconds;
            NpzFormat.Write(outPath, scores);
            // MKL's inspector-executor API has no product at given positions, so its masked product is the managed one.
            string path = kernels is null ? "chunked"
                : chunkedOnBackend ? $"chunked, rows added on {kernels.Name}{(kernels.RunsOn(KernelOperation.ChunkRowAdd) != kernels.Backend ? $" (delegated to {kernels.RunsOn(KernelOperation.ChunkRowAdd).ToString().ToLowerInvariant()})" : "")}"
                : kernels.Backend == KernelBackend.Mkl ? $"masked product on {KernelRegistry.Get(KernelBackend.Managed).Name} (mkl has none)"
                : $"masked product on {kernels.Name}";
            string ensemble = trees > 1 ? $"{trees} trees ({options.Combination.ToName()}), " : "";
            CliConsole.OutWriter.WriteLine($"predicted {features.Rows:N0} rows ({ensemble}beam {options.BeamSize}, top {options.TopK}, {options.PostProcessor.Name}, {path}, rows {(normalize ? "L2-normalised" : "as given")}) into {outPath}; " +
                                           $"open model {openMs:F0} ms ({opened}), load data {loadMs:F0} ms, " +
                                           $"predict {predictMs:F0} ms ({predictMs * 1000 / Math.Max(1, features.Rows):F1} us/row)");
            if (timed > 0)
            {
                var (p50, p99, max) = LatencyTimer.SingleQuery((XLinearPredictor)predictor, features, Math.Min(timed, features.Rows), options);
                CliConsole.OutWriter.WriteLine($"single query ({Math.Min(timed, features.Rows):N0} rows): p50 {p50:F4} ms, p99 {p99:F4} ms, max {max:F3} ms; " +
                                               $"RSS {Environment.WorkingSet / (1024 * 1024)} MB, peak {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
            }
            return 0;
        });
        return command;
    }
}
