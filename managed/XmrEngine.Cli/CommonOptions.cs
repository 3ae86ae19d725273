using System.CommandLine;
using XmrEngine.Inference;
using XmrEngine.Kernels;

namespace XmrEngine.Cli;

/// <summary>Options shared by every verb that computes: backend and thread count.</summary>
internal static class CommonOptions
{
    public static Option<string> Backend() => new("--backend")
    {
        Description = "Kernel backend: auto|managed|reference|native|mkl (default: auto, or the XMR_BACKEND environment variable).",
        DefaultValueFactory = _ => "auto",
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "Worker threads (0 = all cores).",
        DefaultValueFactory = _ => 0,
    };

    public static SparseKernels Kernels(ParseResult result, Option<string> backend) =>
        KernelRegistry.Get(KernelRegistry.Parse(result.GetValue(backend) ?? "auto"));

    /// <summary>
    /// The backend <c>XMR_BACKEND</c> selects (managed when unset), resolved now so that a bad value fails before
    /// any work, for verbs that have no <c>--backend</c> flag but train.
    /// </summary>
    public static SparseKernels EnvironmentKernels() => KernelRegistry.Get(KernelBackend.Auto);

    public static int ThreadCount(ParseResult result, Option<int> threads)
    {
        int t = result.GetValue(threads);
        if (t < 0) throw new ArgumentException($"--threads must be >= 0; got {t}.");
        return t;
    }

    /// <summary>
    /// <paramref name="options"/> with top-k capped at the model's <paramref name="labelCount"/> and the beam
    /// at its <paramref name="widestLevel"/>, with a note on standard error for each value that was lowered
    /// (a larger value changes nothing but memory).
    /// </summary>
    public static PredictOptions CapAtLabels(PredictOptions options, int labelCount, int widestLevel)
    {
        var capped = options.CappedTo(labelCount, widestLevel);
        if (capped.TopK < options.TopK) CliConsole.Note($"--top-k {options.TopK} is more than the model's {labelCount:N0} labels; using {capped.TopK:N0}.");
        if (capped.BeamSize < options.BeamSize) CliConsole.Note($"--beam-size {options.BeamSize} is more than the {capped.BeamSize:N0} nodes of the model's widest tree level; using {capped.BeamSize:N0}.");
        return capped;
    }

    /// <summary>
    /// A cut-off <paramref name="k"/> given by <paramref name="flag"/>, checked positive and capped at
    /// <paramref name="limit"/> (with a note saying so).
    /// </summary>
    public static int CapK(int k, int limit, string flag, string what)
    {
        if (k < 1) throw new ArgumentException($"{flag} must be positive; got {k}.");
        if (k <= limit || limit < 1) return k;
        CliConsole.Note($"{flag} {k} is more than the {limit:N0} {what}; using {limit:N0}.");
        return limit;
    }

    /// <summary>Saved settings with any flags the user gave on top.</summary>
    public static PredictOptions WithOverrides(PredictOptions saved, int? beam, int? topK, string? post)
    {
        var o = saved;
        if (beam is { } b) o = o with { BeamSize = Positive(b, "--beam-size") };
        if (topK is { } k) o = o with { TopK = Positive(k, "--top-k") };
        if (post is not null) o = o with { PostProcessor = PostProcessor.Parse(post) };
        return o;
    }

    private static int Positive(int value, string flag) =>
        value >= 1 ? value : throw new ArgumentException($"{flag} must be positive; got {value}.");
}
