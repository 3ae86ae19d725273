using XmrEngine.Indexing;
using XmrEngine.Common;

namespace XmrEngine.Tests.Indexing;

public class SeededRandomTests
{
    [Test]
    public void NextIntStaysInRangeAndCoversIt()
    {
        var rng = new SeededRandom(42);
        var seen = new bool[7];
        for (int i = 0; i < 1000; i++)
        {
            int v = rng.NextInt(7);
            Assert.That(v, Is.InRange(0, 6));
            seen[v] = true;
        }
        Assert.That(seen, Is.All.True);
        Assert.That(() => { var r = new SeededRandom(1); r.NextInt(0); }, Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ShuffleIsAPermutationAndRepeatable()
    {
        int[] a = Enumerable.Range(0, 50).ToArray(), b = Enumerable.Range(0, 50).ToArray();
        var r1 = new SeededRandom(7);
        var r2 = new SeededRandom(7);
        r1.Shuffle(a);
        r2.Shuffle(b);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.Order(), Is.EqualTo(Enumerable.Range(0, 50)));
        Assert.That(a, Is.Not.EqualTo(Enumerable.Range(0, 50)));
    }

    [Test]
    public void NodeStreamsDiffer()
    {
        var a = SeededRandom.ForNode(0, 1, 2);
        var b = SeededRandom.ForNode(0, 2, 1);
        var c = SeededRandom.ForNode(1, 1, 2);
        ulong x = a.NextUInt64(), y = b.NextUInt64(), z = c.NextUInt64();
        Assert.That(new[] { x, y, z }.Distinct().Count(), Is.EqualTo(3));
        Assert.That(SeededRandom.ForNode(0, 1, 2).NextUInt64(), Is.EqualTo(x));
    }
}
