using System.Text;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Apps.ProductRetrieval;

public class HomeDepotConverterTests
{
    private const string Header = "\"id\",\"product_uid\",\"product_title\",\"search_term\",\"relevance\"\n";

    [Test]
    public void KeepsRelevantPairsGroupsQueriesAndSplitsDeterministically()
    {
        using var tmp = new TempDir();
        var csv = new StringBuilder(Header);
        // 20 distinct queries over 5 products; one low-relevance pair that must be dropped.
        for (int q = 0; q < 20; q++)
        {
            csv.Append($"{q * 2},{100 + q % 5},\"Title {q % 5}, with comma\",\"query {q}\",3\n");
            csv.Append($"{q * 2 + 1},{100 + (q + 1) % 5},\"Title {(q + 1) % 5}, with comma\",\"  Query   {q} \",2.67\n");
        }
        csv.Append("999,200,\"Rare \"\"quoted\"\" item\",\"query 0\",1.33\n");
        string path = tmp.Write("train.csv", csv.ToString());
        var split = HomeDepotConverter.Convert(path, tmp.File("out"), seed: 3);
        Assert.That(split.Rows, Is.EqualTo(41));
        Assert.That(split.KeptPairs, Is.EqualTo(40));
        Assert.That(split.Items, Is.EqualTo(5));
        Assert.That(split.TrainQueries + split.TestQueries, Is.EqualTo(20));
        Assert.That(split.TestQueries, Is.EqualTo(4));

        var items = Text2TextFormat.ReadItems(tmp.File("out/items.txt"));
        Assert.That(items[0], Is.EqualTo("Title 0, with comma"));
        var all = Text2TextFormat.ReadQueries(tmp.File("out/train.txt"), items.Length)
            .Concat(Text2TextFormat.ReadQueries(tmp.File("out/test.txt"), items.Length)).ToList();
        Assert.That(all.Select(q => q.Text).Distinct().Count(), Is.EqualTo(20));
        var q0 = all.Single(q => q.Text == "query 0");
        Assert.That(q0.ItemIds, Is.EqualTo(new[] { 0, 1 }), "both spellings of 'query 0' are one query; the low-relevance pair is gone");

        string firstTest = File.ReadAllText(tmp.File("out/test.txt"));
        HomeDepotConverter.Convert(path, tmp.File("again"), seed: 3);
        Assert.That(File.ReadAllText(tmp.File("again/test.txt")), Is.EqualTo(firstTest));
        HomeDepotConverter.Convert(path, tmp.File("other"), seed: 4);
        Assert.That(File.ReadAllText(tmp.File("other/test.txt")), Is.Not.EqualTo(firstTest));
    }

    [Test]
    public void Latin1FieldsAndQuotedLineBreaksAreRead()
    {
        using var tmp = new TempDir();
        var bytes = new List<byte>(Encoding.ASCII.GetBytes(Header));
        bytes.AddRange(Encoding.ASCII.GetBytes("1,7,\"Nailer 30"));
        bytes.AddRange(new byte[] { 0xB0 }); // Latin-1 degree sign: invalid as UTF-8
        bytes.AddRange(Encoding.ASCII.GetBytes(" angle\",\"nailer\",3\r\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes("2,8,\"Caf\u00e9 lamp\nsecond line\",\"lamp\",3\n"));
        string path = tmp.Write("train.csv", bytes.ToArray());
        var split = HomeDepotConverter.Convert(path, tmp.File("out"), testFraction: 0.5);
        Assert.That(split.Items, Is.EqualTo(2));
        var items = Text2TextFormat.ReadItems(tmp.File("out/items.txt"));
        Assert.That(items, Is.EqualTo(new[] { "Nailer 30\u00b0 angle", "Caf\u00e9 lamp second line" }));
    }

    [TestCase("1,7,\"never closed,q,3\n", "closing quote is missing")]
    [TestCase("1,7,\"t\"x,\"q\",3\n", "after a closing quote")]
    [TestCase("1,7,t,q\n", "has 4 fields")]
    [TestCase("1,7,t,q,high\n", "not a number")]
    public void MalformedRecordsNameTheLine(string record, string reason)
    {
        using var tmp = new TempDir();
        string path = tmp.Write("train.csv", Header + "0,7,t,q,3\n" + record);
        var ex = Assert.Throws<XmrDataException>(() => HomeDepotConverter.Convert(path, tmp.File("out")));
        Assert.That(ex!.LineNumber, Is.EqualTo(3));
        Assert.That(ex.Message, Does.Contain(reason).And.StartWith(path));
    }

    [Test]
    public void AMissingColumnIsReported()
    {
        using var tmp = new TempDir();
        string path = tmp.Write("train.csv", "id,product_uid,product_title,relevance\n1,2,t,3\n");
        var ex = Assert.Throws<XmrDataException>(() => HomeDepotConverter.Convert(path, tmp.File("out")));
        Assert.That(ex!.Message, Does.Contain("search_term"));
    }
}
