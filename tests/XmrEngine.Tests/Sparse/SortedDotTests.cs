using XmrEngine.Sparse;
using static XmrEngine.Tests.Kernels.KernelAssert;

namespace XmrEngine.Tests.Sparse;

/// <summary>
/// The sorted-merge dot (<see cref="SparseVector.SortedDot"/>, behind <see cref="SparseVector.Dot"/>): no longer a
/// backend operation (nothing ran it through the seam), but the managed masked product and the text reranker use it, so it
/// keeps the checks it had as <c>SparseKernels.SparseSparseDot</c>, against a double-precision merge.
/// </summary>
public sealed class SortedDotTests
{
    private static readonly int[] VectorLengths = [0, 1, 7, 8, 9, 15, 16, 17, 33];

    [Test]
    public void SortedDot_LengthPairs_MatchReference(
        [ValueSource(nameof(VectorLengths))] int lengthA, [Values(0, 1, 9, 33, 300)] int lengthB)
    {
        // lengthB = 300 against short a exercises the galloping search, the rest the merge.
        var (ai, av) = RandomSorted(lengthA, 400, lengthA * 31 + lengthB);
        var (bi, bv) = RandomSorted(lengthB, 400, lengthA * 37 + lengthB + 1);
        var got = SparseVector.SortedDot(new SparseVector(ai, av), new SparseVector(bi, bv));
        var swapped = SparseVector.SortedDot(new SparseVector(bi, bv), new SparseVector(ai, av));
        var expected = ReferenceSortedDot(ai, av, bi, bv);
        Close(got, expected, $"sorted dot {lengthA}x{lengthB}");
        Close(swapped, expected, $"sorted dot {lengthB}x{lengthA}");
    }

    [Test]
    public void SortedDot_KnownOverlap_GivesExactValue()
    {
        var a = new SparseVector([1, 4, 9], [2f, 3f, 5f]);
        var b = new SparseVector([0, 4, 8, 9, 12], [7f, 10f, 7f, -1f, 7f]);
        Assert.That(SparseVector.SortedDot(a, b), Is.EqualTo(25f));
        Assert.That(SparseVector.SortedDot(a, new SparseVector([0, 2, 3], [1f, 1f, 1f])), Is.EqualTo(0f));
    }

    private static float ReferenceSortedDot(int[] ai, float[] av, int[] bi, float[] bv)
    {
        double s = 0;
        int p = 0, q = 0;
        while (p < ai.Length && q < bi.Length)
        {
            if (ai[p] == bi[q]) s += (double)av[p++] * bv[q++];
            else if (ai[p] < bi[q]) p++;
            else q++;
        }
        return (float)s;
    }

    private static (int[] Indices, float[] Values) RandomSorted(int length, int range, int seed)
    {
        var rng = new Random(seed);
        var indices = Enumerable.Range(0, range).OrderBy(_ => rng.Next()).Take(length).Order().ToArray();
        var values = Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        return (indices, values);
    }
}
