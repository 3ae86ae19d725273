using XmrEngine.Kernels;

namespace XmrEngine.Benchmarks;

/// <summary>The kernel backends that load on this machine, for [ParamsSource].</summary>
public static class BackendSource
{
    /// <summary>Reference first (the scalar baseline), then every other available backend.</summary>
    public static IEnumerable<KernelBackend> Available() =>
        KernelRegistry.Available().Select(k => k.Backend).OrderBy(b => b == KernelBackend.Reference ? 0 : 1).ThenBy(b => b);
}
