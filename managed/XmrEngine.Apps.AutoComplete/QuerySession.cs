namespace XmrEngine.Apps.AutoComplete;

/// <summary>A user's run of queries with no gap longer than the session gap, consecutive duplicates removed.</summary>
/// <param name="UserId">The user (or TSV session id).</param>
/// <param name="Start">Time of the first query.</param>
/// <param name="Queries">The cleaned queries in time order; no two neighbours are equal.</param>
public sealed record QuerySession(string UserId, DateTime Start, IReadOnlyList<string> Queries);
