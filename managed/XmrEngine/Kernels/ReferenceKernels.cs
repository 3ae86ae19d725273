using XmrEngine.Common;
using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>
/// Plain, sequential, scalar kernels written for obviousness rather than speed. They are the oracle
/// every other backend is tested against. Sums are accumulated in double.
/// </summary>
public sealed class ReferenceKernels : SparseKernels
{
    /// <summary>The single instance.</summary>
    public static ReferenceKernels Instance { get; } = new();

    private ReferenceKernels()
    {
    }

    /// <inheritdoc />
    public override KernelBackend Backend => KernelBackend.Reference;

    /// <inheritdoc />
    public override string Name => "reference (scalar)";

    /// <inheritdoc />
    protected override CsrMatrix MultiplyCore(CsrMatrix a, CsrMatrix b, int threads)
    {
        var builder = new CooBuilder(a.Rows, b.Cols);
        var acc = new SortedDictionary<int, double>();
        for (int i = 0; i < a.Rows; i++)
        {
            acc.Clear();
            var ai = a.Row(i).Indices;
            var av = a.Row(i).Values;
            for (int p = 0; p < ai.Length; p++)
            {
                var bi = b.Row(ai[p]).Indices;
                var bv = b.Row(ai[p]).Values;
                for (int q = 0; q < bi.Length; q++)
                    acc[bi[q]] = acc.GetValueOrDefault(bi[q]) + (double)av[p] * bv[q];
            }
            foreach (var (j, v) in acc) builder.Add(i, j, (float)v);
        }
        return builder.ToCsr();
    }

    /// <inheritdoc />
    protected override void MaskedMultiplyCore(CsrMatrix x, CscMatrix w, CsrMatrix mask, Span<float> result, int threads)
    {
        int k = 0;
        for (int i = 0; i < mask.Rows; i++)
            foreach (int j in mask.Row(i).Indices)
                result[k++] = SortedDot(x.Row(i), w.Column(j));
    }

    /// <inheritdoc />
    protected override void MultiplyDenseCore(CsrMatrix a, ReadOnlySpan<float> b, int bCols, Span<float> result, int threads)
    {
        for (int i = 0; i < a.Rows; i++)
        {
            var ai = a.Row(i).Indices;
            var av = a.Row(i).Values;
            for (int c = 0; c < bCols; c++)
            {
                double s = 0;
                for (int p = 0; p < ai.Length; p++) s += (double)av[p] * b[ai[p] * bCols + c];
                result[i * bCols + c] = (float)s;
            }
        }
    }

    /// <inheritdoc />
    protected override float GatherDotCore(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense)
    {
        double s = 0;
        for (int i = 0; i < indices.Length; i++) s += (double)values[i] * dense[indices[i]];
        return (float)s;
    }

    /// <inheritdoc />
    protected override void AddChunkRowCore(float scale, ReadOnlySpan<int> slots, bool dense, Span<float> scores)
    {
        if (dense)
            for (int c = 0; c < slots.Length; c++) scores[c] += scale * BitConverter.Int32BitsToSingle(slots[c]);
        else
            for (int e = 0; e < slots.Length; e += 2) scores[slots[e]] += scale * BitConverter.Int32BitsToSingle(slots[e + 1]);
    }

    /// <inheritdoc />
    protected override void AccumulateRowsCore(CsrMatrix z, ReadOnlySpan<int> rows, float alpha, Span<float> dense, Span<bool> marked, Span<int> touched, ref int touchedCount)
    {
        foreach (int r in rows)
        {
            var idx = z.Row(r).Indices;
            var val = z.Row(r).Values;
            for (int k = 0; k < idx.Length; k++)
            {
                if (!marked[idx[k]])
                {
                    marked[idx[k]] = true;
                    touched[touchedCount++] = idx[k];
                }
                dense[idx[k]] += alpha * val[k];
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The dual solvers have no separate scalar oracle: they run on <see cref="ManagedKernels"/>.</remarks>
    internal override void SolveDualCore(SolverWorkspace ws, in SolverParameters p, ref SeededRandom rng) =>
        ManagedKernels.Instance.SolveDualCore(ws, p, ref rng);

    /// <inheritdoc />
    public override KernelBackend RunsOn(KernelOperation operation) =>
        operation is KernelOperation.HingeDualSolve or KernelOperation.LogisticDualSolve ? KernelBackend.Managed : Backend;

    /// <inheritdoc />
    public override string DelegationReason(KernelOperation operation) =>
        RunsOn(operation) == Backend ? "" : "the solver's scalar code is the managed solver itself; a second copy would test nothing";

    /// <summary>Dot of two sparse vectors with sorted, distinct indices, in double.</summary>
    private static float SortedDot(SparseVector a, SparseVector b)
    {
        double s = 0;
        int p = 0, q = 0;
        while (p < a.Length && q < b.Length)
        {
            int ia = a.Indices[p], ib = b.Indices[q];
            if (ia == ib) s += (double)a.Values[p++] * b.Values[q++];
            else if (ia < ib) p++;
            else q++;
        }
        return (float)s;
    }
}
