namespace XmrEngine.Text;

/// <summary>The norm each output row is scaled to.</summary>
public enum TfidfNorm
{
    /// <summary>Rows are left unscaled.</summary>
    None,

    /// <summary>Rows are scaled so their absolute values sum to one.</summary>
    L1,

    /// <summary>Rows are scaled to unit Euclidean length.</summary>
    L2,
}
