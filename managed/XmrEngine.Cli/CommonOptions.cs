using System.CommandLine;
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

    public static int ThreadCount(ParseResult result, Option<int> threads)
    {
        int t = result.GetValue(threads);
        if (t < 0) throw new ArgumentException($"--threads must be >= 0; got {t}.");
        return t;
    }
}
