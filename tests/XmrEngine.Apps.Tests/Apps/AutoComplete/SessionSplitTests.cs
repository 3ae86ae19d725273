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

    /// <summary>Sessions of 100 users, each with one session a day for 10 days (two queries each).</summary>
    private static List<QuerySession> ManyUsers()
    {
        var entries = new List<QueryLogEntry>();
        for (int u = 0; u < 100; u++)
            for (int d = 0; d < 10; d++)
            {
                entries.Add(new QueryLogEntry($"user{u:D3}", T0.AddDays(d).AddMinutes(u), $"q{u} {d}"));
                entries.Add(new QueryLogEntry($"user{u:D3}", T0.AddDays(d).AddMinutes(u + 1), $"r{u} {d}"));
            }
        return SessionBuilder.Build(entries, SessionBuilder.DefaultGap);
    }

    [Test]
    public void HeldOutUsersAreDisjointFromTrainingSeededAndExactInNumber()
    {
        var sessions = ManyUsers();
        var split = QacSplit.ByTimeAndUser(sessions, 0.8, 0.2, seed: 7);
        var trainUsers = split.TrainSessions.Select(s => s.UserId).ToHashSet();
        var heldUsers = split.HoldoutTestSessions.Select(s => s.UserId).ToHashSet();
        Assert.That(split.HoldoutUserCount, Is.EqualTo(20));
        Assert.That(heldUsers, Has.Count.EqualTo(20), "every held-out user has test-period sessions here");
        Assert.That(trainUsers.Overlaps(heldUsers), Is.False, "no held-out user trains");
        Assert.That(split.TestSessions.Select(s => s.UserId).ToHashSet().Overlaps(heldUsers), Is.False);
        Assert.That(trainUsers, Has.Count.EqualTo(80));
        var byTime = QacSplit.ByTime(sessions, 0.8);
        Assert.That(split.HoldoutTestSessions.Concat(split.TestSessions).Count(), Is.EqualTo(byTime.TestSessions.Count), "same time boundary");
        Assert.That(split.HoldoutTestPairs, Has.Count.EqualTo(split.HoldoutTestSessions.Count));

        var again = QacSplit.ByTimeAndUser(Enumerable.Reverse(sessions).ToList(), 0.8, 0.2, seed: 7);
        Assert.That(again.HoldoutTestSessions.Select(s => s.UserId).ToHashSet(), Is.EquivalentTo(heldUsers), "order of the log does not matter");
        var other = QacSplit.ByTimeAndUser(sessions, 0.8, 0.2, seed: 8);
        Assert.That(other.HoldoutTestSessions.Select(s => s.UserId).ToHashSet(), Is.Not.EquivalentTo(heldUsers), "another seed draws other users");
    }

    [Test]
    public void NoHoldoutIsThePlainTimeSplit()
    {
        var sessions = ManyUsers();
        var plain = QacSplit.ByTime(sessions, 0.8);
        var none = QacSplit.ByTimeAndUser(sessions, 0.8, 0, seed: 3);
        Assert.That(none.TrainSessions, Is.EqualTo(plain.TrainSessions));
        Assert.That(none.TestSessions, Is.EqualTo(plain.TestSessions));
        Assert.That(none.HoldoutTestSessions, Is.Empty);
        Assert.That(() => QacSplit.ByTimeAndUser(sessions, 0.8, 1.0, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new QacDataOptions { HoldoutUsers = -0.1 }, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("HoldoutUsers"));
    }
}
