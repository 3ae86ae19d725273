using XmrEngine.Indexing;

namespace XmrEngine.Tests.Indexing;

public class HierarchicalKMeansOptionsTests
{
    [Test]
    public void DefaultsArePecos()
    {
        var o = new HierarchicalKMeansOptions();
        Assert.That((o.NrSplits, o.MaxLeafSize, o.MaxIterations, o.EmptyRowsLast), Is.EqualTo((16, 100, 20, false)));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(12)]
    [TestCase(-4)]
    public void NrSplitsMustBePowerOfTwo(int value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HierarchicalKMeansOptions { NrSplits = value });
        Assert.That(ex!.Message, Does.Contain("NrSplits").And.Contain(value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void OtherFieldsAreChecked()
    {
        Assert.That(() => new HierarchicalKMeansOptions { MaxLeafSize = 0 }, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("MaxLeafSize").And.Message.Contains("0"));
        Assert.That(() => new HierarchicalKMeansOptions { MaxIterations = 0 }, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("MaxIterations"));
        Assert.That(() => new HierarchicalKMeansIndexer(threads: -1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Threads").And.Message.Contains("-1"));
    }

    [Test]
    public void WithExpressionsAreCheckedToo()
    {
        var o = new HierarchicalKMeansOptions { NrSplits = 2 };
        Assert.That(() => o with { NrSplits = 6 }, Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That((o with { NrSplits = 32 }).NrSplits, Is.EqualTo(32));
    }
}
