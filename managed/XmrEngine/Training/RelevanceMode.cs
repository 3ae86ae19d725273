namespace XmrEngine.Training;

/// <summary>Which tree levels a relevance matrix weighs (PECOS's <c>rel_mode</c>).</summary>
public enum RelevanceMode
{
    /// <summary>
    /// Every level: a node's relevance for an instance is the sum of the relevances of the instance's labels under it
    /// (PECOS's <c>induce</c>: the matrix multiplied up the tree).
    /// </summary>
    Induce,

    /// <summary>Only the last level (the labels themselves); the levels above train as without relevance (PECOS's <c>ranker-only</c>).</summary>
    RankerOnly,
}

/// <summary>How each instance's relevances are scaled on every level, after inducing (PECOS's <c>rel_norm</c>).</summary>
public enum RelevanceNorm
{
    /// <summary>As given (PECOS's <c>no-norm</c>).</summary>
    None,

    /// <summary>Divided by the row's sum of absolute values.</summary>
    L1,

    /// <summary>Divided by the row's Euclidean norm.</summary>
    L2,

    /// <summary>Divided by the row's largest absolute value.</summary>
    Max,
}
