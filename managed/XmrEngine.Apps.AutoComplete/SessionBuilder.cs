namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Cuts each user's queries into sessions: queries are ordered by time (stable, so equal times keep log
/// order), a new session starts after a gap longer than <c>gap</c>, and a query equal to the one just
/// before it in the same session is dropped (repeated submissions, paging).
/// </summary>
internal static class SessionBuilder
{
    /// <summary>The usual session gap of query-log studies: 30 minutes.</summary>
    public static TimeSpan DefaultGap { get; } = TimeSpan.FromMinutes(30);

    /// <summary>Sessions of every user, users in ordinal id order, each user's sessions in time order.</summary>
    /// <param name="entries">Cleaned log entries in any order.</param>
    /// <param name="gap">A gap strictly longer than this starts a new session; must be positive.</param>
    public static List<QuerySession> Build(IEnumerable<QueryLogEntry> entries, TimeSpan gap)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (gap <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(gap), gap, "The session gap must be positive.");
        var byUser = new SortedDictionary<string, List<QueryLogEntry>>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (!byUser.TryGetValue(e.UserId, out var list)) byUser[e.UserId] = list = [];
            list.Add(e);
        }
        var sessions = new List<QuerySession>();
        foreach (var (user, list) in byUser)
        {
            // OrderBy is stable: queries logged at the same second keep their log order.
            var ordered = list.OrderBy(e => e.Time).ToList();
            var queries = new List<string>();
            DateTime start = default, last = default;
            foreach (var e in ordered)
            {
                if (queries.Count > 0 && e.Time - last > gap)
                {
                    sessions.Add(new QuerySession(user, start, queries.ToArray()));
                    queries.Clear();
                }
                if (queries.Count == 0) start = e.Time;
                if (queries.Count == 0 || !string.Equals(queries[^1], e.Query, StringComparison.Ordinal)) queries.Add(e.Query);
                last = e.Time;
            }
            if (queries.Count > 0) sessions.Add(new QuerySession(user, start, queries.ToArray()));
        }
        return sessions;
    }

    /// <summary>The (previous, next) pairs of consecutive queries of each session, in session order.</summary>
    public static List<QueryPair> Pairs(IEnumerable<QuerySession> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var pairs = new List<QueryPair>();
        foreach (var s in sessions)
            for (int i = 1; i < s.Queries.Count; i++) pairs.Add(new QueryPair(s.Queries[i - 1], s.Queries[i]));
        return pairs;
    }
}
