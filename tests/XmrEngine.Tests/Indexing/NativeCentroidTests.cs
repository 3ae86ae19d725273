using XmrEngine.Indexing;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Indexing;

/// <summary>
/// Centroid accumulation in libxmr_native (<c>xmr_centroid_add_rows</c>) against the managed
/// loop of <see cref="ScatterAccumulator.AddRows"/> and a double-precision reference; the native indexer
/// path must build the same tree as the managed one.
/// </summary>
public sealed class NativeCentroidTests
{
    private static void RequireNative()
    {
        if (!NativeBackendProvider.TryLoad(out var reason)) Assert.Ignore($"libxmr_native is not available: {reason}");
    }

    /// <summary>Rows with 0..40 entries (empty rows, tails shorter than 8, several 8-blocks), L2-normalised.</summary>
    private static CsrMatrix Rows(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var coo = new CooBuilder(rows, cols);
        for (int i = 0; i < rows; i++)
            foreach (int j in Enumerable.Range(0, cols).OrderBy(_ => rng.Next()).Take(rng.Next(Math.Min(cols, 41))))
                coo.Add(i, j, (float)(rng.NextDouble() * 2 - 1));
        return coo.ToCsr().NormalizeRows();
    }

    [Test]
    public void NativeMatchesManagedBitForBitAndTheReference(
        [Values(1, 2, 3)] int seed,
        [Values(1f, -1f, 0.37f)] float alpha)
    {
        RequireNative();
        var z = Rows(200, 300, seed);
        var rng = new Random(seed + 50);
        var managed = new ScatterAccumulator(z.Cols);
        var native = new ScatterAccumulator(z.Cols);
        var reference = new double[z.Cols];
        var written = new SortedSet<int>();
        // Several calls in a row (the touched set grows across them), with repeated rows and empty lists.
        foreach (int size in new[] { 0, 1, 7, 64, 150 })
        {
            var rows = Enumerable.Range(0, size).Select(_ => rng.Next(z.Rows)).ToArray();
            managed.AddRows(z, rows, alpha, ManagedKernels.Instance);
            native.AddRows(z, rows, alpha, NativeBackendProvider.Get());
            foreach (int r in rows)
            {
                var idx = z.Row(r).Indices;
                var val = z.Row(r).Values;
                for (int k = 0; k < idx.Length; k++)
                {
                    reference[idx[k]] += (double)alpha * val[k];
                    written.Add(idx[k]);
                }
            }
            Assert.That(native.Values.ToArray(), Is.EqualTo(managed.Values.ToArray()), $"values after {size} rows");
            Assert.That(native.Touched.ToArray(), Is.EqualTo(managed.Touched.ToArray()), "touched, in first-touch order");
        }
        for (int j = 0; j < z.Cols; j++)
            Assert.That(native.Values[j], Is.EqualTo(reference[j]).Within(1e-4), $"coordinate {j}");
        Assert.That(native.Touched.ToArray().Order(), Is.EqualTo(written), "touched = every column of an added row");
        native.Clear();
        Assert.That(native.Values.ToArray(), Is.All.EqualTo(0f));
        Assert.That(native.Touched.Length, Is.Zero);
    }

    [Test]
    public void AddRowsRejectsRowsWiderThanTheVector([Values(false, true)] bool native)
    {
        if (native) RequireNative();
        var v = new ScatterAccumulator(3);
        var z = new CsrMatrix(1, 4, [0, 1], [3], [1f]);
        Assert.That(() => v.AddRows(z, [0], 1f, native ? NativeBackendProvider.Get() : ManagedKernels.Instance), Throws.ArgumentException.With.Message.Contains("width 3"));
        Assert.That(v.Values.ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void NativeIndexerBuildsTheManagedTree([Values(1, 2)] int threads)
    {
        RequireNative();
        var z = RandomSparse.Csr(500, 120, 0.08, 4, allowEmptyRows: false).NormalizeRows();
        var indexer = new HierarchicalKMeansIndexer(new HierarchicalKMeansOptions { MaxLeafSize = 8, NrSplits = 4 }, seed: 3, threads: threads);
        var managed = indexer.Build(z, KernelRegistry.Get(KernelBackend.Managed), CancellationToken.None);
        var native = indexer.Build(z, KernelRegistry.Get(KernelBackend.Native), CancellationToken.None);
        Assert.That(native.Depth, Is.EqualTo(managed.Depth));
        for (int t = 0; t < managed.Depth; t++)
            Assert.That(native.Levels[t].Indices.ToArray(), Is.EqualTo(managed.Levels[t].Indices.ToArray()), $"level {t} parents");
    }

    [Test]
    public void KernelStopsCleanlyWhenTouchedIsFull()
    {
        RequireNative();
        // Row 0 = columns {0, 2, 4}; with room for two coordinates the kernel stops before column 4.
        var z = new CsrMatrix(1, 5, [0, 3], [0, 2, 4], [1f, 2f, 3f]);
        var dense = new float[5];
        var marked = new byte[5];
        var touched = new int[2];
        var (status, count) = Call(z, [0], dense, marked, touched, capacity: 2, count: 0);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(NativeStatus.InvalidArgument));
            Assert.That(count, Is.EqualTo(2));
            Assert.That(touched, Is.EqualTo(new[] { 0, 2 }));
            Assert.That(dense, Is.EqualTo(new[] { 1f, 0f, 2f, 0f, 0f }));
            Assert.That(marked, Is.EqualTo(new byte[] { 1, 0, 1, 0, 0 }));
        });
    }

    [Test]
    public void KernelRejectsBadRowIdsBeforeWriting()
    {
        RequireNative();
        var z = new CsrMatrix(2, 3, [0, 1, 2], [0, 2], [1f, 1f]);
        var dense = new float[3];
        var marked = new byte[3];
        var touched = new int[3];
        Assert.Multiple(() =>
        {
            Assert.That(Call(z, [0, 2], dense, marked, touched, 3, 0).Status, Is.EqualTo(NativeStatus.InvalidArgument), "row 2 of 2");
            Assert.That(Call(z, [-1], dense, marked, touched, 3, 0).Status, Is.EqualTo(NativeStatus.InvalidArgument), "row -1");
            Assert.That(Call(z, [0], dense, marked, touched, 3, 4).Status, Is.EqualTo(NativeStatus.InvalidArgument), "count above capacity");
            Assert.That(dense, Is.All.EqualTo(0f), "nothing written");
            Assert.That(Call(z, [1, 0, 1], dense, marked, touched, 3, 0), Is.EqualTo((NativeStatus.Ok, 2)), "valid call");
            Assert.That(dense, Is.EqualTo(new[] { 1f, 0f, 2f }));
            Assert.That(touched.Take(2), Is.EqualTo(new[] { 2, 0 }));
        });
    }

    private static (int Status, int Count) Call(CsrMatrix z, int[] rows, float[] dense, byte[] marked, int[] touched, int capacity, int count)
    {
        using var pin = PinnedView.Of(z);
        int status = NativeSolverMethods.CentroidAddRows(pin.View, rows, rows.Length, 1f, dense, marked, touched, capacity, ref count);
        return (status, count);
    }
}
