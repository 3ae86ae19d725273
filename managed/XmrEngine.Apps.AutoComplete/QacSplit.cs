namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// A time split of sessions: sessions are ordered by (start time, user id, position), the earliest
/// <c>floor(TrainFraction x n)</c> (at least one, and leaving at least one for testing when there are two
/// or more) train, the rest test. Pairs never cross sessions, so no pair straddles the split.
/// <para>
/// With <see cref="QacDataOptions.HoldoutUsers"/> f &gt; 0, a seeded <c>floor(f x users)</c> of the users are
/// held out: none of their sessions train, and their sessions in the test period form
/// <see cref="HoldoutTestSessions"/>, the user-disjoint test set; <see cref="TrainSessions"/> and
/// <see cref="TestSessions"/> then hold the other users' sessions only. The time boundary is the same for both.
/// </para>
/// </summary>
public sealed class QacSplit
{
    /// <summary>Sessions used for training, earliest first.</summary>
    public IReadOnlyList<QuerySession> TrainSessions { get; }

    /// <summary>Sessions used for testing, earliest first.</summary>
    public IReadOnlyList<QuerySession> TestSessions { get; }

    /// <summary>Consecutive-query pairs of the training sessions.</summary>
    public IReadOnlyList<QueryPair> TrainPairs { get; }

    /// <summary>Consecutive-query pairs of the test sessions.</summary>
    public IReadOnlyList<QueryPair> TestPairs { get; }

    /// <summary>Test-period sessions of the held-out users (empty without a holdout), earliest first.</summary>
    public IReadOnlyList<QuerySession> HoldoutTestSessions { get; }

    /// <summary>Consecutive-query pairs of <see cref="HoldoutTestSessions"/>.</summary>
    public IReadOnlyList<QueryPair> HoldoutTestPairs { get; }

    /// <summary>Number of users held out of training.</summary>
    public int HoldoutUserCount { get; }

    /// <summary>Start of the first test session (every training session starts no later).</summary>
    public DateTime? TestStart => TestSessions.Count > 0 ? TestSessions[0].Start : null;

    private QacSplit(List<QuerySession> train, List<QuerySession> test, List<QuerySession> holdoutTest, int holdoutUsers)
    {
        TrainSessions = train;
        TestSessions = test;
        HoldoutTestSessions = holdoutTest;
        HoldoutUserCount = holdoutUsers;
        TrainPairs = SessionBuilder.Pairs(train);
        TestPairs = SessionBuilder.Pairs(test);
        HoldoutTestPairs = SessionBuilder.Pairs(holdoutTest);
    }

    /// <summary>Splits <paramref name="sessions"/> by start time.</summary>
    /// <exception cref="ArgumentException">There are no sessions.</exception>
    public static QacSplit ByTime(IReadOnlyList<QuerySession> sessions, double trainFraction)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        if (sessions.Count == 0) throw new ArgumentException("There are no sessions to split.", nameof(sessions));
        if (trainFraction is not (> 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "Must be in (0, 1).");
        var order = Enumerable.Range(0, sessions.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int c = sessions[a].Start.CompareTo(sessions[b].Start);
            if (c == 0) c = string.CompareOrdinal(sessions[a].UserId, sessions[b].UserId);
            return c != 0 ? c : a.CompareTo(b);
        });
        int n = sessions.Count;
        int train = (int)Math.Floor(trainFraction * n);
        train = Math.Clamp(train, 1, Math.Max(1, n - 1));
        return new QacSplit(order[..train].Select(i => sessions[i]).ToList(), order[train..].Select(i => sessions[i]).ToList(), [], 0);
    }

    /// <summary>
    /// <see cref="ByTime"/>, then <c>floor(holdoutUsers x users)</c> users chosen by <paramref name="seed"/> are taken
    /// out of training; their test-period sessions become <see cref="HoldoutTestSessions"/>.
    /// </summary>
    /// <exception cref="ArgumentException">There are no sessions, or holding out that many users leaves no training session.</exception>
    public static QacSplit ByTimeAndUser(IReadOnlyList<QuerySession> sessions, double trainFraction, double holdoutUsers, int seed)
    {
        var byTime = ByTime(sessions, trainFraction);
        if (holdoutUsers is not (>= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(holdoutUsers), holdoutUsers, "Must be in [0, 1).");
        if (holdoutUsers == 0) return byTime;
        var held = HeldOutUsers(sessions.Select(s => s.UserId), holdoutUsers, seed);
        var train = byTime.TrainSessions.Where(s => !held.Contains(s.UserId)).ToList();
        if (train.Count == 0) throw new ArgumentException($"Holding out {held.Count} users leaves no training session.", nameof(holdoutUsers));
        return new QacSplit(train, byTime.TestSessions.Where(s => !held.Contains(s.UserId)).ToList(),
            byTime.TestSessions.Where(s => held.Contains(s.UserId)).ToList(), held.Count);
    }

    /// <summary>
    /// The users ranked lowest by a seeded 64-bit hash of their id, <c>floor(fraction x users)</c> of them: the same
    /// ids for the same seed whatever order the log lists them in, and a different draw for another seed.
    /// </summary>
    internal static HashSet<string> HeldOutUsers(IEnumerable<string> userIds, double fraction, int seed)
    {
        var users = userIds.Distinct(StringComparer.Ordinal).ToArray();
        int count = (int)Math.Floor(fraction * users.Length);
        var keys = users.Select(u => (Hash: SeededHash(u, seed), Id: u)).OrderBy(k => k.Hash).ThenBy(k => k.Id, StringComparer.Ordinal);
        return keys.Take(count).Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
    }

    private static ulong SeededHash(string id, int seed)
    {
        // FNV-1a over the UTF-16 code units, then a SplitMix64 finaliser mixed with the seed.
        ulong h = 14695981039346656037UL;
        foreach (char c in id) h = (h ^ c) * 1099511628211UL;
        ulong z = h + 0x9E3779B97F4A7C15UL * (ulong)(uint)seed + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Reads a log (<see cref="QueryLogReader.Read"/>), cuts sessions and splits them.</summary>
    public static QacSplit Load(string path, QacDataOptions options, QueryLogStats? stats = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        IEnumerable<QueryLogEntry> entries = QueryLogReader.Read(path, stats);
        if (options.MaxUsers > 0)
        {
            var keep = entries.Select(e => e.UserId).Distinct().Order(StringComparer.Ordinal).Take(options.MaxUsers).ToHashSet(StringComparer.Ordinal);
            entries = entries.Where(e => keep.Contains(e.UserId));
        }
        var sessions = SessionBuilder.Build(entries, options.SessionGap);
        if (sessions.Count == 0) throw new IO.XmrDataException(path, null, null, null, "the log holds no non-empty queries");
        return ByTimeAndUser(sessions, options.TrainFraction, options.HoldoutUsers, options.Seed);
    }
}
