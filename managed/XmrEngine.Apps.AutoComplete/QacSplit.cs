namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// A time split of sessions: sessions are ordered by (start time, user id, position), the earliest
/// <c>floor(TrainFraction x n)</c> (at least one, and leaving at least one for testing when there are two
/// or more) train, the rest test. Pairs never cross sessions, so no pair straddles the split.
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

    /// <summary>Start of the first test session (every training session starts no later).</summary>
    public DateTime? TestStart => TestSessions.Count > 0 ? TestSessions[0].Start : null;

    private QacSplit(List<QuerySession> train, List<QuerySession> test)
    {
        TrainSessions = train;
        TestSessions = test;
        TrainPairs = SessionBuilder.Pairs(train);
        TestPairs = SessionBuilder.Pairs(test);
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
        return new QacSplit(order[..train].Select(i => sessions[i]).ToList(), order[train..].Select(i => sessions[i]).ToList());
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
        return ByTime(sessions, options.TrainFraction);
    }
}
