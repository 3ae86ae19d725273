namespace XmrEngine.Apps.AutoComplete;

/// <summary>Sizes and stage times of one <c>QacModel.Train</c> run (filled in by the trainer).</summary>
public sealed class QacTrainingReport
{
    /// <summary>Training instances (pairs x prefixes).</summary>
    public int Instances { get; internal set; }

    /// <summary>Labels (distinct next queries).</summary>
    public int Labels { get; internal set; }

    /// <summary>Input dimension.</summary>
    public int Features { get; internal set; }

    /// <summary>Levels of the label tree.</summary>
    public int TreeDepth { get; internal set; }

    /// <summary>Most labels under one bottom tree node.</summary>
    public int LargestLeaf { get; internal set; }

    /// <summary>Milliseconds spent fitting vectorizers and building X and Y.</summary>
    public double FeaturesMs { get; internal set; }

    /// <summary>Milliseconds spent building the label tree.</summary>
    public double IndexingMs { get; internal set; }

    /// <summary>Milliseconds spent training XR-Linear.</summary>
    public double TrainingMs { get; internal set; }

    /// <summary>Milliseconds spent training the fusion ranker (0 without one).</summary>
    public double RankerMs { get; internal set; }

    /// <summary>What the fusion ranker was trained on, or null when there is none.</summary>
    public QacRankerTrainingInfo? Ranker { get; internal set; }

    /// <summary>Milliseconds spent training the served model again on every session after the ranker (0 when not retrained).</summary>
    public double RetrainMs { get; internal set; }

    /// <summary>Total milliseconds.</summary>
    public double TotalMs => FeaturesMs + IndexingMs + TrainingMs + RankerMs + RetrainMs;
}
