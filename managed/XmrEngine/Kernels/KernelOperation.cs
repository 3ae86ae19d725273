namespace XmrEngine.Kernels;

/// <summary>
/// The operations the engine runs through a <see cref="SparseKernels"/> backend. A backend reports
/// through <see cref="SparseKernels.RunsOn"/> which implementation computes each one, so a backend
/// that hands an operation to another says so (and <c>xmr info</c> shows it).
/// </summary>
public enum KernelOperation
{
    /// <summary>Sparse x sparse product (PIFA label embeddings).</summary>
    Multiply,

    /// <summary>Product at the stored positions of a mask (batch beam search).</summary>
    MaskedMultiply,

    /// <summary>Sparse x dense product.</summary>
    MultiplyDense,

    /// <summary>Sparse vector against a dense one (k-means member scoring, masked columns).</summary>
    GatherDot,

    /// <summary>Adds one scaled chunk row into a parent's child scores (the chunked serving path).</summary>
    ChunkRowAdd,

    /// <summary>Dual coordinate descent for the hinge and squared-hinge losses (one tree node's solve).</summary>
    HingeDualSolve,

    /// <summary>Dual coordinate descent for logistic regression.</summary>
    LogisticDualSolve,

    /// <summary>Adding label rows into a k-means centre.</summary>
    CentroidAccumulation,
}
