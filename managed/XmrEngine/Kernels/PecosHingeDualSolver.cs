using XmrEngine.Common;

namespace XmrEngine.Kernels;

/// <summary>
/// The dual coordinate descent of <see cref="HingeDualSolver"/> done with PECOS's arithmetic, for <c>--preset pecos</c>:
/// PECOS keeps the dual variables, the diagonal and the bias in single precision and sums every row product in
/// single precision, in row order; it starts each node's coordinate order from a generator seeded with 0 and keeps
/// shuffling that same order (its shrinking swaps included) from pass to pass. Rounding where PECOS rounds is what
/// makes the weights equal to PECOS's to the last bit instead of to the solver's tolerance. It is slower than the
/// engine's solver (no SIMD, no prefetch), so only the pecos preset uses it.
/// </summary>
internal static class PecosHingeDualSolver
{
    /// <summary>The seed PECOS gives every node's solve.</summary>
    public const uint NodeSeed = 0;

    /// <summary>
    /// Solves the problem held in <paramref name="ws"/> (rows loaded, instances in ascending id order, as PECOS lists
    /// them); on return <c>ws.W</c> and <c>ws.B</c> hold the primal solution.
    /// </summary>
    /// <param name="ws">The loaded problem; its weights must be zero.</param>
    /// <param name="p">Costs, tolerance, pass cap, bias; the solver is the squared hinge or the hinge.</param>
    /// <param name="rng">A generator this call reseeds with <see cref="NodeSeed"/> (passed in to reuse its state array).</param>
    public static void Solve(SolverWorkspace ws, in SolverParameters p, PecosRandom rng)
    {
        int m = ws.Count;
        if (m == 0) return;
        rng.Reseed(NodeSeed);
        bool squared = p.Solver == SolverType.L2Hinge;
        double bias = p.Bias;
        var w = ws.W;
        var order = ws.Order;
        var label = ws.Label;
        var rowStart = ws.RowStart;
        var rowLength = ws.RowLength;
        var colIdx = ws.RowIndexSource;
        var values = ws.RowValueSource;
        var costs = ws.HasCosts ? ws.Cost : null;
        var alpha = new float[m];
        var qd = new float[m];
        var diagOf = new double[m];
        var upperOf = new double[m];
        float b = 0;
        for (int k = 0; k < m; k++)
        {
            order[k] = k;
            // PECOS's cost of an instance: the class cost times the instance's factor, the factor in single precision.
            double c = (label[k] > 0 ? p.Cp : p.Cn) * (costs is null ? 1f : (float)costs[k]);
            diagOf[k] = squared ? 0.5 / c : 0;
            upperOf[k] = squared ? double.PositiveInfinity : c;
            var idx = new ReadOnlySpan<int>(colIdx, rowStart[k], rowLength[k]);
            var val = new ReadOnlySpan<float>(values, rowStart[k], rowLength[k]);
            float self = 0;
            for (int t = 0; t < val.Length; t++) self += val[t] * val[t];
            qd[k] = (float)diagOf[k];
            qd[k] = (float)(qd[k] + (self + (bias > 0 ? bias * bias : 0)));
        }

        double pgMaxOld = double.PositiveInfinity, pgMinOld = double.NegativeInfinity;
        int active = m;
        int iter = 0;
        while (iter < p.MaxIterations)
        {
            double pgMaxNew = double.NegativeInfinity, pgMinNew = double.PositiveInfinity;
            rng.Shuffle(order.AsSpan(0, active));
            for (int s = 0; s < active; s++)
            {
                int k = order[s];
                int yi = label[k];
                int start = rowStart[k], end = start + rowLength[k];
                float dot = 0;
                for (int t = start; t < end; t++) dot += w[colIdx[t]] * values[t];
                double g = yi * (dot + (bias > 0 ? b * bias : 0.0)) - 1;
                double upper = upperOf[k];
                g += alpha[k] * diagOf[k];

                double pg = 0;
                if (alpha[k] == 0)
                {
                    if (g > pgMaxOld)
                    {
                        Shrink(order, ref s, ref active);
                        continue;
                    }
                    if (g < 0) pg = g;
                }
                else if (alpha[k] == upper)
                {
                    if (g < pgMinOld)
                    {
                        Shrink(order, ref s, ref active);
                        continue;
                    }
                    if (g > 0) pg = g;
                }
                else
                {
                    pg = g;
                }
                pgMaxNew = Math.Max(pgMaxNew, pg);
                pgMinNew = Math.Min(pgMinNew, pg);

                if (Math.Abs(pg) > 1e-12)
                {
                    double old = alpha[k];
                    alpha[k] = (float)Math.Min(Math.Max(alpha[k] - g / qd[k], 0.0), upper);
                    double d = (alpha[k] - old) * yi;
                    // Each weight is updated in double and stored back in single precision, as PECOS's axpy does.
                    for (int t = start; t < end; t++) w[colIdx[t]] = (float)(w[colIdx[t]] + d * values[t]);
                    if (bias > 0) b = (float)(b + d * bias);
                }
            }

            iter++;
            if (pgMaxNew - pgMinNew <= p.Eps)
            {
                if (active == m) break;
                active = m;
                pgMaxOld = double.PositiveInfinity;
                pgMinOld = double.NegativeInfinity;
                continue;
            }
            pgMaxOld = pgMaxNew > 0 ? pgMaxNew : double.PositiveInfinity;
            pgMinOld = pgMinNew < 0 ? pgMinNew : double.NegativeInfinity;
        }
        ws.B = b;
    }

    private static void Shrink(int[] order, ref int s, ref int active)
    {
        active--;
        (order[s], order[active]) = (order[active], order[s]);
        s--;
    }
}
