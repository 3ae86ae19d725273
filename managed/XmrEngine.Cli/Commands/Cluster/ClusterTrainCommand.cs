using System.CommandLine;
using System.Diagnostics;
using XmrEngine.Cli.Commands.Xr;
using XmrEngine.Cluster.Grains;
using XmrEngine.Cluster.Hosting;
using XmrEngine.Cluster.Serving;
using XmrEngine.Cluster.Training;
using XmrEngine.Inference;
using XmrEngine.Models;

namespace XmrEngine.Cli.Commands.Cluster;

/// <summary>
/// <c>xmr cluster train</c>: <c>xmr train</c> with the levels below <c>--level</c> trained as subtree jobs on a cluster.
/// The model file is the one <c>xmr train</c> writes with the same flags (TFN negatives, one tree).
/// </summary>
internal static class ClusterTrainCommand
{
    public static Command Create()
    {
        var input = new TrainingInput();
        var flags = new XLinearTrainingFlags();
        var level = new Option<int>("--level") { Description = "The first tree level the jobs train (1 .. depth-1); this process trains the tree and the levels above.", Required = true };
        var jobs = new Option<int>("--jobs") { Description = "Number of subtree jobs (1 .. nodes of level L-1), balanced by label count.", Required = true };
        var gateways = new Option<int[]>("--gateway-port") { Description = "Without --redis: the silos' gateway ports on this machine (repeat the flag).", AllowMultipleArgumentsPerToken = true };
        var cluster = new ClusterFlags();
        var command = new Command("train", "Train an XR-Linear model with subtree jobs on a cluster (same model file as xmr train; -x/-y must be readable by every silo at the same path).");
        input.AddTo(command);
        flags.AddTo(command, ensembles: false);
        var noAdapt = AdaptiveCost.NoAdaptOption();
        command.Options.Add(noAdapt);
        command.Options.Add(level);
        command.Options.Add(jobs);
        command.Options.Add(gateways);
        cluster.AddTo(command);
        command.SetAction(async (result, cancel) =>
        {
            string modelPath = input.CheckedModelPath(result);
            var options = flags.Build(result);
            var (b, k) = flags.Prediction(result);
            var membership = cluster.Membership(result);
            var (features, labels, normalize, loadMs) = input.Load(result);
            // The same held-out cost choice as xmr train's default, made here (it trains two small models locally), so both
            // verbs write the same file for the same flags.
            string? choice = null;
            if (AdaptiveCost.Applies(result, flags, noAdapt, features.Rows)) (options, choice) = AdaptiveCost.Choose(features, labels, options);
            var data = new TrainingData(Path.GetFullPath(result.GetRequiredValue(input.X)),
                result.GetValue(input.Y) is { } y ? Path.GetFullPath(y) : null, normalize);
            var sw = Stopwatch.StartNew();
            var (host, client) = await ClusterClient.ConnectAsync(membership, result.GetValue(gateways) ?? [], RetryPolicy.Default.AttemptTimeout, cancel).ConfigureAwait(false);
            using var _ = host;
            var statistics = new CallStatistics();
            XLinearModel model;
            try
            {
                model = await ClusterTrainer.TrainAsync(client, features, labels, data, options, result.GetValue(level), result.GetValue(jobs), RetryPolicy.Default, statistics, cancel,
                    sent => CliConsole.ErrWriter.WriteLine($"tree built; {sent} subtree jobs sent, training the top levels here")).ConfigureAwait(false);
            }
            catch (ShardLoadException e)
            {
                throw new IOException($"a training job could not read its data: {e.Message}", e);
            }
            double trainMs = sw.Elapsed.TotalMilliseconds;
            XLinearModelWriter.Save(modelPath, new XLinearEnsemble(model), new PredictOptions { BeamSize = b, TopK = k }, normalize, features, labels.Cols, loadMs, trainMs, options.Threads,
                choice: choice);
            CliConsole.OutWriter.WriteLine($"cluster '{membership.ClusterId}': {result.GetValue(jobs)} subtree jobs below level {result.GetValue(level)}; job calls: {statistics}");
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
