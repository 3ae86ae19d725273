using XmrEngine.IO;
using XmrEngine.Tests.Support;
using XmrEngine.Text;

namespace XmrEngine.Tests.Text;

public class ReutersCorpusTests
{
    [Test]
    public void ParsesAttributesTopicsTitleAndBody()
    {
        const string sgml = """
            <!DOCTYPE lewis SYSTEM "lewis.dtd">
            <REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="1">
            <TOPICS><D>cocoa</D><D>grain</D></TOPICS>
            <TEXT>&#2;
            <TITLE>BAHIA &amp; COCOA &lt;REVIEW&gt;</TITLE>
            <DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued
            in the Bahia zone.
             Reuter
            &#3;</BODY></TEXT>
            </REUTERS>
            <REUTERS TOPICS="NO" LEWISSPLIT="NOT-USED" NEWID="2">
            <TOPICS></TOPICS>
            <TEXT TYPE="UNPROC">&#2; no body here &#3;</TEXT>
            </REUTERS>
            """;
        var docs = ReutersCorpus.Parse(sgml, "inline");
        Assert.That(docs, Has.Count.EqualTo(2));
        var d = docs[0];
        Assert.That((d.NewId, d.LewisSplit, d.HasTopics, d.IsModApteTrain, d.IsModApteTest), Is.EqualTo((1, "TRAIN", true, true, false)));
        Assert.That(d.Topics, Is.EqualTo(new[] { "cocoa", "grain" }));
        Assert.That(d.Title, Is.EqualTo("BAHIA & COCOA <REVIEW>"));
        Assert.That(d.Body, Is.EqualTo("Showers continued\nin the Bahia zone.\n Reuter"));
        Assert.That((docs[1].NewId, docs[1].HasTopics, docs[1].Topics.Count, docs[1].Body), Is.EqualTo((2, false, 0, "")));
    }

    [Test]
    public void MalformedArticlesNameSourceAndLine()
    {
        var ex = Assert.Throws<XmrDataException>(() => ReutersCorpus.Parse("x\n<REUTERS NEWID=\"1\">\n<BODY>b</BODY>", "f.sgm"))!;
        Assert.That(ex.Message, Does.Contain("f.sgm: line 2"));
        Assert.That((ex.FilePath, ex.LineNumber), Is.EqualTo(("f.sgm", (long?)2)));
        var bad = Assert.Throws<XmrDataException>(() => ReutersCorpus.Parse("<REUTERS NEWID=\"x1\"></REUTERS>", "g.sgm"))!;
        Assert.That(bad.Message, Does.Contain("g.sgm").And.Contain("NEWID"));
        Assert.That((bad.FilePath, bad.Field), Is.EqualTo(("g.sgm", "NEWID")));
    }

    [Test]
    public void ReadsTheRealCorpus()
    {
        string dir = SharedData.RequireDirectory("reuters21578");
        var docs = ReutersCorpus.ReadDirectory(dir);
        Assert.That(docs, Has.Count.EqualTo(21578));
        Assert.That(docs.Select(d => d.NewId).Distinct().Count(), Is.EqualTo(21578));
        Assert.That(docs.Count(d => d.IsModApteTrain), Is.EqualTo(9603));
        Assert.That(docs.Count(d => d.IsModApteTest), Is.EqualTo(3299));
        var first = docs[0];
        Assert.That(first.Title, Is.EqualTo("BAHIA COCOA REVIEW"));
        Assert.That(first.Topics, Is.EqualTo(new[] { "cocoa" }));
        Assert.That(first.Body, Does.StartWith("Showers continued throughout the week in"));
        Assert.That(docs.Count(d => d.Body.Length > 0), Is.GreaterThan(19000));
        Assert.That(docs.All(d => !d.Body.Contains('\u0003') && !d.Body.Contains("&#")), Is.True);

        var bodies = docs.Take(2000).Select(d => d.Body).ToList();
        var v = CombinedTfidfVectorizer.Fit(bodies, new CombinedTfidfOptions
        {
            Bases = [new TfidfOptions { MaxNgram = 2, MinDfCount = 2 }, new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 3, MaxNgram = 3 }],
        });
        var x = v.Transform(bodies);
        Assert.That(x.Rows, Is.EqualTo(bodies.Count));
        for (int r = 0; r < x.Rows; r++)
        {
            if (x.RowLength(r) == 0) continue;
            double norm = Math.Sqrt(x.Row(r).Values.ToArray().Sum(f => (double)f * f));
            Assert.That(norm, Is.EqualTo(1.0).Within(1e-5));
        }
    }
}
