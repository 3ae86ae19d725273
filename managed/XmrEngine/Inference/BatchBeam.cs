using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Inference;

/// <summary>
/// The beams of a block of queries during batch beam search: per row, up to <see cref="Capacity"/>
/// (node, score) pairs, best first, held in two pooled <see cref="TopKRows"/> (this level's beams and
/// the next level's, swapped after each <see cref="Select"/>). <see cref="BuildMask"/> turns the beams
/// into the scoring mask of the next level; <see cref="Select"/> turns that level's raw scores into the
/// next beams with the single-query search's own <see cref="BeamSearch.Step"/> (so there is one level step,
/// and the result does not depend on the order candidates arrive in). Dispose to return the buffers.
/// </summary>
internal sealed class BatchBeam : IDisposable
{
    private TopKRows _beams;
    private TopKRows _next;

    /// <summary>Rows in the block.</summary>
    public int Rows => _beams.Rows;

    /// <summary>Most nodes a row's beam can hold.</summary>
    public int Capacity => _beams.Capacity;

    /// <summary>Starts every row at the root (node 0) with score 1, as PECOS does.</summary>
    public BatchBeam(int rows, int capacity)
    {
        _beams = new TopKRows(rows, capacity, "BeamSize");
        _next = new TopKRows(rows, capacity, "BeamSize");
        for (int r = 0; r < rows; r++)
        {
            _beams.Labels(r)[0] = 0;
            _beams.Scores(r)[0] = 1f;
            _beams.CommitRanked(r, 1);
        }
    }

    /// <summary>The beam of <paramref name="row"/>, best first.</summary>
    public ReadOnlySpan<int> Nodes(int row) => _beams.CommittedLabels(row);

    /// <summary>The scores aligned with <see cref="Nodes"/>.</summary>
    public ReadOnlySpan<float> Scores(int row) => _beams.CommittedScores(row);

    /// <summary>
    /// The mask of the next level: row r holds every child of every node in r's beam, ascending by
    /// child id. The mask's values carry each child's parent score (the kernels ignore mask values),
    /// so <see cref="Select"/> needs no parent look-up.
    /// </summary>
    /// <exception cref="InvalidOperationException">The block would need more than int.MaxValue scores.</exception>
    public CsrMatrix BuildMask(TreeLevel tree, int threads)
    {
        var rowPtr = new long[Rows + 1];
        for (int r = 0; r < Rows; r++)
        {
            long width = 0;
            foreach (int parent in Nodes(r)) width += tree.ChildStart[parent + 1] - tree.ChildStart[parent];
            rowPtr[r + 1] = rowPtr[r] + width;
        }
        if (rowPtr[Rows] > int.MaxValue)
            throw new InvalidOperationException($"A block of {Rows} queries needs {rowPtr[Rows]} scores at one level; use smaller blocks.");
        var cols = new int[rowPtr[Rows]];
        var parentScores = new float[cols.Length];
        ParallelBlocks.Run(Rows, 64, threads, () => 0, (_, start, end, _) =>
        {
            for (int r = start; r < end; r++)
            {
                int at = (int)rowPtr[r];
                var nodes = Nodes(r);
                var scores = Scores(r);
                for (int b = 0; b < nodes.Length; b++)
                {
                    var children = tree.Children(nodes[b]);
                    children.CopyTo(cols.AsSpan(at));
                    parentScores.AsSpan(at, children.Length).Fill(scores[b]);
                    at += children.Length;
                }
                // Each node has one parent, so the children of distinct beam nodes are distinct and
                // sorting gives the strictly increasing columns a CSR row needs.
                int length = (int)(rowPtr[r + 1] - rowPtr[r]);
                cols.AsSpan((int)rowPtr[r], length).Sort(parentScores.AsSpan((int)rowPtr[r], length));
            }
        });
        return CsrMatrix.FromTrusted(Rows, tree.NodeCount, rowPtr, cols, parentScores);
    }

    /// <summary>
    /// Replaces every row's beam with the best <paramref name="keep"/> children scored in
    /// <paramref name="rawScores"/> (aligned with <paramref name="mask"/>'s entries): each row takes the single-query
    /// search's <see cref="BeamSearch.Step"/>, with a <see cref="MaskedRowScorer"/> reading the block's scores back.
    /// </summary>
    /// <param name="tree">The level the mask was built for.</param>
    /// <param name="mask">The mask from <see cref="BuildMask"/>.</param>
    /// <param name="rawScores">Linear scores w_c . [x, bias] at the mask's entries (at least <c>mask.Nnz</c> long).</param>
    /// <param name="post">Transform and combiner.</param>
    /// <param name="combine">False at the top level, where PECOS does not chain with the root's score.</param>
    /// <param name="keep">Beam size, or top-k at the last level; at most <see cref="Capacity"/>.</param>
    /// <param name="threads">Worker threads.</param>
    public void Select(TreeLevel tree, CsrMatrix mask, float[] rawScores, PostProcessor post, bool combine, int keep, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keep, Capacity);
        var next = _next;
        ParallelBlocks.Run(Rows, 64, threads, () => (Scorer: new MaskedRowScorer(tree, mask, rawScores), Workspace: new PredictWorkspace()), (_, start, end, worker) =>
        {
            worker.Workspace.Ensure(tree.MaxChildren, keep);
            for (int r = start; r < end; r++)
            {
                worker.Scorer.MoveTo(r);
                int count = BeamSearch.Step(worker.Scorer, default, Nodes(r), Scores(r), post, combine, keep, worker.Workspace,
                    next.Labels(r), next.Scores(r));
                next.CommitRanked(r, count);
            }
        });
        (_beams, _next) = (_next, _beams);
    }

    /// <summary>Returns both beam buffers to the pool.</summary>
    public void Dispose()
    {
        _beams.Dispose();
        _next.Dispose();
    }
}
