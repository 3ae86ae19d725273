using XmrEngine.Apps.AutoComplete;

namespace XmrEngine.Tests.Apps.AutoComplete;

public class MostPopularCompleterTests
{
    /// <summary>The oracle: scan everything, filter by prefix, sort by (count desc, ordinal).</summary>
    private static string[] BruteForce(string[] queries, int[] counts, string prefix, int k) =>
        Enumerable.Range(0, queries.Length)
            .Where(i => queries[i].StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(i => counts[i]).ThenBy(i => queries[i], StringComparer.Ordinal)
            .Take(k).Select(i => queries[i]).ToArray();

    [Test]
    public void HandExample()
    {
        string[] q = ["ebay", "ebay motors", "espn", "ebay.com", "yahoo"];
        int[] c = [10, 3, 7, 3, 9];
        var mpc = new MostPopularCompleter(q, c, listSize: 2);
        Assert.That(mpc.Complete("e").Select(i => q[i]), Is.EqualTo(new[] { "ebay", "espn" }));
        Assert.That(mpc.Complete("eb").Select(i => q[i]), Is.EqualTo(new[] { "ebay", "ebay motors" }), "tie 3/3 broken by ordinal order");
        Assert.That(mpc.Complete("ebay ").Select(i => q[i]), Is.EqualTo(new[] { "ebay motors" }));
        Assert.That(mpc.Complete("").Select(i => q[i]), Is.EqualTo(new[] { "ebay", "yahoo" }));
        Assert.That(mpc.Complete("zz"), Is.Empty);
    }

    [TestCase(1, 3)]
    [TestCase(10, 7)]
    [TestCase(3, 11)]
    public void MatchesBruteForceOnRandomQueries(int listSize, int seed)
    {
        var rng = new Random(seed);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (set.Count < 2000)
        {
            int len = rng.Next(1, 9);
            set.Add(new string(Enumerable.Range(0, len).Select(_ => "abc d"[rng.Next(5)]).ToArray()).Trim() is { Length: > 0 } s ? s : "a");
        }
        var queries = set.ToArray();
        rng.Shuffle(queries);
        var counts = queries.Select(_ => rng.Next(1, 6)).ToArray();
        var mpc = new MostPopularCompleter(queries, counts, listSize);
        var prefixes = queries.SelectMany(q => Enumerable.Range(0, q.Length + 1).Select(n => q[..n])).Distinct().Concat(["zz", "ad x", "e"]);
        foreach (var prefix in prefixes)
            Assert.That(mpc.Complete(prefix).Select(i => queries[i]), Is.EqualTo(BruteForce(queries, counts, prefix, listSize)), $"prefix '{prefix}'");
    }

    [TestCase(1, 3, 2)]
    [TestCase(10, 7, 3)]
    [TestCase(3, 11, 5)]
    public void QueriesBelowTheMinimumCountAreNeverOffered(int listSize, int seed, int minCount)
    {
        var rng = new Random(seed);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (set.Count < 2000)
        {
            int len = rng.Next(1, 9);
            set.Add(new string(Enumerable.Range(0, len).Select(_ => "abc d"[rng.Next(5)]).ToArray()).Trim() is { Length: > 0 } s ? s : "a");
        }
        var queries = set.ToArray();
        var counts = queries.Select(_ => rng.Next(1, 6)).ToArray();
        var mpc = new MostPopularCompleter(queries, counts, listSize, minCount);
        Assert.That(mpc.MinCount, Is.EqualTo(minCount));
        // The oracle over only the queries seen often enough; ids stay those of the full list.
        var kept = Enumerable.Range(0, queries.Length).Where(i => counts[i] >= minCount).ToArray();
        var keptQueries = kept.Select(i => queries[i]).ToArray();
        var keptCounts = kept.Select(i => counts[i]).ToArray();
        var prefixes = queries.SelectMany(q => Enumerable.Range(0, q.Length + 1).Select(n => q[..n])).Distinct().Concat(["zz", "e"]);
        foreach (var prefix in prefixes)
            Assert.That(mpc.Complete(prefix).Select(i => queries[i]), Is.EqualTo(BruteForce(keptQueries, keptCounts, prefix, listSize)), $"prefix '{prefix}'");
        Assert.Throws<ArgumentOutOfRangeException>(() => new MostPopularCompleter(queries, counts, listSize, 0));
    }

    [Test]
    public void FromQueriesCountsRepeats()
    {
        var mpc = MostPopularCompleter.FromQueries(["b", "a", "b", "ab", "b", "ab"], 10, out var distinct);
        Assert.That(distinct, Is.EqualTo(new[] { "a", "ab", "b" }));
        Assert.That(mpc.Complete("").Select(i => distinct[i]), Is.EqualTo(new[] { "b", "ab", "a" }));
        Assert.That(mpc.Complete("a").Select(i => distinct[i]), Is.EqualTo(new[] { "ab", "a" }));
    }

    [Test]
    public void RejectsBadInput()
    {
        Assert.Throws<ArgumentException>(() => new MostPopularCompleter(["a", "a"], [1, 1]));
        Assert.Throws<ArgumentException>(() => new MostPopularCompleter(["a", ""], [1, 1]));
        Assert.Throws<ArgumentException>(() => new MostPopularCompleter(["a"], [0]));
        Assert.Throws<ArgumentException>(() => new MostPopularCompleter(["a"], [1, 2]));
    }
}
