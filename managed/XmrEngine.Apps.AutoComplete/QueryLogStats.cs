namespace XmrEngine.Apps.AutoComplete;

/// <summary>What <see cref="QueryLogReader"/> read and what it skipped (every skip is counted, never silent).</summary>
public sealed class QueryLogStats
{
    /// <summary>Files read.</summary>
    public int Files { get; internal set; }

    /// <summary>Query records read (before dropping empty ones).</summary>
    public long Records { get; internal set; }

    /// <summary>Records whose query was empty after cleaning; they are skipped.</summary>
    public long EmptyQueries { get; internal set; }

    /// <summary>Header lines skipped (TSV only: a first line whose timestamp field does not parse).</summary>
    public int HeaderLines { get; internal set; }

    /// <summary>A one-line summary for logs.</summary>
    public override string ToString() =>
        $"{Files} file(s), {Records:N0} records, {EmptyQueries:N0} empty queries skipped, {HeaderLines} header line(s) skipped";
}
