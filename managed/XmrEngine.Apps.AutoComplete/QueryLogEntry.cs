namespace XmrEngine.Apps.AutoComplete;

/// <summary>One logged query after cleaning.</summary>
/// <param name="UserId">Who issued it (an AOL user id, or the first column of a TSV log).</param>
/// <param name="Time">When it was issued.</param>
/// <param name="Query">The cleaned query text (see <see cref="QueryText.Clean"/>); never empty.</param>
internal readonly record struct QueryLogEntry(string UserId, DateTime Time, string Query);
