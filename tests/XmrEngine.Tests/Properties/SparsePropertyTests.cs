using CsCheck;
using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Tests.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Properties;

/// <summary>
/// Property-based tests (CsCheck: random generation with shrinking to a minimal failing case): format round trips
/// return the matrix written, and the backends' sparse products equal the reference, for any matrix the generators
/// make — empty shapes, one row, empty rows, column ids up to 2^31 - 2 for the formats.
/// </summary>
public sealed class SparsePropertyTests
{
    /// <summary>Rows x cols CSR with sorted distinct column ids per row; values finite, zero included.</summary>
    /// <param name="maxRows">Most rows.</param>
    /// <param name="maxCols">Largest column count.</param>
    /// <param name="extremes">Also draw zero, denormal-sized and near-float.MaxValue values (for the formats; products would overflow).</param>
    private static Gen<CsrMatrix> Csr(int maxRows, int maxCols, bool extremes = true) =>
        from rows in Gen.Int[0, maxRows]
        from cols in Gen.Int[0, maxCols]
        from perRow in Gen.Int[0, Math.Min(cols, 12)].Array[rows]
        from seed in Gen.Int
        select Build(rows, cols, perRow, seed, extremes);

    private static CsrMatrix Build(int rows, int cols, int[] perRow, int seed, bool extremes = true)
    {
        var rng = new Random(seed);
        var builder = new CooBuilder(rows, cols);
        for (int r = 0; r < rows; r++)
        {
            var ids = new HashSet<int>();
            while (ids.Count < perRow[r]) ids.Add(cols > 1000 ? (int)(rng.NextInt64(cols)) : rng.Next(cols));
            foreach (int c in ids)
            {
                // Mostly ordinary values, sometimes zero, tiny or large, so the formats' number writing is exercised.
                float v = (extremes ? rng.Next(8) : 7) switch
                {
                    0 => 0f,
                    1 => 1e-30f,
                    2 => -3.4e38f,
                    _ => (float)(rng.NextDouble() * 20 - 10),
                };
                builder.Add(r, c, v);
            }
        }
        return builder.ToCsr();
    }

    [Test]
    public void NpzWriteThenReadIsTheMatrix() =>
        Gen.OneOf(Csr(30, int.MaxValue - 1), Csr(30, 500)).Sample(m =>
        {
            foreach (var compression in new[] { NpzCompression.None, NpzCompression.Fastest })
            {
                using var stream = new MemoryStream();
                NpzFormat.Write(stream, m, compression);
                stream.Position = 0;
                MatrixAssert.Equal(m, NpzFormat.ReadCsr(stream, "property.npz"));
            }
            if (m.Cols > 1_000_000) return; // CSC has a pointer per column: 2^31 of them would be 16 GB
            using var csc = new MemoryStream();
            NpzFormat.Write(csc, m.ToCsc());
            csc.Position = 0;
            MatrixAssert.Equal(m.ToCsc(), NpzFormat.ReadCsc(csc, "property.npz"));
        }, iter: 150, threads: 1);

    [Test]
    public void XmcTextWriteThenReadIsTheMatrix() =>
        Csr(25, 5000).Sample(m =>
        {
            var labels = Build(m.Rows, 40, Enumerable.Repeat(2, m.Rows).ToArray(), m.Rows);
            using var stream = new MemoryStream();
            XmcTextFormat.Write(stream, m, labels);
            stream.Position = 0;
            var read = XmcTextFormat.Read(stream, "property.txt");
            MatrixAssert.Equal(m, read.Features, "features");
            Assert.That(read.Labels.Indices.ToArray(), Is.EqualTo(labels.Indices.ToArray()), "labels");
        }, iter: 150, threads: 1);

    [Test]
    public void EveryBackendsProductEqualsTheReference()
    {
        var backends = KernelRegistry.Available().Where(k => k.Backend != KernelBackend.Reference).ToArray();
        Gen.Select(Csr(20, 300, extremes: false), Gen.Int[0, 300], Gen.Int, Gen.Int[1, 2]).Sample((a, bCols, seed, threads) =>
        {
            var b = Build(a.Cols, bCols, Enumerable.Range(0, a.Cols).Select(i => bCols == 0 ? 0 : (i * 7 + (seed & 0xffff)) % Math.Min(bCols, 9)).ToArray(), seed, extremes: false);
            var expected = ReferenceKernels.Instance.Multiply(a, b);
            foreach (var kernels in backends)
            {
                var actual = kernels.Multiply(a, b, threads);
                Assert.That(actual.Pointers.ToArray(), Is.EqualTo(expected.Pointers.ToArray()), kernels.Name);
                Assert.That(actual.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()), $"{kernels.Name}: sorted columns");
                Assert.That(actual.Values.ToArray(), Is.EqualTo(expected.Values.ToArray()).Within(1e-3f), $"{kernels.Name}: values (sums of up to 12 products of magnitude <= 100 in float)");
            }
        }, iter: 120, threads: 1);
    }
}
