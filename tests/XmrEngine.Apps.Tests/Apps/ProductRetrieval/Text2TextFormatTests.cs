using System.Text;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

public class Text2TextFormatTests
{
    private static XmrDataException BadQueries(string content, int items = 10)
    {
        using var tmp = new TempDir();
        string path = tmp.Write("q.txt", content);
        var ex = Assert.Throws<XmrDataException>(() => Text2TextFormat.ReadQueries(path, items))!;
        Assert.That(ex.FilePath, Is.EqualTo(path));
        Assert.That(ex.Message, Does.StartWith(path));
        return ex;
    }

    [Test]
    public void ParsesIdsAndTextsSkipsBlankLinesAndDeduplicates()
    {
        using var tmp = new TempDir();
        string path = tmp.Write("q.txt", "3,1\tcordless drill\n\n   \n2, 2 ,0\tsaw\twith a tab\r\n7\t\n");
        var queries = Text2TextFormat.ReadQueries(path, 10);
        Assert.That(queries, Has.Count.EqualTo(3));
        Assert.That(queries[0].ItemIds, Is.EqualTo(new[] { 1, 3 }));
        Assert.That(queries[0].Text, Is.EqualTo("cordless drill"));
        Assert.That(queries[1].ItemIds, Is.EqualTo(new[] { 0, 2 }));
        Assert.That(queries[1].Text, Is.EqualTo("saw\twith a tab"));
        Assert.That(queries[2].Text, Is.EqualTo(""));
    }

    [Test]
    public void ALineWithoutATabNamesItsLineCountingBlankLines()
    {
        var ex = BadQueries("1\tok\n\n2 no tab here\n");
        Assert.That(ex.LineNumber, Is.EqualTo(3));
        Assert.That(ex.Message, Does.Contain("tab"));
    }

    [TestCase("x1\tq", "not a non-negative integer")]
    [TestCase("-1\tq", "not a non-negative integer")]
    [TestCase("1.5\tq", "not a non-negative integer")]
    [TestCase("10\tq", "out of range")]
    [TestCase("99999999999\tq", "too large")]
    [TestCase("1,,2\tq", "empty item id")]
    [TestCase("1,\tq", "empty item id")]
    [TestCase("\tq", "no item ids")]
    public void BadItemIdsAreReportedWithLineAndReason(string line, string reason)
    {
        var ex = BadQueries("0\tfine\n" + line + "\n");
        Assert.That(ex.LineNumber, Is.EqualTo(2));
        Assert.That(ex.Message, Does.Contain(reason));
        Assert.That(ex.Field, Does.StartWith("item id"));
    }

    [Test]
    public void InvalidUtf8IsReplacedNotFatal()
    {
        using var tmp = new TempDir();
        var bytes = new List<byte>();
        bytes.AddRange("0\tdrill "u8.ToArray());
        bytes.AddRange(new byte[] { 0xFF, 0xC3 });
        bytes.AddRange(" bit\n"u8.ToArray());
        string path = tmp.Write("q.txt", bytes.ToArray());
        var q = Text2TextFormat.ReadQueries(path, 1).Single();
        Assert.That(q.Text, Does.StartWith("drill ").And.EndWith(" bit").And.Contain("\uFFFD"));
    }

    [Test]
    public void AOneMegabyteLineIsRead()
    {
        using var tmp = new TempDir();
        string longText = string.Concat(Enumerable.Repeat("hammer nails ", 90_000));
        string path = tmp.Write("q.txt", "0\tshort\n1\t" + longText + "\n0\tafter\n");
        var queries = Text2TextFormat.ReadQueries(path, 2);
        Assert.That(queries, Has.Count.EqualTo(3));
        Assert.That(queries[1].Text, Is.EqualTo(longText));
        Assert.That(queries[2].Text, Is.EqualTo("after"));
    }

    [Test]
    public void ItemsKeepBlankLinesSkipTheByteOrderMarkAndRejectAnEmptyFile()
    {
        using var tmp = new TempDir();
        string path = tmp.Write("items.txt", "\uFEFFfirst\n\nthird\r\nfourth");
        Assert.That(Text2TextFormat.ReadItems(path), Is.EqualTo(new[] { "first", "", "third", "fourth" }));
        var ex = Assert.Throws<XmrDataException>(() => Text2TextFormat.ReadItems(tmp.Write("empty.txt", "")));
        Assert.That(ex!.Message, Does.Contain("empty"));
        Assert.Throws<FileNotFoundException>(() => Text2TextFormat.ReadItems(tmp.File("missing.txt")));
        Assert.Throws<FileNotFoundException>(() => Text2TextFormat.ReadQueries(tmp.File("missing.txt"), 3));
    }

    [Test]
    public void WrittenFilesReadBackAndTabsInTextsBecomeSpaces()
    {
        using var tmp = new TempDir();
        string items = tmp.File("items.txt"), queries = tmp.File("q.txt");
        Text2TextFormat.WriteItems(items, ["a\tb", "c\nd", "é ü"]);
        Text2TextFormat.WriteQueries(queries, [new LabeledQuery("x\ty", [0, 2]), new LabeledQuery("z", [1])]);
        Assert.That(Text2TextFormat.ReadItems(items), Is.EqualTo(new[] { "a b", "c d", "é ü" }));
        var read = Text2TextFormat.ReadQueries(queries, 3);
        Assert.That(read[0].Text, Is.EqualTo("x y"));
        Assert.That(read[0].ItemIds, Is.EqualTo(new[] { 0, 2 }));
        Assert.That(read[1].ItemIds, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void StreamLinesArriveOneByOne()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("one\r\ntwo\n\nfour"));
        Assert.That(Text2TextFormat.ReadLines(stream).ToArray(), Is.EqualTo(new[] { "one", "two", "", "four" }));
    }
}
