using XmrEngine.Kernels;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Kernels;

/// <summary>
/// The SpGEMM row accumulator against a dictionary reference: widths around every 64-column word boundary,
/// both drain strategies (whole-bitmap scan and sorted touched words), empty rows, one entry, repeated
/// columns, and reuse across rows.
/// </summary>
public sealed class SortedRowAccumulatorTests
{
    private static (int[] Idx, float[] Val) Reference(int[] aIdx, float[] aVal, CsrMatrix b)
    {
        var sums = new SortedDictionary<int, float>();
        for (int p = 0; p < aIdx.Length; p++)
        {
            var row = b.Row(aIdx[p]);
            for (int q = 0; q < row.Length; q++)
                sums[row.Indices[q]] = sums.GetValueOrDefault(row.Indices[q]) + aVal[p] * row.Values[q]; // same order, same float ops
        }
        return (sums.Keys.ToArray(), sums.Values.ToArray());
    }

    private static (int[] Idx, float[] Val) Run(SortedRowAccumulator acc, int[] aIdx, float[] aVal, CsrMatrix b)
    {
        int n = acc.CountProductRow(aIdx, b);
        acc.AddProductRow(aIdx, aVal, b);
        var idx = new int[n];
        var val = new float[n];
        acc.Drain(idx, val);
        return (idx, val);
    }

    [Test]
    public void RandomRowsEqualTheReferenceForWidthsAroundWordBoundaries(
        [Values(1, 2, 63, 64, 65, 127, 128, 129, 1000, 5000, 100_000)] int width,
        [Values(1, 3, 40)] int perBRow)
    {
        var rng = new Random(width * 31 + perBRow);
        var builder = new CooBuilder(20, width);
        for (int r = 0; r < 20; r++)
            for (int t = 0; t < perBRow; t++)
                builder.Add(r, rng.Next(width), (float)(rng.NextDouble() * 2 - 1)); // duplicates are summed by the builder
        var b = builder.ToCsr();
        var acc = new SortedRowAccumulator(width);
        for (int trial = 0; trial < 30; trial++)
        {
            // A's row: any B rows, repeated ones included (their products add into the same columns).
            int[] aIdx = Enumerable.Range(0, rng.Next(0, 12)).Select(_ => rng.Next(20)).ToArray();
            float[] aVal = aIdx.Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
            var (idx, val) = Run(acc, aIdx, aVal, b);
            var (eIdx, eVal) = Reference(aIdx, aVal, b);
            Assert.That(idx, Is.EqualTo(eIdx), $"trial {trial}");
            Assert.That(val, Is.EqualTo(eVal), $"trial {trial}: bit-for-bit, same order of float operations");
        }
    }

    [Test]
    public void EveryColumnOfAWordAndTheLastColumnComeOutInOrder()
    {
        // Row 0 covers columns 0..129 (two full words and two columns of a third), row 1 only the last column.
        var b = new CsrMatrix(2, 130, [0, 130, 131], [.. Enumerable.Range(0, 130), 129], [.. Enumerable.Repeat(1f, 130), 5f]);
        var acc = new SortedRowAccumulator(130);
        var (idx, val) = Run(acc, [1, 0, 1], [1f, 2f, 1f], b);
        Assert.That(idx, Is.EqualTo(Enumerable.Range(0, 130).ToArray()));
        Assert.That(val[129], Is.EqualTo(5f + 2f + 5f));
        Assert.That(val[..129], Is.All.EqualTo(2f));
        var (one, oneVal) = Run(acc, [1], [0.5f], b);
        Assert.That(one, Is.EqualTo(new[] { 129 }), "nothing of the previous row is left");
        Assert.That(oneVal, Is.EqualTo(new[] { 2.5f }));
    }

    [Test]
    public void EmptyRowsAndEmptyBRowsGiveNothing()
    {
        var b = new CsrMatrix(2, 64, [0, 0, 1], [63], [1f]);
        var acc = new SortedRowAccumulator(64);
        Assert.That(Run(acc, [], [], b).Idx, Is.Empty);
        Assert.That(Run(acc, [0, 0], [1f, 1f], b).Idx, Is.Empty);
        Assert.That(Run(acc, [1], [3f], b), Is.EqualTo((new[] { 63 }, new[] { 3f })));
        Assert.That(Run(new SortedRowAccumulator(0), [], [], new CsrMatrix(1, 0, [0, 0], [], [])).Idx, Is.Empty);
    }

    [Test]
    public void ANarrowRowOfAVeryWideProductTakesTheSortedWordsPath()
    {
        // 3 columns in 3 far-apart words of 1M columns: far under an eighth of the 15,625 words.
        var b = new CsrMatrix(1, 1_000_000, [0, 3], [5, 500_000, 999_999], [1f, 2f, 3f]);
        var acc = new SortedRowAccumulator(1_000_000);
        Assert.That(Run(acc, [0], [2f], b), Is.EqualTo((new[] { 5, 500_000, 999_999 }, new[] { 2f, 4f, 6f })));
    }

    [Test]
    public void MisuseIsRefused()
    {
        var b = new CsrMatrix(2, 12, [0, 1, 2], [0, 11], [1f, 1f]);
        Assert.That(() => new SortedRowAccumulator(10).CountProductRow([0], b), Throws.ArgumentException.With.Message.Contains("12 columns"));
        Assert.That(() => new SortedRowAccumulator(12).AddProductRow([2], [1f], b), Throws.InstanceOf<IndexOutOfRangeException>());
        var acc = new SortedRowAccumulator(12);
        acc.AddProductRow([0, 1], [1f, 1f], b);
        Assert.That(() => acc.Drain(new int[1], new float[1]), Throws.InvalidOperationException.With.Message.Contains("2 entries"));
    }

    [TestCase(0)]
    [TestCase(1)]
    public void UnsortedEntriesComeOutSortedAndAFailedDrainCanBeReset(int shift)
    {
        var acc = new SortedRowAccumulator(200);
        int[] idx = [150 + shift, 3 + shift, 64 + shift, 63 + shift, 199 + shift];
        acc.AddEntries(idx, [1f, 2f, 3f, 4f, 5f], shift);
        var outIdx = new int[5];
        var outVal = new float[5];
        acc.Drain(outIdx, outVal);
        Assert.That(outIdx, Is.EqualTo(new[] { 3, 63, 64, 150, 199 }));
        Assert.That(outVal, Is.EqualTo(new[] { 2f, 4f, 3f, 1f, 5f }));
        Assert.That(() => acc.AddEntries([200 + shift], [1f], shift), Throws.InstanceOf<ArgumentOutOfRangeException>());

        acc.AddEntries([7, 7], [1f, 1f], 0); // a repeated column: one entry, not two
        Assert.That(() => acc.Drain(new int[2], new float[2]), Throws.InvalidOperationException);
        acc.Reset();
        acc.AddEntries([9], [0.5f], 0);
        var one = new int[1];
        var oneVal = new float[1];
        acc.Drain(one, oneVal);
        Assert.That((one[0], oneVal[0]), Is.EqualTo((9, 0.5f)), "nothing of the failed row is left");
    }
}
