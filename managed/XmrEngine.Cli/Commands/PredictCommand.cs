using System.CommandLine;
using System.Diagnostics;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands;

/// <summary><c>xmr predict</c>: beam-search top-k labels for every row of a feature file.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var x = new Option<string>("-x") { Description = "Features: .npz, or an XMC repository .txt / .svm.", Required = true };
        var model = new Option<string>("--model", "-m") { Description = "Model file, or a PECOS XLinearModel directory.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Predicted scores (.npz, csr, top-k per row).", Required = true };
        var beam = new Option<int?>("--beam-size") { Description = "Beam size (default: the model's, 10)." };
        var topK = new Option<int?>("--top-k") { Description = "Labels per row (default: the model's, 10)." };
        var post = new Option<string?>("--post-processor") { Description = "noop | sigmoid | log-sigmoid | l1-hinge..l4-hinge | log-lp-hinge (default: the model's, l3-hinge)." };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Do not L2-normalise rows of a .txt/.svm input." };
        var threads = CommonOptions.Threads();
        // No default on purpose: without the flag prediction takes the compiled chunked path, which
        // computes no generic kernel; with it, every level is one masked product on that backend.
        var backend = new Option<string?>("--backend")
        {
            Description = "Score each tree level as one masked product X·W on this kernel backend: auto|managed|reference|native|mkl " +
                          "(auto honours XMR_BACKEND; mkl has no masked product and runs it on managed). " +
                          "Without the flag: the compiled chunked predictor (fastest; no kernel backend involved).",
        };
        var command = new Command("predict", "Predict the top-k labels of every row with beam search.") { x, model, output, beam, topK, post, noNormalize, threads, backend };
        command.SetAction(result =>
        {
            var sw = Stopwatch.StartNew();
            var (m, saved) = ModelFiles.Load(result.GetRequiredValue(model));
            var options = WithOverrides(saved, result.GetValue(beam), result.GetValue(topK), result.GetValue(post));
            var (features, _) = InputData.Load(result.GetRequiredValue(x), !result.GetValue(noNormalize));
            double loadMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            int t = CommonOptions.ThreadCount(result, threads);
            string? backendName = result.GetValue(backend);
            CsrMatrix scores;
            string path;
            if (backendName is null)
            {
                scores = new XLinearPredictor(m, options).Predict(features, options, t);
                path = "chunked";
            }
            else
            {
                var kernels = KernelRegistry.Get(KernelRegistry.Parse(backendName));
                scores = new MaskedBatchPredictor(m, kernels, options).Predict(features, options, t);
                path = $"masked product on {kernels.Name}";
            }
            double predictMs = sw.Elapsed.TotalMilliseconds;
            NpzFormat.Write(result.GetRequiredValue(output), scores);
            Console.Error.WriteLine($"predicted {features.Rows:N0} rows (beam {options.BeamSize}, top {options.TopK}, {options.PostProcessor.Name}, {path}); " +
                                    $"load {loadMs:F0} ms, predict {predictMs:F0} ms ({predictMs * 1000 / Math.Max(1, features.Rows):F1} us/row)");
            return 0;
        });
        return command;
    }

    /// <summary>Saved settings with any flags the user gave on top.</summary>
    internal static PredictOptions WithOverrides(PredictOptions saved, int? beam, int? topK, string? post)
    {
        var o = saved;
        if (beam is { } b) o = o with { BeamSize = b };
        if (topK is { } k) o = o with { TopK = k };
        if (post is not null) o = o with { PostProcessor = PostProcessor.Parse(post) };
        return o;
    }
}
