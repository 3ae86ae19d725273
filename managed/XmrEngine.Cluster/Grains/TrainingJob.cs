namespace XmrEngine.Cluster.Grains;

/// <summary>
/// One subtree training job: where the training data lives (a path every silo can read, read and prepared exactly as
/// the coordinator read it), the tree, the split level and the subtree roots whose descendants the job trains.
/// </summary>
[GenerateSerializer, Alias("xmr.TrainingJob")]
public sealed class TrainingJob
{
    /// <summary>The features file (.xmrd, .npz, or an XMC .txt/.svm that also holds the labels).</summary>
    [Id(0)] public string FeaturesPath { get; set; } = "";
    /// <summary>The labels file (.npz, or a data set's labels); null when the features file holds them.</summary>
    [Id(1)] public string? LabelsPath { get; set; }
    /// <summary>L2-normalise the feature rows, as the coordinator did.</summary>
    [Id(2)] public bool Normalize { get; set; }
    /// <summary>Per tree level, the parent of each node (the coordinator's tree).</summary>
    [Id(3)] public int[][] Parents { get; set; } = [];
    /// <summary>The first level the job trains.</summary>
    [Id(4)] public int SplitLevel { get; set; }
    /// <summary>Nodes of level SplitLevel-1 whose descendants the job trains.</summary>
    [Id(5)] public int[] SubtreeRoots { get; set; } = [];
    /// <summary>The training options.</summary>
    [Id(6)] public TrainingJobOptions Options { get; set; } = new();
}
