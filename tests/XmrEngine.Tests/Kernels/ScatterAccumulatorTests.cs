using XmrEngine.Kernels;

namespace XmrEngine.Tests.Kernels;

/// <summary>The SpGEMM row accumulator: both drain strategies, reset after draining, symbolic counting.</summary>
public sealed class ScatterAccumulatorTests
{
    [TestCase(3)]   // 3 touched of width 1000: sort path
    [TestCase(400)] // 400 touched of width 1000: dense-scan path
    public void AddScaledRow_ThenDrain_GivesSortedSumsAndResets(int touched)
    {
        var rng = new Random(touched);
        var acc = new ScatterAccumulator(1000);
        var expected = new SortedDictionary<int, double>();
        for (int pass = 0; pass < 3; pass++)
        {
            var cols = Enumerable.Range(0, 1000).OrderBy(_ => rng.Next()).Take(touched).Order().ToArray();
            var vals = cols.Select(_ => (float)rng.Next(-5, 6)).ToArray();
            float scale = pass + 1;
            acc.AddScaledRow(scale, cols, vals);
            for (int k = 0; k < cols.Length; k++) expected[cols[k]] = expected.GetValueOrDefault(cols[k]) + scale * vals[k];
        }
        var idx = new int[acc.Count];
        var val = new float[acc.Count];
        acc.DrainSorted(idx, val);
        Assert.That(idx, Is.EqualTo(expected.Keys.ToArray()));
        Assert.That(val, Is.EqualTo(expected.Values.Select(v => (float)v).ToArray()));
        Assert.That(acc.Count, Is.EqualTo(0));

        // Everything was cleared: a fresh row sees no leftovers.
        acc.AddScaledRow(1f, [5], [2f]);
        var one = new int[1];
        var oneVal = new float[1];
        acc.DrainSorted(one, oneVal);
        Assert.That((one[0], oneVal[0]), Is.EqualTo((5, 2f)));
    }

    [Test]
    public void MarkRow_CountsDistinctColumnsAndClearMarksResets()
    {
        var acc = new ScatterAccumulator(10);
        acc.MarkRow([1, 4, 9]);
        acc.MarkRow([0, 4, 9]);
        acc.MarkRow([]);
        Assert.That(acc.ClearMarks(), Is.EqualTo(4));
        acc.MarkRow([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        acc.MarkRow([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // full width twice: the spare slot absorbs the extra write
        Assert.That(acc.ClearMarks(), Is.EqualTo(10));
        Assert.That(acc.ClearMarks(), Is.EqualTo(0));
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
}
