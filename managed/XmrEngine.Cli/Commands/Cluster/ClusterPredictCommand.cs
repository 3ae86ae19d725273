using System.CommandLine;
using System.Diagnostics;
using XmrEngine.Cluster.Grains;
using XmrEngine.Cluster.Hosting;
using XmrEngine.Cluster.Serving;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Serving;
using XmrEngine.Sharding;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands.Cluster;

/// <summary>
/// <c>xmr cluster predict</c>: <c>xmr predict</c> on a sharded model whose shards a cluster serves. This process
/// runs the meta-model and routes each level's beam to the shard grains; the answers are the single machine's.
/// </summary>
internal static class ClusterPredictCommand
{
    public static Command Create()
    {
        var x = new Option<string>("-x") { Description = "Features: .npz, or an XMC repository .txt / .svm.", Required = true };
        var model = new Option<string>("--model", "-m") { Description = "The sharded model directory (xmr shard), at a path every silo can read.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Predicted scores (.npz, csr, top-k per row).", Required = true };
        var beam = new Option<int?>("--beam-size") { Description = "Beam size (default: the model's, 10)." };
        var topK = new Option<int?>("--top-k") { Description = "Labels per row (default: the model's, 10)." };
        var post = new Option<string?>("--post-processor") { Description = "noop | sigmoid | log-sigmoid | l1-hinge..l4-hinge | log-lp-hinge (default: the model's)." };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Do not L2-normalise the rows of -x." };
        var noChecksums = new Option<bool>("--no-checksums") { Description = "Skip the meta-model's SHA-256 check here (shard grains always check theirs)." };
        var threads = CommonOptions.Threads();
        var gateways = new Option<int[]>("--gateway-port") { Description = "Without --redis: the silos' gateway ports on this machine (repeat the flag).", AllowMultipleArgumentsPerToken = true };
        var batchRows = new Option<int>("--batch-rows") { Description = "Queries per shard call.", DefaultValueFactory = _ => 256 };
        var concurrent = new Option<int>("--concurrent-batches") { Description = "Batches in flight at once.", DefaultValueFactory = _ => 4 };
        var warmUp = new Option<bool>("--warm-up") { Description = "Predict the rows once before the timed pass, so that activating the shard grains (checking and mapping their files) is not timed." };
        var latency = new Option<int>("--latency-queries") { Description = "Also send this many rows one request at a time (after a warm-up pass) and print the p50/p99 latency.", DefaultValueFactory = _ => 0 };
        var flags = new ClusterFlags();
        var command = new Command("predict", "Predict the top-k labels of every row on a cluster serving a sharded model (same answers as xmr predict -m DIR).")
            { x, model, output, beam, topK, post, noNormalize, noChecksums, threads, gateways, batchRows, concurrent, warmUp, latency };
        flags.AddTo(command);
        command.SetAction(async (result, cancel) =>
        {
            string xPath = result.GetRequiredValue(x), modelPath = result.GetRequiredValue(model), outPath = result.GetRequiredValue(output);
            OutputPaths.CheckFile(("-o", outPath), ("-x", xPath), ("-m", modelPath));
            OutputPaths.RequireNpz("-o", outPath);
            if (!ShardedModelDirectory.IsSharded(modelPath)) throw new ArgumentException($"-m {modelPath}: is not a sharded model directory (make one with xmr shard).");
            int rows = Positive(result.GetValue(batchRows), "--batch-rows"), inFlight = Positive(result.GetValue(concurrent), "--concurrent-batches");
            int timed = result.GetValue(latency);
            if (timed < 0) throw new ArgumentException($"--latency-queries must be >= 0; got {timed}.");
            var membership = flags.Membership(result);
            int t = CommonOptions.ThreadCount(result, threads);

            var sw = Stopwatch.StartNew();
            var (host, client) = await ClusterClient.ConnectAsync(membership, result.GetValue(gateways) ?? [], RetryPolicy.Default.AttemptTimeout, cancel).ConfigureAwait(false);
            using var _ = host;
            var statistics = new CallStatistics();
            using var opened = ClusterShardedModel.Open(client, modelPath, RetryPolicy.Default, statistics, !result.GetValue(noChecksums), rows, inFlight);
            double connectMs = sw.Elapsed.TotalMilliseconds;
            var options = CommonOptions.CapAtLabels(CommonOptions.WithOverrides(opened.Defaults, result.GetValue(beam), result.GetValue(topK), result.GetValue(post)),
                opened.LabelCount, opened.WidestLevel);
            bool normalize = opened.Input.NormalizeRows && !result.GetValue(noNormalize);
            var (raw, _) = InputData.Load(xPath, normalize: false);
            var features = InputData.PrepareFor(opened, raw, normalize, xPath, modelPath);
            CsrMatrix scores;
            try
            {
                // The rows are prepared above, once, so the model searches them as they are.
                if (result.GetValue(warmUp)) await opened.PredictAsync(features, options, t, normalize: false, cancel).ConfigureAwait(false);
                sw.Restart();
                scores = await opened.PredictAsync(features, options, t, normalize: false, cancel).ConfigureAwait(false);
            }
            catch (ShardLoadException e)
            {
                // The grain's message names the refused file; IOException makes it one "error:" line.
                throw new IOException($"the cluster refused a shard: {e.Message}", e);
            }
            double predictMs = sw.Elapsed.TotalMilliseconds;
            NpzFormat.Write(outPath, scores);
            CliConsole.OutWriter.WriteLine($"predicted {features.Rows:N0} rows on cluster '{membership.ClusterId}' ({((ShardedPredictor)opened.Predictor).ShardCount} shards, beam {options.BeamSize}, top {options.TopK}, " +
                                           $"{options.PostProcessor.Name}, batches of {rows} x {inFlight} in flight) into {outPath}; connect and open {connectMs:F0} ms, {(result.GetValue(warmUp) ? "after a warm-up pass, " : "")}" +
                                           $"predict {predictMs:F0} ms ({features.Rows / Math.Max(predictMs / 1000, 1e-9):F0} rows/s)");
            if (timed > 0)
            {
                var (p50, p99, max) = await SingleRequestLatency(opened, features, Math.Min(timed, features.Rows), options, cancel).ConfigureAwait(false);
                CliConsole.OutWriter.WriteLine($"single request ({Math.Min(timed, features.Rows):N0} rows, one at a time): p50 {p50:F3} ms, p99 {p99:F3} ms, max {max:F3} ms");
            }
            CliConsole.OutWriter.WriteLine($"calls: {statistics}");
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Sends rows one request at a time after a warm-up pass; p50, p99 and max in ms.</summary>
    private static async Task<(double P50, double P99, double Max)> SingleRequestLatency(XLinearServingModel model, CsrMatrix x, int count, PredictOptions options, CancellationToken cancel)
    {
        var single = Enumerable.Range(0, count).Select(i => x.SelectRows([i])).ToArray();
        foreach (var row in single) await model.PredictAsync(row, options, 1, normalize: false, cancel).ConfigureAwait(false);
        var times = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await model.PredictAsync(single[i], options, 1, normalize: false, cancel).ConfigureAwait(false);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return LatencyTimer.Summarize(times);
    }

    private static int Positive(int value, string flag) => value >= 1 ? value : throw new ArgumentException($"{flag} must be positive; got {value}.");
}
