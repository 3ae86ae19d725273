using System.Globalization;
using System.Text;
using XmrEngine.IO;

namespace XmrEngine.Text;

/// <summary>
/// A small reader for the Reuters-21578 SGML files (<c>reut2-000.sgm</c> ... <c>reut2-021.sgm</c>). The files
/// are read as Latin-1, so every byte maps to a character and odd bytes never fail decoding. Only the parts
/// the engine uses are parsed: the NEWID, LEWISSPLIT and TOPICS attributes, the TOPICS codes, TITLE and BODY.
/// </summary>
internal static class ReutersCorpus
{
    /// <summary>Reads every <c>reut2-*.sgm</c> file of a directory, in ordinal file-name order.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="XmrDataException">A file is malformed; the message names the file and line.</exception>
    public static IReadOnlyList<ReutersDocument> ReadDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: no such directory.");
        var files = Directory.GetFiles(directory, "reut2-*.sgm");
        Array.Sort(files, StringComparer.Ordinal);
        var all = new List<ReutersDocument>();
        foreach (var f in files) all.AddRange(ReadFile(f));
        return all;
    }

    /// <summary>Reads one SGML file.</summary>
    /// <exception cref="XmrDataException">The file is malformed; the message names the file and line.</exception>
    public static IReadOnlyList<ReutersDocument> ReadFile(string path) => Parse(File.ReadAllText(path, Encoding.Latin1), path);

    /// <summary>Parses SGML text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="XmrDataException">An article is unterminated or has a bad attribute.</exception>
    public static IReadOnlyList<ReutersDocument> Parse(string sgml, string source)
    {
        ArgumentNullException.ThrowIfNull(sgml);
        var docs = new List<ReutersDocument>();
        int pos = 0;
        while (true)
        {
            int open = sgml.IndexOf("<REUTERS", pos, StringComparison.Ordinal);
            if (open < 0) break;
            int tagEnd = sgml.IndexOf('>', open);
            int close = sgml.IndexOf("</REUTERS>", open, StringComparison.Ordinal);
            if (tagEnd < 0 || close < 0)
                throw new XmrDataException(source, LineOf(sgml, open), null, "<REUTERS>", "is not terminated.");
            string tag = sgml[open..(tagEnd + 1)];
            string article = sgml[(tagEnd + 1)..close];
            string newIdText = Attribute(tag, "NEWID")
                ?? throw new XmrDataException(source, LineOf(sgml, open), null, "NEWID", "<REUTERS> has no NEWID attribute.");
            if (!int.TryParse(newIdText, NumberStyles.None, CultureInfo.InvariantCulture, out int newId))
                throw new XmrDataException(source, LineOf(sgml, open), null, "NEWID", $"\"{newIdText}\" is not a number.");
            docs.Add(new ReutersDocument(
                newId,
                Attribute(tag, "LEWISSPLIT") ?? "",
                Attribute(tag, "TOPICS") == "YES",
                Codes(Element(article, "TOPICS")),
                Clean(Element(article, "TITLE")),
                Clean(Element(article, "BODY"))));
            pos = close + "</REUTERS>".Length;
        }
        return docs;
    }

    private static string? Attribute(string tag, string name)
    {
        string key = " " + name + "=\"";
        int at = tag.IndexOf(key, StringComparison.Ordinal);
        if (at < 0) return null;
        int start = at + key.Length;
        int end = tag.IndexOf('"', start);
        return end < 0 ? null : tag[start..end];
    }

    /// <summary>The raw content of the first element with this name, or empty when absent.</summary>
    private static string Element(string article, string name)
    {
        int open = article.IndexOf("<" + name + ">", StringComparison.Ordinal);
        if (open < 0) return "";
        int start = open + name.Length + 2;
        int end = article.IndexOf("</" + name + ">", start, StringComparison.Ordinal);
        return end < 0 ? article[start..] : article[start..end];
    }

    private static List<string> Codes(string list)
    {
        var codes = new List<string>();
        int pos = 0;
        while (true)
        {
            int open = list.IndexOf("<D>", pos, StringComparison.Ordinal);
            if (open < 0) break;
            int end = list.IndexOf("</D>", open, StringComparison.Ordinal);
            if (end < 0) break;
            codes.Add(Clean(list[(open + 3)..end]));
            pos = end + 4;
        }
        return codes;
    }

    /// <summary>Decodes SGML entities and drops control characters other than tab and newline.</summary>
    private static string Clean(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '&')
            {
                int semi = raw.IndexOf(';', i + 1);
                if (semi > i && semi - i <= 8 && Entity(raw.AsSpan(i + 1, semi - i - 1)) is int code)
                {
                    Append(sb, (char)code);
                    i = semi;
                    continue;
                }
            }
            Append(sb, c);
        }
        return sb.ToString().Trim();
    }

    private static void Append(StringBuilder sb, char c)
    {
        if (c >= ' ' || c == '\n' || c == '\t') sb.Append(c);
    }

    private static int? Entity(ReadOnlySpan<char> name) => name switch
    {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ when name.Length > 1 && name[0] == '#'
               && int.TryParse(name[1..], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= 0xFF => n,
        _ => null,
    };

    private static int LineOf(string text, int offset) => text.AsSpan(0, offset).Count('\n') + 1;
}
