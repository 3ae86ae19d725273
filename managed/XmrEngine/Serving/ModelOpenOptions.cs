using XmrEngine.Kernels;

namespace XmrEngine.Serving;

/// <summary>How a model is opened. The defaults are what serving wants: memory-mapped, every checksum verified.</summary>
public sealed record ModelOpenOptions
{
    /// <summary>The defaults.</summary>
    public static ModelOpenOptions Default { get; } = new();

    /// <summary>
    /// Memory-map an XmrEngine model file and score from its compiled levels [true]; false reads it into managed
    /// arrays and compiles them. Folders (PECOS directories, apps) are always read.
    /// </summary>
    public bool Mapped { get; init; } = true;

    /// <summary>Verify every checksum while opening [true] (reads the whole file once).</summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>
    /// Score XR-Linear levels on this kernel backend instead of the compiled chunked predictor [null]: the model is
    /// read (not mapped) and each level scored as one masked product (<see cref="MaskedScoring"/>) or as the chunked
    /// predictor with its chunk rows added on the backend.
    /// </summary>
    public SparseKernels? Backend { get; init; }

    /// <summary>With <see cref="Backend"/>: one masked product per level [true], or the chunked predictor on the backend.</summary>
    public bool MaskedScoring { get; init; } = true;
}
