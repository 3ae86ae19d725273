using XmrEngine.Kernels;
using XmrEngine.Training;

namespace XmrEngine.Cluster.Grains;

/// <summary>
/// The training options a subtree job needs, as they travel to a silo: everything that decides a node's weights
/// (solver, costs, stopping rule, bias, pruning, seed, backend). The tree options are not sent: the tree itself is.
/// </summary>
[GenerateSerializer, Alias("xmr.TrainingJobOptions")]
public sealed class TrainingJobOptions
{
    /// <summary>The solver's name (<see cref="SolverTypeNames"/>).</summary>
    [Id(0)] public string Solver { get; set; } = "";
    /// <summary>Cost on positives.</summary>
    [Id(1)] public double Cp { get; set; }
    /// <summary>Cost on negatives.</summary>
    [Id(2)] public double Cn { get; set; }
    /// <summary>Solver tolerance.</summary>
    [Id(3)] public double Eps { get; set; }
    /// <summary>Solver iteration cap.</summary>
    [Id(4)] public int MaxIterations { get; set; }
    /// <summary>Bias feature value.</summary>
    [Id(5)] public float Bias { get; set; }
    /// <summary>Pruning threshold.</summary>
    [Id(6)] public float Threshold { get; set; }
    /// <summary>Most non-zeros kept per node (0: no cap).</summary>
    [Id(7)] public int MaxNonzerosPerNode { get; set; }
    /// <summary>Random seed.</summary>
    [Id(8)] public int Seed { get; set; }
    /// <summary>Kernel backend's name.</summary>
    [Id(9)] public string Backend { get; set; } = "";
    /// <summary>Whether the nodes are solved with PECOS's exact arithmetic (<see cref="XLinearTrainOptions.ExactPecos"/>).</summary>
    [Id(10)] public bool ExactPecos { get; set; }

    /// <summary>The fields of <paramref name="options"/> a job needs.</summary>
    internal static TrainingJobOptions From(XLinearTrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TrainingJobOptions
        {
            Solver = options.Solver.ToName(), Cp = options.Cp, Cn = options.Cn, Eps = options.Eps, MaxIterations = options.MaxIterations,
            Bias = options.Bias, Threshold = options.Threshold, MaxNonzerosPerNode = options.MaxNonzerosPerNode, Seed = options.Seed,
            Backend = options.Kernels.Backend.ToString(), ExactPecos = options.ExactPecos,
        };
    }

    /// <summary>
    /// Training options with these values (the option record validates them; errors name the field), on the backend
    /// named here, resolved on this machine: the job is a run of its own, so it resolves its backend once, here.
    /// </summary>
    /// <exception cref="ArgumentException">A value is out of range or a name unknown.</exception>
    /// <exception cref="KernelUnavailableException">The backend does not load on this machine.</exception>
    internal XLinearTrainOptions ToOptions() => new()
    {
        Solver = SolverTypeNames.Parse(Solver), Cp = Cp, Cn = Cn, Eps = Eps, MaxIterations = MaxIterations, Bias = Bias, Threshold = Threshold,
        MaxNonzerosPerNode = MaxNonzerosPerNode, Seed = Seed, ExactPecos = ExactPecos,
        Kernels = KernelRegistry.Get(Enum.TryParse<KernelBackend>(Backend, out var backend) && Enum.IsDefined(backend) ? backend : throw new ArgumentException($"unknown kernel backend '{Backend}'.")),
        Negatives = NegativeSampling.Tfn,
    };
}
