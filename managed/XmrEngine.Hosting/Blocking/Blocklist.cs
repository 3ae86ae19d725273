using System.Text;
using XmrEngine.IO;

namespace XmrEngine.Hosting.Blocking;

/// <summary>
/// Blocked words and phrases, matched as whole words on normalised text: both the entries and the answers are lower-cased
/// and split into words (runs of letters and digits; everything else separates), and an answer is blocked when an
/// entry's words appear in it consecutively. So <c>adult</c> blocks "adult site" and "adult-videos.com" but not
/// "adulthood", and <c>free money</c> blocks "get free money now" but not "money for free". Immutable and thread-safe.
/// </summary>
internal sealed class Blocklist
{
    /// <summary>The list that blocks nothing.</summary>
    public static readonly Blocklist Empty = new([]);

    // Entries by their first word, so a check looks only at the entries that can start at each word of the text.
    private readonly Dictionary<string, string[][]> _byFirstWord;

    private Blocklist(IEnumerable<string[]> entries)
    {
        _byFirstWord = entries.GroupBy(e => e[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        Count = _byFirstWord.Values.Sum(v => v.Length);
    }

    /// <summary>How many entries the list holds.</summary>
    public int Count { get; }

    /// <summary>True when one of the entries appears in <paramref name="text"/> as whole words.</summary>
    public bool Blocks(string text)
    {
        if (Count == 0) return false;
        var words = Words(text);
        for (int start = 0; start < words.Count; start++)
        {
            if (!_byFirstWord.TryGetValue(words[start], out var candidates)) continue;
            foreach (var entry in candidates)
                if (start + entry.Length <= words.Count && Matches(words, start, entry)) return true;
        }
        return false;
    }

    private static bool Matches(List<string> words, int start, string[] entry)
    {
        for (int i = 1; i < entry.Length; i++)
            if (!string.Equals(words[start + i], entry[i], StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary>
    /// Reads a blocklist file: UTF-8 text, one word or phrase per line; blank lines and lines starting with '#' are
    /// skipped.
    /// </summary>
    /// <exception cref="XmrDataException">The file is missing, unreadable, not UTF-8, or a line has no letter or digit
    /// (it would block nothing, so it is a mistake); the message names the file and the line.</exception>
    public static Blocklist Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XmrDataException(path, null, null, null, e is FileNotFoundException or DirectoryNotFoundException
                ? "no such file" : $"cannot be read: {e.Message}", e);
        }
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new XmrDataException(path, null, null, null, "not UTF-8 text", e);
        }
        var entries = new List<string[]>();
        string[] lines = text.TrimStart('\uFEFF').Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var words = Words(line);
            if (words.Count == 0)
                throw new XmrDataException(path, n + 1, null, null, $"'{line}' has no letter or digit, so it would block nothing");
            entries.Add([.. words]);
        }
        return new Blocklist(entries);
    }

    /// <summary>The words of <paramref name="text"/>: lower-cased runs of letters and digits.</summary>
    internal static List<string> Words(string text)
    {
        var words = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i])) i++;
            int start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i])) i++;
            if (i > start) words.Add(text[start..i].ToLowerInvariant());
        }
        return words;
    }
}
