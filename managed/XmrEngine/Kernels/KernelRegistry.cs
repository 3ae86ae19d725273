namespace XmrEngine.Kernels;

/// <summary>
/// Chooses a kernel backend at run time. <see cref="KernelBackend.Auto"/> picks managed SIMD unless the
/// environment variable <c>XMR_BACKEND</c> (auto|managed|reference|native|mkl) names another backend; an
/// explicit request — by argument or by that variable — for a backend that is not available throws
/// <see cref="KernelUnavailableException"/>, and an unknown name in the variable throws <see cref="ArgumentException"/>.
/// </summary>
public static class KernelRegistry
{
    /// <summary>Name of the environment variable that picks the backend when the caller asks for Auto.</summary>
    public const string EnvironmentVariable = "XMR_BACKEND";

    /// <summary>Returns the kernels for <paramref name="backend"/>.</summary>
    /// <exception cref="KernelUnavailableException">An explicitly requested backend (argument or <c>XMR_BACKEND</c>) cannot be loaded.</exception>
    /// <exception cref="ArgumentException"><c>XMR_BACKEND</c> holds an unknown name (only when <paramref name="backend"/> is Auto).</exception>
    public static SparseKernels Get(KernelBackend backend = KernelBackend.Auto)
    {
        if (backend == KernelBackend.Auto)
        {
            var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(fromEnv)) return ManagedKernels.Instance;
            // A backend named in the environment is an explicit request: a typo or a backend that does not
            // load must fail loudly, not quietly measure the managed kernels instead.
            if (!Enum.TryParse<KernelBackend>(fromEnv.Trim(), ignoreCase: true, out var requested) || !Enum.IsDefined(requested))
                throw new ArgumentException($"{EnvironmentVariable}={fromEnv}: unknown backend; expected one of: {string.Join(", ", Enum.GetNames<KernelBackend>()).ToLowerInvariant()}.");
            return requested == KernelBackend.Auto ? ManagedKernels.Instance : Get(requested);
        }
        if (!IsAvailable(backend, out var why)) throw new KernelUnavailableException(backend, why);
        return backend switch
        {
            KernelBackend.Managed => ManagedKernels.Instance,
            KernelBackend.Reference => ReferenceKernels.Instance,
            KernelBackend.Native => NativeBackendProvider.Get(),
            KernelBackend.Mkl => MklKernels.Instance,
            _ => throw new KernelUnavailableException(backend, "no implementation in this build"),
        };
    }

    /// <summary>Whether a backend can be used here; <paramref name="reason"/> says why not.</summary>
    public static bool IsAvailable(KernelBackend backend, out string reason)
    {
        reason = "";
        switch (backend)
        {
            case KernelBackend.Auto:
            case KernelBackend.Managed:
            case KernelBackend.Reference:
                return true;
            case KernelBackend.Native:
                return NativeBackendProvider.TryLoad(out reason);
            case KernelBackend.Mkl:
                return MklKernels.IsAvailable(out reason);
            default:
                reason = "not implemented in this build";
                return false;
        }
    }

    /// <summary>All backends that load on this machine, Auto excluded.</summary>
    public static IReadOnlyList<SparseKernels> Available()
    {
        var list = new List<SparseKernels>();
        foreach (var b in Enum.GetValues<KernelBackend>())
            if (b != KernelBackend.Auto && IsAvailable(b, out _)) list.Add(Get(b));
        return list;
    }

    /// <summary>Parses a backend name as used by the CLI flag and the environment variable.</summary>
    /// <exception cref="ArgumentException">The name is not a backend.</exception>
    public static KernelBackend Parse(string name) =>
        Enum.TryParse<KernelBackend>(name.Trim(), ignoreCase: true, out var b) && Enum.IsDefined(b)
            ? b
            : throw new ArgumentException($"Unknown backend '{name}'; expected one of: {string.Join(", ", Enum.GetNames<KernelBackend>()).ToLowerInvariant()}.");
}

/// <summary>Thrown when a kernel backend was requested explicitly but cannot be used.</summary>
public sealed class KernelUnavailableException(KernelBackend backend, string reason)
    : InvalidOperationException($"Kernel backend '{backend.ToString().ToLowerInvariant()}' is not available: {reason}")
{
    /// <summary>The backend that was asked for.</summary>
    public KernelBackend Requested { get; } = backend;
}
