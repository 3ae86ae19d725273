using XmrEngine.Apps.AutoComplete;
using XmrEngine.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Apps.AutoComplete;

public class QueryLogReaderTests
{
    [Test]
    public void ReadsAolRecordsWithAndWithoutClicks()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("42.txt"),
            "Ebay\t2006-03-01 00:15:12\nhttp://www.ebay.com/\n\nNew   York  Times\t2006-03-01 00:20:00\n\nwww.ebay.com\t2006-03-01 00:21:00\nhttp://a/\nhttp://b/\n\n");
        var stats = new QueryLogStats();
        var entries = QueryLogReader.Read(dir.Path, stats);
        Assert.That(entries.Select(e => e.Query), Is.EqualTo(new[] { "ebay", "new york times", "www.ebay.com" }));
        Assert.That(entries.All(e => e.UserId == "42"));
        Assert.That(entries[1].Time, Is.EqualTo(new DateTime(2006, 3, 1, 0, 20, 0)));
        Assert.That(stats.Records, Is.EqualTo(3));
        Assert.That(stats.Files, Is.EqualTo(1));
    }

    [Test]
    public void BadAolTimestampNamesFileAndLine()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("7.txt"), "ebay\t2006-03-01 00:15:12\n\ncars\tyesterday\n");
        var e = Assert.Throws<XmrDataException>(() => QueryLogReader.Read(dir.Path));
        Assert.That(e!.LineNumber, Is.EqualTo(3));
        Assert.That(e.Message, Does.Contain("7.txt").And.Contain("line 3").And.Contain("yesterday"));
    }

    [Test]
    public void UrlLineOutsideARecordIsAnError()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("7.txt"), "http://stray/\n");
        var e = Assert.Throws<XmrDataException>(() => QueryLogReader.Read(dir.Path));
        Assert.That(e!.LineNumber, Is.EqualTo(1));
    }

    [Test]
    public void TsvSkipsHeaderAndCountsEmptyQueries()
    {
        using var dir = new TempDir();
        string path = dir.File("log.tsv");
        File.WriteAllText(path, "session\ttime\tquery\ns1\t2020-01-01 10:00:00\tFoo\tBar\r\ns1\t1577873100\t   \n\ns2\t2020-01-01T11:00:00\tbaz\n");
        var stats = new QueryLogStats();
        var entries = QueryLogReader.Read(path, stats);
        Assert.That(entries.Select(e => (e.UserId, e.Query)), Is.EqualTo(new[] { ("s1", "foo bar"), ("s2", "baz") }));
        Assert.That(stats.HeaderLines, Is.EqualTo(1));
        Assert.That(stats.EmptyQueries, Is.EqualTo(1));
        Assert.That(stats.Records, Is.EqualTo(3));
    }

    [Test]
    public void TsvWithTooFewFieldsOrBadTimeNamesTheLine()
    {
        using var dir = new TempDir();
        string path = dir.File("log.tsv");
        File.WriteAllText(path, "s1\t2020-01-01 10:00:00\tfoo\ns1\tfoo\n");
        var e = Assert.Throws<XmrDataException>(() => QueryLogReader.Read(path));
        Assert.That(e!.Message, Does.Contain("line 2").And.Contain("field"));
        File.WriteAllText(path, "s1\t2020-01-01 10:00:00\tfoo\ns1\tlater\tbar\n");
        e = Assert.Throws<XmrDataException>(() => QueryLogReader.Read(path));
        Assert.That(e!.Message, Does.Contain("line 2").And.Contain("later"));
    }

    [Test]
    public void MissingPathIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => QueryLogReader.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));

    [Test]
    public void CleaningLowercasesAndCollapsesWhiteSpace()
    {
        Assert.That(QueryText.Clean("  New\tYORK  times "), Is.EqualTo("new york times"));
        Assert.That(QueryText.Clean(" \t "), Is.Null);
        Assert.That(QueryText.CleanPrefix("New  "), Is.EqualTo("new "));
        Assert.That(QueryText.CleanPrefix("  "), Is.EqualTo(""));
    }
}
