using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

public class NodeInstanceListsTests
{
    [Test]
    public void InvertsMapsAndDeduplicates()
    {
        // Instance rows of labels: 0 -> {0, 1}, 1 -> {}, 2 -> {2}, 3 -> {1, 2}; labels 0,1 -> node 0, label 2 -> node 1.
        long[] ptr = [0, 2, 2, 3, 5];
        int[] labels = [0, 1, 2, 1, 2];
        var lists = NodeInstanceLists.Build(4, ptr, labels, [0, 0, 1], 3);
        Assert.That(lists.NodeCount, Is.EqualTo(3));
        Assert.That(lists.Of(0).ToArray(), Is.EqualTo(new[] { 0, 3 }));
        Assert.That(lists.Of(1).ToArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(lists.Of(2).ToArray(), Is.Empty);
        var identity = NodeInstanceLists.Build(4, ptr, labels, null, 3);
        Assert.That(identity.Of(1).ToArray(), Is.EqualTo(new[] { 0, 3 }));
    }
}
