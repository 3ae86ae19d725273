using System.Runtime.CompilerServices;
using XmrEngine.Common;

namespace XmrEngine.Kernels;

/// <summary>
/// Dual coordinate descent for L2-regularised logistic regression (Yu, Huang and Lin, MLJ 2010,
/// Algorithm 5, as in liblinear and PECOS). Each instance has a pair of dual variables summing to
/// its cost C; a one-variable Newton method with a safeguarded step solves every sub-problem, and
/// its tolerance tightens when the sub-problems become easy. Minimises
/// 0.5 |[w; b]|^2 + sum_i C_i log(1 + exp(-y_i [w; b] . [x_i; bias])).
/// </summary>
internal static class LogisticDualSolver
{
    private const int MaxInnerIterations = 100;
    private const double Eta = 0.1;

    /// <summary>Solves the problem held in <paramref name="ws"/>; on return <c>ws.W</c> and <c>ws.B</c> hold the solution.</summary>
    // Hot loop: compile fully optimised at once instead of starting at tier 0 (matters for one-shot training runs).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Solve(SolverWorkspace ws, in SolverParameters p, ref SeededRandom rng)
    {
        int m = ws.Count;
        if (m == 0) return;
        double bias = p.Bias;
        var w = ws.W;
        var alpha = ws.Alpha;
        var order = ws.Order;
        var label = ws.Label;
        var sqNorm = ws.SquaredNorm;
        var rowStart = ws.RowStart;
        var rowLength = ws.RowLength;
        var colIdx = ws.RowIndexSource;
        var values = ws.RowValueSource;
        // Cost-sensitive training: the class cost times the instance's factor (PECOS's per-instance cost).
        var costs = ws.HasCosts ? ws.Cost : null;
        double b = 0;
        for (int k = 0; k < m; k++)
        {
            double c = (label[k] > 0 ? p.Cp : p.Cn) * (costs is null ? 1.0 : costs[k]);
            // Start strictly inside (0, C): the log terms of the dual are singular at the bounds.
            alpha[2 * k] = Math.Min(0.001 * c, 1e-8);
            alpha[2 * k + 1] = c - alpha[2 * k];
            order[k] = k;
            double coef = label[k] * alpha[2 * k];
            SparseUpdate.ScatterAdd((float)coef, new ReadOnlySpan<int>(colIdx, rowStart[k], rowLength[k]), new ReadOnlySpan<float>(values, rowStart[k], rowLength[k]), w);
            b += coef * bias;
        }

        double innerEps = 1e-2;
        double innerEpsMin = Math.Min(1e-8, p.Eps);
        for (int iter = 0; iter < p.MaxIterations; iter++)
        {
            rng.Shuffle(order.AsSpan(0, m));
            long newtonSteps = 0;
            double gMax = 0;
            for (int s = 0; s < m; s++)
            {
                int pos = order[s];
                int yi = label[pos];
                var idx = new ReadOnlySpan<int>(colIdx, rowStart[pos], rowLength[pos]);
                var val = new ReadOnlySpan<float>(values, rowStart[pos], rowLength[pos]);
                double c = (yi > 0 ? p.Cp : p.Cn) * (costs is null ? 1.0 : costs[pos]);
                double a = sqNorm[pos];
                double ywx = yi * (SparseRowDot.Dot(idx, val, w) + b * bias);

                // Pick the member of the pair whose sub-problem has its minimiser in the easier half.
                int i1 = 2 * pos, i2 = 2 * pos + 1, sign = 1;
                if (0.5 * a * (alpha[i2] - alpha[i1]) + ywx < 0)
                {
                    i1 = 2 * pos + 1;
                    i2 = 2 * pos;
                    sign = -1;
                }
                double aOld = alpha[i1];
                double z = aOld;
                if (c - z < 0.5 * c) z *= 0.1;
                double gp = a * (z - aOld) + sign * ywx + Math.Log(z / (c - z));
                gMax = Math.Max(gMax, Math.Abs(gp));

                int inner = 0;
                while (inner <= MaxInnerIterations)
                {
                    if (Math.Abs(gp) < innerEps) break;
                    double gpp = a + c / (c - z) / z;
                    double tz = z - gp / gpp;
                    z = tz <= 0 ? z * Eta : tz;
                    gp = a * (z - aOld) + sign * ywx + Math.Log(z / (c - z));
                    newtonSteps++;
                    inner++;
                }
                if (inner > 0)
                {
                    alpha[i1] = z;
                    alpha[i2] = c - z;
                    double coef = sign * (z - aOld) * yi;
                    float cf = (float)coef;
                    SparseUpdate.ScatterAdd(cf, idx, val, w);
                    b += coef * bias;
                }
            }
            if (gMax < p.Eps) break;
            if (newtonSteps <= m / 10) innerEps = Math.Max(innerEpsMin, 0.1 * innerEps);
        }
        ws.B = b;
    }
}
