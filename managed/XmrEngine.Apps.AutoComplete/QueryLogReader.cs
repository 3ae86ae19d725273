using System.Globalization;
using XmrEngine.IO;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Reads query logs in two layouts and returns cleaned entries (see <see cref="QueryText.Clean"/>):
/// <list type="bullet">
/// <item><b>AOL users directory</b>: one file per user, the file name without extension is the user id.
/// A record is a line <c>query&lt;TAB&gt;YYYY-MM-DD HH:MM:SS</c>, followed by zero or more clicked-URL lines
/// (no tab), then a blank line. The query is everything before the last tab.</item>
/// <item><b>TSV file</b>: <c>session_or_user_id&lt;TAB&gt;timestamp&lt;TAB&gt;query</c> per line (the query may
/// itself contain tabs). Blank lines are ignored; the first line is skipped as a header when its timestamp
/// does not parse.</item>
/// </list>
/// Timestamps are <c>YYYY-MM-DD HH:MM:SS</c>, ISO 8601 (<c>YYYY-MM-DDTHH:MM:SS</c>) or integer Unix
/// seconds. Records whose query is empty after cleaning are skipped and counted in <see cref="QueryLogStats"/>.
/// Anything else that does not fit is an <see cref="XmrDataException"/> naming the file and the 1-based line.
/// Files are UTF-8; invalid bytes become U+FFFD; a trailing <c>\r</c> is dropped.
/// </summary>
internal static class QueryLogReader
{
    private static readonly string[] TimeFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm"];

    /// <summary>Reads <paramref name="path"/>: an AOL users directory when it is a directory, a TSV log otherwise.</summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="XmrDataException">A malformed line; the message names file and line.</exception>
    public static List<QueryLogEntry> Read(string path, QueryLogStats? stats = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) return ReadAolDirectory(path, stats);
        if (File.Exists(path)) return ReadTsv(path, stats);
        throw new FileNotFoundException($"{path}: no such query log file or directory.", path);
    }

    /// <summary>Reads every regular file of an AOL users directory, in ordinal file-name order.</summary>
    /// <exception cref="XmrDataException">A malformed line, or the directory holds no files.</exception>
    public static List<QueryLogEntry> ReadAolDirectory(string directory, QueryLogStats? stats = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var files = Directory.GetFiles(directory).Where(f => !Path.GetFileName(f).StartsWith('.')).ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length == 0) throw new XmrDataException(directory, null, null, null, "the AOL users directory holds no files");
        var entries = new List<QueryLogEntry>();
        foreach (var file in files) ReadAolFile(file, Path.GetFileNameWithoutExtension(file), entries, stats);
        return entries;
    }

    /// <summary>Reads one AOL user file and appends its entries to <paramref name="output"/>.</summary>
    /// <exception cref="XmrDataException">A malformed line; the message names the file and the line.</exception>
    public static void ReadAolFile(string path, string userId, List<QueryLogEntry> output, QueryLogStats? stats = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(output);
        if (stats is not null) stats.Files++;
        long lineNo = 0;
        bool inRecord = false;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            string line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length == 0)
            {
                inRecord = false;
                continue;
            }
            int tab = line.LastIndexOf('\t');
            if (tab < 0)
            {
                // A clicked URL belongs to the record above it; anywhere else it is out of place.
                if (!inRecord)
                    throw new XmrDataException(path, lineNo, null, "record", $"expected 'query<TAB>YYYY-MM-DD HH:MM:SS', got '{Shorten(line)}' (no tab)");
                continue;
            }
            var time = ParseTime(line.AsSpan(tab + 1))
                ?? throw new XmrDataException(path, lineNo, null, "timestamp", $"'{Shorten(line[(tab + 1)..])}' is not a timestamp (expected YYYY-MM-DD HH:MM:SS)");
            Add(output, stats, userId, time, line[..tab]);
            inRecord = true;
        }
    }

    /// <summary>Reads a <c>id&lt;TAB&gt;timestamp&lt;TAB&gt;query</c> file.</summary>
    /// <exception cref="XmrDataException">A line with fewer than three fields, an empty id, or a bad timestamp.</exception>
    public static List<QueryLogEntry> ReadTsv(string path, QueryLogStats? stats = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (stats is not null) stats.Files++;
        var entries = new List<QueryLogEntry>();
        long lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            string line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length == 0) continue;
            int first = line.IndexOf('\t');
            int second = first < 0 ? -1 : line.IndexOf('\t', first + 1);
            if (second < 0)
                throw new XmrDataException(path, lineNo, null, "fields", $"expected 'id<TAB>timestamp<TAB>query', got {(first < 0 ? 1 : 2)} field(s)");
            string id = line[..first].Trim();
            var time = ParseTime(line.AsSpan(first + 1, second - first - 1));
            if (time is null)
            {
                if (lineNo == 1)
                {
                    if (stats is not null) stats.HeaderLines++;
                    continue;
                }
                throw new XmrDataException(path, lineNo, null, "timestamp",
                    $"'{Shorten(line[(first + 1)..second])}' is not a timestamp (expected YYYY-MM-DD HH:MM:SS, ISO 8601 or Unix seconds)");
            }
            if (id.Length == 0) throw new XmrDataException(path, lineNo, null, "id", "the session/user id is empty");
            Add(entries, stats, id, time.Value, line[(second + 1)..]);
        }
        return entries;
    }

    /// <summary>Parses one timestamp field; null when it is not one of the accepted forms.</summary>
    public static DateTime? ParseTime(ReadOnlySpan<char> field)
    {
        field = field.Trim();
        if (DateTime.TryParseExact(field, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t;
        if (field.Length > 0 && field.Length <= 12 && long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            && seconds <= 253_402_300_799L)
            return DateTime.UnixEpoch.AddSeconds(seconds);
        return null;
    }

    private static void Add(List<QueryLogEntry> output, QueryLogStats? stats, string user, DateTime time, string rawQuery)
    {
        if (stats is not null) stats.Records++;
        var query = QueryText.Clean(rawQuery);
        if (query is null)
        {
            if (stats is not null) stats.EmptyQueries++;
            return;
        }
        output.Add(new QueryLogEntry(user, time, query));
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
