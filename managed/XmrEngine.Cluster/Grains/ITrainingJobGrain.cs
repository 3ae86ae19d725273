namespace XmrEngine.Cluster.Grains;

/// <summary>
/// Trains one subtree job on whichever silo Orleans places it; keyed by run id and job index. The coordinator starts
/// the job and then polls it: a long grain call to a silo that dies can wait for its whole response timeout, while a
/// poll reaching a fresh activation (the old silo is gone) answers <see cref="TrainingJobStatus.Unknown"/> at once and
/// the coordinator starts the job again there.
/// </summary>
[Alias("xmr.ITrainingJobGrain")]
public interface ITrainingJobGrain : IGrainWithStringKey
{
    /// <summary>Starts the job unless this activation already runs or ran it; returns at once.</summary>
    [Alias("Start")]
    Task Start(TrainingJob job);

    /// <summary>The job's state, with its weights once done.</summary>
    [Alias("Poll")]
    Task<TrainingJobStatus> Poll();
}
