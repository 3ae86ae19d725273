using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using XmrEngine.Common;

namespace XmrEngine.Kernels;

/// <summary>
/// Dual coordinate descent for L2-regularised linear SVMs with hinge or squared hinge loss
/// (Hsieh et al., ICML 2008, Algorithm 3, as in liblinear and PECOS), with liblinear's shrinking:
/// a variable stuck at a bound whose gradient points outward by more than last pass's largest
/// violation leaves the active set; when the active set has converged, everything is re-checked once.
/// Minimises 0.5 |[w; b]|^2 + sum_i C_i loss(y_i ([w; b] . [x_i; bias])).
/// </summary>
internal static class HingeDualSolver
{
    // The shuffled order jumps between rows the hardware prefetcher cannot predict, so the row visited
    // two steps ahead is prefetched (at most 1 KB of it): a third less time per solve on Bibtex-shaped
    // nodes (Zen3). libxmr_native's solver does the same.
    private const int PrefetchDistance = 2;
    private const int PrefetchMaxBytes = 1024;

    /// <summary>
    /// Solves the problem held in <paramref name="ws"/> (instances and labels added, rows attached by
    /// <see cref="SolverWorkspace.LoadRows"/>); on return <c>ws.W</c> and <c>ws.B</c> hold the primal solution.
    /// </summary>
    // Hot loop: compile fully optimised at once instead of starting at tier 0 (matters for one-shot training runs).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Solve(SolverWorkspace ws, in SolverParameters p, ref SeededRandom rng)
    {
        int m = ws.Count;
        if (m == 0) return;
        bool squared = p.Solver == SolverType.L2Hinge;
        // Squared hinge: the dual gains a diagonal 1/(2C) and loses the upper bound; hinge: box [0, C].
        double diagPos = squared ? 0.5 / p.Cp : 0, diagNeg = squared ? 0.5 / p.Cn : 0;
        double upPos = squared ? double.PositiveInfinity : p.Cp, upNeg = squared ? double.PositiveInfinity : p.Cn;
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
        var costs = ws.HasCosts ? ws.Cost : null;
        double b = 0;
        for (int k = 0; k < m; k++)
        {
            alpha[k] = 0;
            order[k] = k;
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
                int pos = order[s];
                if (Sse.IsSupported && s + PrefetchDistance < active)
                {
                    int ahead = order[s + PrefetchDistance];
                    PrefetchRow(colIdx, values, rowStart[ahead], rowLength[ahead]);
                }
                int yi = label[pos];
                var idx = new ReadOnlySpan<int>(colIdx, rowStart[pos], rowLength[pos]);
                var val = new ReadOnlySpan<float>(values, rowStart[pos], rowLength[pos]);
                double diag = yi > 0 ? diagPos : diagNeg;
                double upper = yi > 0 ? upPos : upNeg;
                if (costs is not null)
                {
                    // PECOS's per-instance cost: the class cost times the factor, so a factor of 1 changes nothing.
                    double c = (yi > 0 ? p.Cp : p.Cn) * costs[pos];
                    diag = squared ? 0.5 / c : 0;
                    upper = squared ? double.PositiveInfinity : c;
                }
                double a = alpha[pos];
                double g = yi * (SparseRowDot.Dot(idx, val, w) + b * bias) - 1 + a * diag;

                double pg = 0;
                if (a == 0)
                {
                    if (g > pgMaxOld)
                    {
                        Shrink(order, ref s, ref active);
                        continue;
                    }
                    if (g < 0) pg = g;
                }
                else if (a == upper)
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
                    double aNew = Math.Min(Math.Max(a - g / (sqNorm[pos] + diag), 0.0), upper);
                    alpha[pos] = aNew;
                    double d = (aNew - a) * yi;
                    float df = (float)d;
                    SparseUpdate.ScatterAdd(df, idx, val, w);
                    b += d * bias;
                }
            }

            iter++;
            if (pgMaxNew - pgMinNew <= p.Eps)
            {
                if (active == m) break;
                // Converged on the shrunk set: re-check every variable once without shrinking.
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

    /// <summary>Asks the cache for the start of one row's indices and values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchRow(int[] indices, float[] values, int start, int length)
    {
        // Unpinned addresses are fine here: a prefetch is a hint that never faults, and an array the GC
        // moves in between only costs a wasted prefetch.
        byte* pi = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(indices), start));
        byte* pv = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), start));
        int bytes = Math.Min(length * sizeof(float), PrefetchMaxBytes);
        for (int o = 0; o < bytes; o += 64)
        {
            Sse.Prefetch0(pi + o);
            Sse.Prefetch0(pv + o);
        }
    }

    /// <summary>Moves order[s] behind the active part and revisits slot s.</summary>
    private static void Shrink(int[] order, ref int s, ref int active)
    {
        active--;
        (order[s], order[active]) = (order[active], order[s]);
        s--;
    }
}
