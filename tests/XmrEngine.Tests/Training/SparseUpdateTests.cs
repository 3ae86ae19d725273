using XmrEngine.Kernels;

namespace XmrEngine.Tests.Training;

public class SparseUpdateTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(9)]
    [TestCase(33)]
    public void FastScatterMatchesReference(int length)
    {
        var rng = new Random(length);
        // Repeated indices are allowed: each occurrence adds.
        var idx = Enumerable.Range(0, length).Select(_ => rng.Next(20)).ToArray();
        var val = Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var fast = Enumerable.Range(0, 20).Select(i => (float)i).ToArray();
        var reference = (float[])fast.Clone();
        SparseUpdate.ScatterAdd(0.75f, idx, val, fast);
        SparseUpdate.ScatterAddReference(0.75f, idx, val, reference);
        Assert.That(fast, Is.EqualTo(reference));
        if (length > 0) Assert.That(fast, Is.Not.EqualTo(Enumerable.Range(0, 20).Select(i => (float)i)));
    }
}
