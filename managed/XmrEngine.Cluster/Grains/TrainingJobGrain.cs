using Microsoft.Extensions.Logging;
using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Cluster.Grains;

/// <summary>
/// Runs a subtree job: reads the training data from the shared path (the same reader and row normalisation as the
/// coordinator), rebuilds the tree from the parent arrays, and runs <see cref="PartitionedTraining.TrainLevels"/> on the
/// job's roots on the thread pool, while polls are answered from the grain. A job is a pure function of its message,
/// so running it again elsewhere after a silo died gives the same weights.
/// </summary>
public sealed class TrainingJobGrain : Grain, ITrainingJobGrain
{
    private readonly ILogger<TrainingJobGrain> _logger;
    private Task<TrainingJobResult>? _running;

    /// <summary>Created by Orleans.</summary>
    public TrainingJobGrain(ILogger<TrainingJobGrain> logger)
    {
        _logger = logger;
    }

    /// <inheritdoc />
    public Task Start(TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_running is not null) return Task.CompletedTask;
        var options = job.Options.ToOptions();
        var chain = new ClusterChain(job.Parents.Select((parents, t) => ClusterChain.LevelFromParents(parents, t == 0 ? 1 : job.Parents[t - 1].Length)));
        string key = this.GetPrimaryKeyString();
        // Off the grain's scheduler: the polls must be answered while the job trains.
        _running = Task.Run(() =>
        {
            var (x, y) = Read(job);
            var levels = PartitionedTraining.TrainLevels(x, y, chain, options, job.SplitLevel, chain.Depth, job.SubtreeRoots);
            _logger.LogInformation("trained job {Key}: {Roots} subtrees", key, job.SubtreeRoots.Length);
            return TrainingJobResult.From(levels);
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<TrainingJobStatus> Poll()
    {
        var running = _running;
        TrainingJobStatus status;
        if (running is null) status = new TrainingJobStatus { State = TrainingJobStatus.Unknown };
        else if (!running.IsCompleted) status = new TrainingJobStatus { State = TrainingJobStatus.Running };
        else if (running.IsCompletedSuccessfully) status = new TrainingJobStatus { State = TrainingJobStatus.Done, Result = running.Result };
        else
        {
            var error = running.Exception?.GetBaseException();
            status = new TrainingJobStatus
            {
                State = TrainingJobStatus.Failed,
                Error = error?.Message ?? "the job was cancelled",
                ErrorFile = (error as ShardLoadException)?.FilePath,
            };
        }
        // A finished job's answer has been handed over; the activation (and the weights it holds) can go.
        if (status.State is TrainingJobStatus.Done or TrainingJobStatus.Failed) DeactivateOnIdle();
        return Task.FromResult(status);
    }

    private static (CsrMatrix X, CsrMatrix Y) Read(TrainingJob job)
    {
        try
        {
            var (x, labels) = SparseFileFormat.ReadContent(job.FeaturesPath);
            if (job.Normalize) x = x.NormalizeRows(RowNorm.L2);
            var y = job.LabelsPath is null
                ? labels ?? throw new XmrDataException(job.FeaturesPath, null, null, "labels", "holds no labels and the job names no labels file")
                : SparseFileFormat.Detect(job.LabelsPath) == SparseFileKind.Npz ? NpzFormat.ReadCsr(job.LabelsPath) : SparseFileFormat.ReadDataset(job.LabelsPath).Labels;
            return (x, y);
        }
        catch (XmrDataException e)
        {
            throw new ShardLoadException(e.FilePath, e.Message);
        }
        catch (IOException e)
        {
            throw new ShardLoadException(job.FeaturesPath, $"{job.FeaturesPath}: cannot read the training data: {e.Message}");
        }
    }
}
