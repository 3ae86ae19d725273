using XmrEngine.Cluster.Grains;
using XmrEngine.Cluster.Serving;
using XmrEngine.Models;
using XmrEngine.Sharding;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Cluster.Training;

/// <summary>Where the training data lives, for jobs that read it themselves: paths every silo can read.</summary>
/// <param name="FeaturesPath">The features file (as an absolute path).</param>
/// <param name="LabelsPath">The labels file, or null when the features file holds them.</param>
/// <param name="Normalize">Whether the rows are L2-normalised after reading.</param>
public sealed record TrainingData(string FeaturesPath, string? LabelsPath, bool Normalize);

/// <summary>
/// The coordinator of distributed training (<see cref="PartitionedTraining"/> on Orleans): builds the tree, sends one
/// <see cref="ITrainingJobGrain"/> per job (subtrees of level L-1 split by label count, largest first), trains the
/// levels above L itself meanwhile, and assembles the model: the model single-machine training gives with the same
/// seed. Jobs are started and polled; a job whose silo dies is found missing by the next poll and started again on
/// another silo.
/// </summary>
public static class ClusterTrainer
{
    /// <summary>Trains on the cluster; <paramref name="x"/> and <paramref name="y"/> are the data as read from <paramref name="data"/>.</summary>
    /// <param name="grains">The cluster client's grain factory.</param>
    /// <param name="x">Features, prepared as the jobs will prepare them.</param>
    /// <param name="y">Labels.</param>
    /// <param name="data">Where the jobs read the same data.</param>
    /// <param name="options">Training options (TFN negatives, one tree).</param>
    /// <param name="splitLevel">The first level the jobs train.</param>
    /// <param name="jobs">Number of jobs, at most the nodes of level splitLevel-1.</param>
    /// <param name="policy">Retries of the job calls.</param>
    /// <param name="statistics">Receives the job calls' retries and durations.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <param name="jobsSent">Called once with the job count when every job has been sent (progress display).</param>
    /// <exception cref="ArgumentException">The options, split level or job count do not fit.</exception>
    public static async Task<XLinearModel> TrainAsync(IGrainFactory grains, CsrMatrix x, CsrMatrix y, TrainingData data, XLinearTrainOptions options,
        int splitLevel, int jobs, RetryPolicy policy, CallStatistics statistics, CancellationToken cancellationToken, Action<int>? jobsSent = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(data);
        var chain = PartitionedTraining.BuildTree(x, y, options, cancellationToken);
        if (splitLevel < 1 || splitLevel >= chain.Depth)
            throw new ArgumentException($"--level must be in [1, {chain.Depth - 1}] for the tree of {chain.Depth} levels this data gives; got {splitLevel}.");
        int roots = chain.Levels[splitLevel - 1].Rows;
        if (jobs < 1 || jobs > roots) throw new ArgumentException($"--jobs must be in [1, {roots}] (level {splitLevel - 1} has {roots} nodes); got {jobs}.");

        var (jobOfRoot, _) = GreedyPartition.Assign(LabelsUnder(chain, splitLevel - 1), jobs);
        var parents = chain.Levels.Select((level, t) => Enumerable.Range(0, level.Rows).Select(n => chain.Parent(t, n)).ToArray()).ToArray();
        string run = Guid.NewGuid().ToString("N");
        var calls = Enumerable.Range(0, jobs).Select(j =>
        {
            var job = new TrainingJob
            {
                FeaturesPath = data.FeaturesPath, LabelsPath = data.LabelsPath, Normalize = data.Normalize, Parents = parents, SplitLevel = splitLevel,
                SubtreeRoots = Enumerable.Range(0, roots).Where(r => jobOfRoot[r] == j).ToArray(), Options = TrainingJobOptions.From(options),
            };
            return RunJobAsync(grains.GetGrain<ITrainingJobGrain>($"{run}|{j}"), job, policy, statistics, cancellationToken);
        }).ToArray();
        jobsSent?.Invoke(jobs);
        // The top levels train here while the jobs run on the silos.
        var top = await Task.Run(() => PartitionedTraining.TrainLevels(x, y, chain, options, 0, splitLevel, null, null, cancellationToken), cancellationToken).ConfigureAwait(false);
        var results = await Task.WhenAll(calls).ConfigureAwait(false);

        var parts = new List<CscMatrix?[]>();
        parts.Add([.. top, .. new CscMatrix?[chain.Depth - splitLevel]]);
        foreach (var result in results)
        {
            if (result.Nodes.Length != chain.Depth - splitLevel) throw new InvalidOperationException($"a job returned {result.Nodes.Length} levels; {chain.Depth - splitLevel} expected.");
            var levels = new CscMatrix?[chain.Depth];
            for (int t = splitLevel; t < chain.Depth; t++) levels[t] = result.Level(t - splitLevel, x.Cols, chain.Levels[t].Rows);
            parts.Add(levels);
        }
        // With the options, so the model carries the training record single-machine training gives it.
        return PartitionedTraining.Assemble(chain, parts, x.Cols, options);
    }

    /// <summary>
    /// Starts the job and polls it every <see cref="PollInterval"/> until it is done. A poll that finds no job (the
    /// silo that ran it died and the grain was activated anew elsewhere) starts it again; polls and starts are short
    /// calls retried under <paramref name="policy"/>, so a dead silo costs its detection time plus a rerun.
    /// </summary>
    private static async Task<TrainingJobResult> RunJobAsync(ITrainingJobGrain grain, TrainingJob job, RetryPolicy policy, CallStatistics statistics, CancellationToken ct)
    {
        await RetryingCall.RunAsync(async () => { await grain.Start(job).ConfigureAwait(false); return true; }, policy, statistics, ct).ConfigureAwait(false);
        while (true)
        {
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            var status = await RetryingCall.RunAsync(grain.Poll, policy, statistics, ct).ConfigureAwait(false);
            switch (status.State)
            {
                case TrainingJobStatus.Done when status.Result is { } result:
                    return result;
                case TrainingJobStatus.Failed:
                    if (status.ErrorFile is { } file) throw new ShardLoadException(file, status.Error ?? "refused");
                    throw new InvalidOperationException($"a training job failed: {status.Error}");
                case TrainingJobStatus.Unknown:
                    statistics.Rerun();
                    await RetryingCall.RunAsync(async () => { await grain.Start(job).ConfigureAwait(false); return true; }, policy, statistics, ct).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>How often the coordinator asks a job how far it is.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Number of labels under each node of <paramref name="level"/>: the size of a subtree job.</summary>
    private static long[] LabelsUnder(Indexing.ClusterChain chain, int level)
    {
        var counts = new long[chain.Levels[level].Rows];
        for (int label = 0; label < chain.LabelCount; label++)
        {
            int node = label;
            for (int t = chain.Depth - 1; t > level; t--) node = chain.Parent(t, node);
            counts[node]++;
        }
        return counts;
    }
}
