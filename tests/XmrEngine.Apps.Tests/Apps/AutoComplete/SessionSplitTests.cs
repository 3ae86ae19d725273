using XmrEngine.Apps.AutoComplete;

namespace XmrEngine.Tests.Apps.AutoComplete;

public class SessionSplitTests
{
    private static readonly DateTime T0 = new(2006, 3, 1, 12, 0, 0);

    private static QueryLogEntry E(string user, int minutes, string query) => new(user, T0.AddMinutes(minutes), query);

    [Test]
    public void CutsAtGapsLongerThanThirtyMinutesAndDropsConsecutiveDuplicates()
    {
        var entries = new[]
        {
            E("u", 0, "a"), E("u", 10, "a"), E("u", 20, "b"), E("u", 50, "a"), // 30-minute gap: same session
            E("u", 81, "c"), E("u", 82, "c"),                                    // 31 minutes: new session
            E("v", 5, "x"),
        };
        var sessions = SessionBuilder.Build(entries, SessionBuilder.DefaultGap);
        Assert.That(sessions.Select(s => (s.UserId, string.Join(",", s.Queries))),
            Is.EqualTo(new[] { ("u", "a,b,a"), ("u", "c"), ("v", "x") }));
        Assert.That(sessions[1].Start, Is.EqualTo(T0.AddMinutes(81)));
        var pairs = SessionBuilder.Pairs(sessions);
        Assert.That(pairs, Is.EqualTo(new[] { new QueryPair("a", "b"), new QueryPair("b", "a") }));
    }

    [Test]
    public void SortsEachUserByTimeStably()
    {
        var entries = new[] { E("u", 10, "late"), E("u", 0, "first"), E("u", 0, "second") };
        var sessions = SessionBuilder.Build(entries, SessionBuilder.DefaultGap);
        Assert.That(sessions.Single().Queries, Is.EqualTo(new[] { "first", "second", "late" }));
    }

    [Test]
    public void TimeSplitTrainsOnTheEarliestSessions()
    {
        var sessions = new List<QuerySession>();
        // Five sessions, given out of time order; two users start at the same time (tie broken by user id).
        int[] starts = [40, 0, 20, 10, 10];
        string[] users = ["a", "b", "c", "e", "d"];
        for (int i = 0; i < 5; i++) sessions.Add(new QuerySession(users[i], T0.AddDays(starts[i]), [$"q{i}", $"r{i}"]));
        var split = QacSplit.ByTime(sessions, 0.8);
        Assert.That(split.TrainSessions.Select(s => s.UserId), Is.EqualTo(new[] { "b", "d", "e", "c" }));
        Assert.That(split.TestSessions.Select(s => s.UserId), Is.EqualTo(new[] { "a" }));
        Assert.That(split.TestPairs, Is.EqualTo(new[] { new QueryPair("q0", "r0") }));
        Assert.That(split.TrainSessions.All(s => s.Start <= split.TestStart));
    }

    [Test]
    public void TimeSplitKeepsAtLeastOneSessionOnEachSide()
    {
        var two = new List<QuerySession> { new("a", T0, ["x"]), new("b", T0.AddHours(1), ["y"]) };
        var split = QacSplit.ByTime(two, 0.1);
        Assert.That((split.TrainSessions.Count, split.TestSessions.Count), Is.EqualTo((1, 1)));
        Assert.Throws<ArgumentException>(() => QacSplit.ByTime([], 0.8));
    }

    [Test]
    public void TestPrefixesAreNonEmptyPrefixesAndDeterministic()
    {
        var pairs = Enumerable.Range(0, 500).Select(i => new QueryPair($"p{i}", $"query number {i}")).ToList();
        var a = PrefixSampler.TestCases(pairs, seed: 3);
        var b = PrefixSampler.TestCases(pairs, seed: 3);
        var c = PrefixSampler.TestCases(pairs, seed: 4);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
        for (int i = 0; i < pairs.Count; i++)
        {
            Assert.That(a[i].Next, Is.EqualTo(pairs[i].Next));
            Assert.That(a[i].Previous, Is.EqualTo(pairs[i].Previous));
            Assert.That(a[i].Prefix.Length, Is.InRange(1, pairs[i].Next.Length));
            Assert.That(pairs[i].Next.StartsWith(a[i].Prefix, StringComparison.Ordinal));
        }
        // Uniform over 1..len: with 500 draws every length of "query number 7" (14 chars) turns up at least once somewhere.
        var lengths = a.Where(t => t.Next.Length == 14).Select(t => t.Prefix.Length).ToHashSet();
        Assert.That(lengths.Count, Is.GreaterThan(1));
        Assert.That(a.Select(t => t.Prefix.Length).Min(), Is.EqualTo(1));
    }

    [Test]
    public void PrefixNeverSplitsASurrogatePair()
    {
        var pairs = Enumerable.Range(0, 200).Select(_ => new QueryPair("p", "a\U0001F600b")).ToList();
        foreach (var t in PrefixSampler.TestCases(pairs, seed: 1))
            Assert.That(char.IsHighSurrogate(t.Prefix[^1]), Is.False, t.Prefix);
    }

    [Test]
    public void TrainingLengthsAreDistinctAndBounded()
    {
        Assert.That(PrefixSampler.TrainingLengths("abc", 4, 0, 0), Is.EqualTo(new[] { 1, 2, 3 }));
        var lengths = PrefixSampler.TrainingLengths("a long query text", 4, 0, 5);
        Assert.That(lengths, Has.Length.EqualTo(4));
        Assert.That(lengths, Is.Unique.And.Ordered);
        Assert.That(lengths.All(l => l is >= 1 and <= 17));
        Assert.That(PrefixSampler.TrainingLengths("a long query text", 4, 0, 5), Is.EqualTo(lengths));
    }
}
