using XmrEngine.Common;

namespace XmrEngine.Tests.Common;

/// <summary>
/// <see cref="PecosRandom"/> against sequences recorded from PECOS's own generator (its random_number_generator over
/// MT19937, compiled with GCC 12's standard library, the build PECOS's Python package uses here).
/// </summary>
public class PecosRandomTests
{
    [Test]
    public void RawDrawsAreMt19937()
    {
        var rng = new PecosRandom(0);
        Assert.That(new[] { rng.NextUInt32(), rng.NextUInt32(), rng.NextUInt32(), rng.NextUInt32() },
            Is.EqualTo(new uint[] { 2357136044, 2546248239, 3071714933, 3626093760 }));
        // MT19937's published check value: the 10000th draw from the default seed 5489.
        var standard = new PecosRandom(5489);
        uint last = 0;
        for (int i = 0; i < 10000; i++) last = standard.NextUInt32();
        Assert.That(last, Is.EqualTo(4123659995u));
    }

    [Test]
    public void UniformIntMatchesGccsReduction()
    {
        var rng = new PecosRandom(12345);
        var got = new long[7];
        for (int i = 0; i < 6; i++) got[i] = rng.UniformInt(0, 7 + i);
        got[6] = rng.UniformInt(1, 1);
        Assert.That(got, Is.EqualTo(new long[] { 7, 8, 3, 1, 2, 0, 1 }));
        // The full 32-bit range passes the draw through.
        Assert.That(new PecosRandom(0).UniformInt(0, uint.MaxValue), Is.EqualTo(2357136044L));
        Assert.That(() => rng.UniformInt(2, 1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [TestCase(1, new[] { 0 })]
    [TestCase(2, new[] { 0, 1 })]
    [TestCase(3, new[] { 0, 1, 2 })]
    [TestCase(5, new[] { 2, 1, 4, 0, 3 })]
    [TestCase(8, new[] { 0, 2, 3, 1, 6, 4, 5, 7 })]
    public void TwoShufflesFromSeedZeroGivePecossOrder(int n, int[] expected)
    {
        // A node's solve shuffles the same order pass after pass from a generator seeded with 0.
        var rng = new PecosRandom(0);
        var items = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(items);
        rng.Shuffle(items);
        Assert.That(items, Is.EqualTo(expected));
    }

    [Test]
    public void LongShufflesDrawOnePositionAtATime()
    {
        // Past 65535 elements two positions no longer fit one 32-bit draw; GCC then draws one per element.
        var rng = new PecosRandom(7);
        var items = Enumerable.Range(0, 70000).ToArray();
        rng.Shuffle(items);
        Assert.That(new[] { items[0], items[1], items[2], items[3], items[^1] }, Is.EqualTo(new[] { 68737, 37819, 55518, 21721, 53514 }));
        Array.Sort(items);
        Assert.That(items, Is.EqualTo(Enumerable.Range(0, 70000).ToArray()));
    }
}
