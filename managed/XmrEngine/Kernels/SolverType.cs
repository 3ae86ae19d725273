namespace XmrEngine.Kernels;

/// <summary>Loss of the per-node binary linear model; every one is L2-regularised and solved in the dual.</summary>
public enum SolverType
{
    /// <summary>Squared hinge loss, "l2-hinge" (PECOS's default, liblinear's L2R_L2LOSS_SVC_DUAL).</summary>
    L2Hinge,

    /// <summary>Hinge loss, "l1-hinge" (liblinear's L2R_L1LOSS_SVC_DUAL).</summary>
    L1Hinge,

    /// <summary>Logistic loss, "logistic" (liblinear's L2R_LR_DUAL).</summary>
    Logistic,
}

/// <summary>The command-line / config names of <see cref="SolverType"/> values.</summary>
public static class SolverTypeNames
{
    /// <summary>The canonical name: "l2-hinge", "l1-hinge" or "logistic".</summary>
    public static string ToName(this SolverType solver) => solver switch
    {
        SolverType.L2Hinge => "l2-hinge",
        SolverType.L1Hinge => "l1-hinge",
        SolverType.Logistic => "logistic",
        _ => throw new ArgumentOutOfRangeException(nameof(solver), solver, "Unknown solver type."),
    };

    /// <summary>Parses a canonical name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not a solver.</exception>
    public static SolverType Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var s in Enum.GetValues<SolverType>())
            if (string.Equals(s.ToName(), name.Trim(), StringComparison.OrdinalIgnoreCase)) return s;
        throw new ArgumentException($"Unknown solver '{name}'; expected one of: l2-hinge, l1-hinge, logistic.", nameof(name));
    }
}
