namespace XmrEngine.Inference;

/// <summary>One prediction: a label id and its beam-search score (higher is better).</summary>
/// <param name="Label">Label id in [0, LabelCount).</param>
/// <param name="Score">Combined post-processed score along the label's path in the tree.</param>
public readonly record struct ScoredLabel(int Label, float Score);
