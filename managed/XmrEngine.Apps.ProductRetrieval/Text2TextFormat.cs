using System.Globalization;
using System.Text;
using XmrEngine.IO;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// PECOS text2text files. A query file has one query per line, <c>id1,id2&lt;TAB&gt;query text</c>: the ids are
/// the relevant items, 0-based line numbers of the items file, which holds one item text per line.
/// <list type="bullet">
/// <item>Invalid UTF-8 is replaced by U+FFFD, never an error: a few bad bytes cost a few characters.</item>
/// <item>Query files: blank (empty or white-space) lines are skipped; a line without a tab, an empty,
/// non-numeric or out-of-range item id is an <see cref="XmrDataException"/> naming the file and line. Repeated
/// ids count once. The query text is everything after the first tab and may be empty.</item>
/// <item>An id may carry a relevance, <c>id:relevance</c> or PECOS's <c>id:value:relevance</c> (the value is not
/// used): a positive number that weighs the pair in training (<see cref="LabeledQuery.Relevances"/>); ids without
/// one in such a line count 1, and a repeated id sums its relevances.</item>
/// <item>Items files: every line is an item, blank ones included (so line number = id stays true); a file
/// with no line at all is an error.</item>
/// <item>Lines end at <c>'\n'</c> (a trailing <c>'\r'</c> is dropped); lines of any length work.</item>
/// </list>
/// </summary>
public static class Text2TextFormat
{
    /// <summary>The item texts of an items file; the index is the item id.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="XmrDataException">The file has no lines.</exception>
    public static string[] ReadItems(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var items = new List<string>();
        using (var reader = TextLineReader.Open(path))
        {
            while (reader.TryReadLine(out var line)) items.Add(line);
        }
        if (items.Count == 0) throw new XmrDataException(path, null, null, null, "the items file is empty; it needs one item text per line");
        return [.. items];
    }

    /// <summary>The labeled queries of a query file, in file order (blank lines skipped).</summary>
    /// <param name="path">The file.</param>
    /// <param name="itemCount">Number of items; ids must lie in [0, itemCount).</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="XmrDataException">A malformed line; the message names the file, line and problem.</exception>
    public static List<LabeledQuery> ReadQueries(string path, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(itemCount);
        var queries = new List<LabeledQuery>();
        using var reader = TextLineReader.Open(path);
        while (reader.TryReadLine(out var line))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            queries.Add(ParseLine(line, itemCount, path, reader.LineNumber));
        }
        return queries;
    }

    /// <summary>
    /// The lines of a stream (e.g. standard input), each handed over as soon as its newline arrives; decoding as
    /// for files. The stream is disposed when the enumeration ends.
    /// </summary>
    public static IEnumerable<string> ReadLines(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Core();

        IEnumerable<string> Core()
        {
            using var reader = new TextLineReader(stream);
            while (reader.TryReadLine(out var line)) yield return line;
        }
    }

    /// <summary>The lines of a UTF-8 file (decoding as for <see cref="ReadLines(Stream)"/>).</summary>
    /// <exception cref="FileNotFoundException">No such file (thrown at once).</exception>
    public static IEnumerable<string> ReadLines(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        return ReadLines(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
    }

    /// <summary>Parses one non-blank query line.</summary>
    internal static LabeledQuery ParseLine(string line, int itemCount, string path, long lineNumber)
    {
        int tab = line.IndexOf('\t');
        if (tab < 0)
            throw new XmrDataException(path, lineNumber, null, "tab",
                "no tab found; expected 'id1,id2<TAB>query text' (item ids, a tab, then the query)");
        var ids = new List<int>();
        List<float>? relevances = null;
        var idsPart = line.AsSpan(0, tab);
        int position = 0;
        foreach (var range in idsPart.Split(','))
        {
            position++;
            var token = idsPart[range].Trim();
            float relevance = 1f;
            int colon = token.IndexOf(':');
            if (colon >= 0)
            {
                // "id:relevance", or PECOS's "id:value:relevance" (the value is not used, as in PECOS).
                relevance = ParseRelevance(token[(colon + 1)..], path, lineNumber, position);
                relevances ??= [.. Enumerable.Repeat(1f, ids.Count)];
                token = token[..colon].Trim();
            }
            if (token.IsEmpty)
                throw new XmrDataException(path, lineNumber, null, $"item id {position}",
                    idsPart.Trim().IsEmpty ? "the line has no item ids before the tab" : "empty item id (two commas in a row, or a trailing comma)");
            if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                bool digits = token.IndexOfAnyExceptInRange('0', '9') < 0;
                throw new XmrDataException(path, lineNumber, null, $"item id {position}", digits
                    ? $"'{Shorten(token)}' is too large (item ids run from 0 to {itemCount - 1})"
                    : $"'{Shorten(token)}' is not a non-negative integer");
            }
            if (id >= itemCount)
                throw new XmrDataException(path, lineNumber, null, $"item id {position}",
                    $"{id} is out of range; there are {itemCount} items (ids 0 to {itemCount - 1})");
            ids.Add(id);
            relevances?.Add(relevance);
        }
        if (relevances is null)
        {
            ids.Sort();
            int distinct = 0;
            for (int i = 0; i < ids.Count; i++)
                if (i == 0 || ids[i] != ids[i - 1]) ids[distinct++] = ids[i];
            return new LabeledQuery(line[(tab + 1)..], [.. ids.Take(distinct)]);
        }
        // A repeated id sums its relevances, as SciPy sums PECOS's duplicate entries.
        var summed = new SortedDictionary<int, double>();
        for (int i = 0; i < ids.Count; i++) summed[ids[i]] = summed.GetValueOrDefault(ids[i]) + relevances[i];
        return new LabeledQuery(line[(tab + 1)..], [.. summed.Keys]) { Relevances = [.. summed.Values.Select(v => (float)v)] };
    }

    /// <summary>The relevance after an id's colon: the last colon-separated field, a positive finite number.</summary>
    private static float ParseRelevance(ReadOnlySpan<char> fields, string path, long lineNumber, int position)
    {
        int last = fields.LastIndexOf(':');
        var text = (last >= 0 ? fields[(last + 1)..] : fields).Trim();
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !(value > 0) || !float.IsFinite(value))
            throw new XmrDataException(path, lineNumber, null, $"relevance of item id {position}",
                $"'{Shorten(text)}' is not a positive number (expected 'id:relevance' or 'id:value:relevance')");
        return value;
    }

    /// <summary>Writes a query file atomically; tabs and line breaks inside query texts become spaces.</summary>
    public static void WriteQueries(string path, IEnumerable<LabeledQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        WriteLines(path, queries.Select(q => string.Join(',', q.ItemIds.Select((id, k) => q.Relevances is null
            ? id.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{id}:{q.Relevances[k]:R}"))) + "\t" + OneLine(q.Text)));
    }

    /// <summary>Writes an items file atomically, one text per line; tabs and line breaks become spaces.</summary>
    public static void WriteItems(string path, IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        WriteLines(path, items.Select(OneLine));
    }

    /// <summary>The text with tabs, carriage returns and newlines replaced by spaces, so it fits in one field.</summary>
    internal static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().IndexOfAny('\t', '\r', '\n') < 0 ? text : text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
    }

    private static void WriteLines(string path, IEnumerable<string> lines)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            foreach (var line in lines)
            {
                writer.Write(line);
                writer.Write('\n');
            }
        });
    }

    private static string Shorten(ReadOnlySpan<char> token) => token.Length <= 24 ? token.ToString() : token[..21].ToString() + "...";
}
