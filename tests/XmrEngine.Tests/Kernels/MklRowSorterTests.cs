using XmrEngine.Kernels;

namespace XmrEngine.Tests.Kernels;

/// <summary>The row sorter used on MKL's unsorted products (pure managed code; needs no MKL).</summary>
[TestFixture]
public class MklRowSorterTests
{
    [TestCase(100, 0, 0)]
    [TestCase(100, 1, 0)]
    [TestCase(100, 5, 0)]
    [TestCase(100, 6, 1)]
    [TestCase(100, 7, 0)]
    [TestCase(100, 60, 1)]
    [TestCase(100, 100, 0)]
    [TestCase(37, 3, 1)]
    [TestCase(37, 37, 1)]
    public void SortsShortAndLongRows(int width, int length, int shift)
    {
        var rng = new Random(width * 1000 + length);
        var sorter = new MklRowSorter(width);
        for (int round = 0; round < 3; round++)
        {
            var columns = Enumerable.Range(0, width).OrderBy(_ => rng.Next()).Take(length).ToArray();
            var values = columns.Select(c => c * 0.5f - 7f).ToArray();
            var indices = columns.Select(c => c + shift).ToArray();
            var outIdx = new int[length];
            var outVal = new float[length];
            sorter.CopySorted(indices, values, shift, outIdx, outVal);
            var expected = columns.Order().ToArray();
            Assert.That(outIdx, Is.EqualTo(expected));
            Assert.That(outVal, Is.EqualTo(expected.Select(c => c * 0.5f - 7f).ToArray()));
        }
    }

    [Test]
    public void LongRowWithRepeatedColumnIsReported()
    {
        var sorter = new MklRowSorter(16);
        int[] indices = [3, 5, 3];
        float[] values = [1f, 2f, 3f];
        Assert.Throws<InvalidOperationException>(() => sorter.CopySorted(indices, values, 0, new int[3], new float[3]));
    }
}
