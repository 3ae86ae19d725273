using XmrEngine.Common;

namespace XmrEngine.Kernels;

/// <summary>
/// <see cref="HingeDualSolver"/> run by libxmr_native's <c>xmr_dcd_hinge_solve</c>: the same
/// algorithm, shrinking and visiting order (the C code carries a port of <see cref="SeededRandom"/>),
/// over the workspace's own arrays, pinned for the call. The dual solve of <see cref="NativeKernels"/>; the logistic
/// solver has no native port and runs on the managed backend.
/// </summary>
internal static class NativeHingeDualSolver
{
    /// <summary>
    /// Solves the problem held in <paramref name="ws"/> exactly as <see cref="HingeDualSolver.Solve"/>
    /// does (same contract: w zero on entry, rows loaded); advances <paramref name="rng"/> the same way.
    /// </summary>
    /// <returns>The number of passes made.</returns>
    /// <exception cref="KernelUnavailableException">libxmr_native does not load.</exception>
    public static unsafe int Solve(SolverWorkspace ws, in SolverParameters p, ref SeededRandom rng)
    {
        int m = ws.Count;
        if (m == 0) return 0;
        if (p.Solver == SolverType.Logistic)
            throw new ArgumentException("The native solver handles the hinge losses only; logistic regression is solved by LogisticDualSolver.", nameof(p));
        NativeBackendProvider.Get();
        var parameters = new NativeSolverMethods.DcdParams
        {
            Loss = p.Solver == SolverType.L2Hinge ? NativeSolverMethods.LossSquaredHinge : NativeSolverMethods.LossHinge,
            MaxIterations = p.MaxIterations,
            Cp = p.Cp,
            Cn = p.Cn,
            Eps = p.Eps,
            Bias = p.Bias,
        };
        ulong state = rng.State;
        // The problem struct holds pointers the C code reads during the call, so its arrays are pinned
        // for the call's duration; the solution buffers are spans the binding's stub pins itself.
        using var labels = new PinnedArray<sbyte>(ws.Label);
        using var rowStart = new PinnedArray<int>(ws.RowStart);
        using var rowLength = new PinnedArray<int>(ws.RowLength);
        using var indices = new PinnedArray<int>(ws.RowIndexSource);
        using var values = new PinnedArray<float>(ws.RowValueSource);
        using var norms = new PinnedArray<double>(ws.SquaredNorm);
        var problem = new NativeSolverMethods.DcdProblem
        {
            Count = m,
            Features = ws.W.Length,
            Entries = ws.RowIndexSource.Length,
            Labels = labels.Pointer,
            RowStart = rowStart.Pointer,
            RowLength = rowLength.Pointer,
            Indices = indices.Pointer,
            Values = values.Pointer,
            SquaredNorms = norms.Pointer,
        };
        int status = NativeSolverMethods.DcdHingeSolve(problem, parameters, ws.W, ws.Alpha, ws.Order, out double b, ref state, out int iterations);
        NativeStatus.ThrowIfFailed(status, "xmr_dcd_hinge_solve");
        ws.B = b;
        rng = new SeededRandom(state);
        return iterations;
    }
}
