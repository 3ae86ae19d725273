namespace XmrEngine.Cluster.Grains;

/// <summary>Where a training job stands, as its grain reports it to the coordinator's polls.</summary>
[GenerateSerializer, Alias("xmr.TrainingJobStatus")]
public sealed class TrainingJobStatus
{
    /// <summary>This activation holds no job: never started here, or its silo died and the grain was reactivated elsewhere.</summary>
    public const int Unknown = 0;

    /// <summary>The job is training.</summary>
    public const int Running = 1;

    /// <summary>The job finished; <see cref="Result"/> holds its weights.</summary>
    public const int Done = 2;

    /// <summary>The job failed; <see cref="Error"/> says why (and <see cref="ErrorFile"/> which file, when a file was refused).</summary>
    public const int Failed = 3;

    /// <summary>One of the constants above.</summary>
    [Id(0)] public int State { get; set; }

    /// <summary>The weights, when done.</summary>
    [Id(1)] public TrainingJobResult? Result { get; set; }

    /// <summary>The failure's message, when failed.</summary>
    [Id(2)] public string? Error { get; set; }

    /// <summary>The refused file, when the failure was a file's.</summary>
    [Id(3)] public string? ErrorFile { get; set; }
}
