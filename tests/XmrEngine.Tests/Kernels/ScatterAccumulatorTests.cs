using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Kernels;

/// <summary>
/// The dense touched vector: product rows (both drain strategies, reset after draining)
/// and the k-means centre operations over the same touched list.
/// </summary>
public sealed class ScatterAccumulatorTests
{
    [TestCase(3)]   // 3 columns per B row of width 1000: sort path
    [TestCase(400)] // 400 columns per B row: dense-scan path
    public void AddProductRow_ThenDrain_GivesSortedSumsAndResets(int perRow)
    {
        var rng = new Random(perRow);
        var builder = new CooBuilder(3, 1000);
        foreach (int r in new[] { 0, 1, 2 })
            foreach (int c in Enumerable.Range(0, 1000).OrderBy(_ => rng.Next()).Take(perRow))
                builder.Add(r, c, rng.Next(-5, 6));
        var b = builder.ToCsr();
        int[] aIdx = [0, 2, 1];
        float[] aVal = [1f, 3f, 2f];
        var expected = new SortedDictionary<int, double>();
        for (int p = 0; p < aIdx.Length; p++)
            for (int q = 0; q < b.RowLength(aIdx[p]); q++)
            {
                int j = b.Row(aIdx[p]).Indices[q];
                expected[j] = expected.GetValueOrDefault(j) + aVal[p] * b.Row(aIdx[p]).Values[q];
            }

        var acc = new ScatterAccumulator(1000);
        acc.AddProductRow(aIdx, aVal, b);
        var idx = new int[acc.Count];
        var val = new float[acc.Count];
        acc.DrainSorted(idx, val);
        Assert.That(idx, Is.EqualTo(expected.Keys.ToArray()));
        Assert.That(val, Is.EqualTo(expected.Values.Select(v => (float)v).ToArray()));
        Assert.That(acc.Count, Is.EqualTo(0));

        // Everything was cleared: the next row sees no leftovers.
        acc.AddProductRow([1], [0.5f], b);
        var one = new int[acc.Count];
        var oneVal = new float[acc.Count];
        acc.DrainSorted(one, oneVal);
        Assert.That(one, Is.EqualTo(b.Row(1).Indices.ToArray()));
        Assert.That(oneVal, Is.EqualTo(b.Row(1).Values.ToArray().Select(v => 0.5f * v).ToArray()));
    }

    [Test]
    public void ProductRow_TooWideOrBadRowId_Throws()
    {
        var b = new CsrMatrix(2, 12, [0, 1, 2], [0, 11], [1f, 1f]);
        Assert.That(() => new ScatterAccumulator(10).AddProductRow([0], [1f], b), Throws.ArgumentException.With.Message.Contains("12 columns"));
        Assert.That(() => new ScatterAccumulator(12).AddProductRow([2], [1f], b), Throws.InstanceOf<IndexOutOfRangeException>());
    }

    [Test]
    public void Add_SumsRepeatedColumns()
    {
        var acc = new ScatterAccumulator(8);
        acc.Add(6, 1f);
        acc.Add(2, 3f);
        acc.Add(6, 0.5f);
        var idx = new int[2];
        var val = new float[2];
        acc.DrainSorted(idx, val);
        Assert.That(idx, Is.EqualTo(new[] { 2, 6 }));
        Assert.That(val, Is.EqualTo(new[] { 3f, 1.5f }));
    }

    [Test]
    public void DrainSorted_WrongOutputLength_Throws()
    {
        var acc = new ScatterAccumulator(4);
        acc.Add(1, 1f);
        Assert.That(() => acc.DrainSorted(new int[2], new float[2]), Throws.InvalidOperationException.With.Message.Contains("1 touched"));
    }

    [Test]
    public void ValueTouchedAndClear_ReadInPlaceAndResetOnlyWhatWasTouched()
    {
        var b = new CsrMatrix(2, 6, [0, 2, 4], [1, 4, 4, 5], [1f, 2f, 3f, 4f]);
        var acc = new ScatterAccumulator(8);
        Assert.That(acc.Width, Is.EqualTo(8));
        acc.AddProductRow([1, 0], [2f, 1f], b);
        Assert.That(acc.Touched.ToArray(), Is.EqualTo(new[] { 4, 5, 1 }), "first-touch order");
        Assert.That(Enumerable.Range(0, 8).Select(acc.Value), Is.EqualTo(new[] { 0f, 1f, 0f, 0f, 8f, 8f, 0f, 0f }));
        acc.Clear();
        Assert.That(acc.Count, Is.Zero);
        Assert.That(Enumerable.Range(0, 8).Select(acc.Value), Has.All.EqualTo(0f));
        acc.AddProductRow([0], [1f], b);
        Assert.That(acc.Touched.ToArray(), Is.EqualTo(new[] { 1, 4 }), "marks were reset too");
    }

    [Test]
    public void CentroidOperations_FollowTheTouchedListAndShareItWithProductRows()
    {
        // Row 0 = {1: 3, 4: 4}, row 1 = {4: 1, 2: 2}.
        var z = new CsrMatrix(2, 6, [0, 2, 4], [1, 4, 2, 4], [3f, 4f, 2f, 1f]);
        var center = new ScatterAccumulator(6);
        center.AddRows(z, [0], 1f, ManagedKernels.Instance);
        Assert.That(center.Norm(), Is.EqualTo(5.0));
        center.Scale(0.5f);
        var other = new ScatterAccumulator(6);
        other.AddRows(z, [1, 1], -1f, ManagedKernels.Instance);
        Assert.That(other.Touched.ToArray(), Is.EqualTo(new[] { 2, 4 }), "repeated row: each coordinate once");
        center.AddScaled(other, 2f);
        Assert.That(center.Touched.ToArray(), Is.EqualTo(new[] { 1, 4, 2 }), "first-touch order across operations");
        Assert.That(center.Values.ToArray(), Is.EqualTo(new[] { 0f, 1.5f, -8f, 0f, -2f, 0f }));
        var idx = new int[3];
        var val = new float[3];
        center.DrainSorted(idx, val);
        Assert.That(idx, Is.EqualTo(new[] { 1, 2, 4 }));
        Assert.That(val, Is.EqualTo(new[] { 1.5f, -8f, -2f }));
        Assert.That(center.Values.ToArray(), Has.All.EqualTo(0f), "drained");
        Assert.That(() => new ScatterAccumulator(4).AddScaled(other, 1f), Throws.ArgumentException.With.Message.Contains("width 6"));
    }
}
