using XmrEngine.Sparse;

namespace XmrEngine.Tests.Sparse;

public sealed class CooBuilderTests
{
    [Test]
    public void ToCsr_UnsortedTripletsWithDuplicates_SortsAndSums()
    {
        var b = new CooBuilder(3, 4);
        b.Add(2, 3, 1f);
        b.Add(0, 2, 5f);
        b.Add(2, 0, -1f);
        b.Add(0, 2, 0.5f);
        b.Add(0, 1, 2f);
        b.Add(2, 3, 2f);
        var m = b.ToCsr();
        Assert.That(m.Pointers.ToArray(), Is.EqualTo(new long[] { 0, 2, 2, 4 }));
        Assert.That(m.Indices.ToArray(), Is.EqualTo(new[] { 1, 2, 0, 3 }));
        Assert.That(m.Values.ToArray(), Is.EqualTo(new[] { 2f, 5.5f, -1f, 3f }));
    }

    [Test]
    public void ToCsc_UnsortedTripletsWithDuplicates_MatchesCsr()
    {
        var rng = new Random(3);
        var b = new CooBuilder(20, 15);
        var expected = new float[20, 15];
        for (int k = 0; k < 200; k++)
        {
            int r = rng.Next(20), c = rng.Next(15);
            float v = rng.Next(-4, 5);
            b.Add(r, c, v);
            expected[r, c] += v;
        }
        Assert.That(b.ToCsr().ToDense(), Is.EqualTo(expected));
        var csc = b.ToCsc();
        Assert.That(csc.ToCsr().ToDense(), Is.EqualTo(expected));
        for (int c = 0; c < 15; c++)
        {
            var rowsOfColumn = csc.Column(c).Indices.ToArray();
            Assert.That(rowsOfColumn, Is.Ordered.Ascending.And.Unique, $"column {c}");
        }
    }

    [Test]
    public void ToCsr_NoTriplets_GivesEmptyMatrixOfShape()
    {
        var m = new CooBuilder(4, 7).ToCsr();
        Assert.That((m.Rows, m.Cols, m.Nnz), Is.EqualTo((4, 7, 0L)));
        var z = new CooBuilder(0, 0).ToCsc();
        Assert.That((z.Rows, z.Cols, z.Nnz), Is.EqualTo((0, 0, 0L)));
    }

    [Test]
    public void Add_BadTriplets_Throw()
    {
        var b = new CooBuilder(2, 3);
        Assert.That(() => b.Add(2, 0, 1f), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Row"));
        Assert.That(() => b.Add(0, -1, 1f), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Column"));
        Assert.That(() => b.Add(0, 0, float.NaN), Throws.ArgumentException.With.Message.Contains("finite"));
        Assert.That(() => b.Add(0, 0, float.PositiveInfinity), Throws.ArgumentException.With.Message.Contains("finite"));
        Assert.That(b.Count, Is.EqualTo(0));
    }

    [Test]
    public void ToCsr_ManyTripletsInOneRow_SortsStably()
    {
        // More than 32 entries in a row takes the array-sort path instead of insertion sort.
        var b = new CooBuilder(1, 100);
        for (int c = 99; c >= 0; c--) b.Add(0, c, c);
        for (int c = 0; c < 100; c += 3) b.Add(0, c, 1000f);
        var m = b.ToCsr();
        Assert.That(m.Indices.ToArray(), Is.EqualTo(Enumerable.Range(0, 100).ToArray()));
        for (int c = 0; c < 100; c++) Assert.That(m[0, c], Is.EqualTo(c + (c % 3 == 0 ? 1000f : 0f)));
    }
}
