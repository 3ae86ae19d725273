using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

public class AolClickConverterTests
{
    /// <summary>Writes one AOL user file per entry of <paramref name="users"/> into tmp/users and returns that directory.</summary>
    private static string WriteUsers(TempDir tmp, params string[] users)
    {
        string dir = tmp.File("users");
        Directory.CreateDirectory(dir);
        for (int u = 0; u < users.Length; u++) File.WriteAllText(Path.Combine(dir, $"{100 + u}.txt"), users[u]);
        return dir;
    }

    /// <summary>A user who searched "shared query" and clicked site u, and "own query u" clicking two pages of one site.</summary>
    private static string User(int u) =>
        $"Shared  Query\t2006-03-01 10:00:{u % 60:00}\nhttp://www.site{u}.com/page\n\n" +
        $"own query {u}\t2006-03-01 11:00:00\nhttp://own{u}.org/a\nhttps://OWN{u}.org:8080/b?c=d\n\n";

    [Test]
    public void GroupsClicksBySiteAndQueryAndSplitsByUserDeterministically()
    {
        using var tmp = new TempDir();
        string users = WriteUsers(tmp, [.. Enumerable.Range(0, 10).Select(User)]);
        var split = AolClickConverter.Convert(users, tmp.File("out"), seed: 1, testUsers: 0.2);
        Assert.That(split.Users, Is.EqualTo(10));
        Assert.That(split.TestUsers, Is.EqualTo(2));
        Assert.That(split.Records, Is.EqualTo(20));
        Assert.That(split.ClickedRecords, Is.EqualTo(20));
        Assert.That(split.Items, Is.EqualTo(20), "two pages of own{u}.org are one site");
        Assert.That(split.TrainQueries, Is.EqualTo(1 + 8));
        Assert.That(split.TestQueries, Is.EqualTo(1 + 2));
        Assert.That(split.TestQueriesSeenInTraining, Is.EqualTo(1), "'shared query' was typed by users on both sides");
        Assert.That(split.TestItemsUnseenInTraining, Is.EqualTo(split.TestItemsTotal), "every user's sites are their own");

        var items = Text2TextFormat.ReadItems(tmp.File("out/items.txt"));
        Assert.That(items[..2], Is.EqualTo(new[] { "site0.com", "own0.org" }));
        var train = Text2TextFormat.ReadQueries(tmp.File("out/train.txt"), items.Length);
        var test = Text2TextFormat.ReadQueries(tmp.File("out/test.txt"), items.Length);
        Assert.That(train[0].Text, Is.EqualTo("shared query"), "queries are normalised as for Home Depot");
        Assert.That(train[0].ItemIds, Has.Length.EqualTo(8), "one site per training user");
        Assert.That(test[0].ItemIds, Has.Length.EqualTo(2));
        Assert.That(train[0].ItemIds.Intersect(test[0].ItemIds), Is.Empty, "test clicks never leak into train");
        var ownTest = test.Where(q => q.Text.StartsWith("own query", StringComparison.Ordinal)).ToList();
        Assert.That(ownTest.Select(q => q.ItemIds.Length), Is.EqualTo(new[] { 1, 1 }), "each test user's own query, its two pages one site");

        string firstTest = File.ReadAllText(tmp.File("out/test.txt"));
        AolClickConverter.Convert(users, tmp.File("again"), seed: 1, testUsers: 0.2);
        Assert.That(File.ReadAllText(tmp.File("again/test.txt")), Is.EqualTo(firstTest));
        AolClickConverter.Convert(users, tmp.File("other"), seed: 2, testUsers: 0.2);
        Assert.That(File.ReadAllText(tmp.File("other/test.txt")), Is.Not.EqualTo(firstTest));
    }

    [Test]
    public void RecordsWithoutClickOrQueryAreSkipped()
    {
        using var tmp = new TempDir();
        string users = WriteUsers(tmp, "no click\t2006-03-01 10:00:00\n\n   \t2006-03-01 10:01:00\nhttp://blank.com/\n\nok\t2006-03-01 10:02:00\nhttp://ok.com/\n",
            User(1));
        var split = AolClickConverter.Convert(users, tmp.File("out"), testUsers: 0.5);
        Assert.That(split.Records, Is.EqualTo(5));
        Assert.That(split.ClickedRecords, Is.EqualTo(3));
        Assert.That(Text2TextFormat.ReadItems(tmp.File("out/items.txt")), Does.Not.Contain("blank.com"));
    }

    [TestCase("http://a.com/\n\nq\t2006-03-01 10:00:00\nhttp://b.com/\n", 1, "record", "no tab")]
    [TestCase("q\t2006-03-01 10:00:00\nhttp://a.com/\n\nhttp://b.com/\n", 4, "record", "no tab")]
    [TestCase("q\t2006-03-01 10:00:00\nhttp://a.com/\n\nr\tyesterday\nhttp://b.com/\n", 4, "timestamp", "'yesterday' is not a timestamp")]
    [TestCase("q\t2006-03-01 10:00:00\nhttp:///path-only\n", 2, "url", "has no host")]
    public void MalformedRecordsNameTheFileAndLine(string content, int line, string field, string reason)
    {
        using var tmp = new TempDir();
        string users = WriteUsers(tmp, User(0), content);
        var ex = Assert.Throws<XmrDataException>(() => AolClickConverter.Convert(users, tmp.File("out")));
        string file = Path.Combine(users, "101.txt");
        Assert.That(ex!.FilePath, Is.EqualTo(file));
        Assert.That(ex.LineNumber, Is.EqualTo(line));
        Assert.That(ex.Field, Is.EqualTo(field));
        Assert.That(ex.Message, Does.StartWith(file).And.Contain(reason));
    }

    [Test]
    public void AnEmptyOrMissingDirectoryIsReported()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.File("empty"));
        Assert.That(() => AolClickConverter.Convert(tmp.File("empty"), tmp.File("out")), Throws.TypeOf<XmrDataException>().With.Message.Contain("holds no files"));
        Assert.That(() => AolClickConverter.Convert(tmp.File("missing"), tmp.File("out")), Throws.TypeOf<DirectoryNotFoundException>());
        Assert.That(() => AolClickConverter.Convert(tmp.File("empty"), tmp.File("out"), testUsers: 1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [TestCase("http://www.NYTimes.com/", "nytimes.com")]
    [TestCase("https://user:pw@Shop.Example.co.uk:8443/a/b?c#d", "shop.example.co.uk")]
    [TestCase("www.google.com", "google.com")]
    [TestCase("http://www2.site.com/x", "www2.site.com")]
    [TestCase("http://www.com/", "www.com")]
    [TestCase("http://example.org./", "example.org")]
    [TestCase("http://?q", "")]
    public void SiteHostKeepsOnlyTheHost(string url, string host) => Assert.That(SiteHost.Normalize(url), Is.EqualTo(host));
}
