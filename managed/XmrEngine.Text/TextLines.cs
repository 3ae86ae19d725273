using System.Text;

namespace XmrEngine.Text;

/// <summary>Reads a text file as one document per line, lazily and with bounded memory.</summary>
internal static class TextLines
{
    /// <summary>
    /// The lines of a UTF-8 file (a byte-order mark is skipped). Lines end at <c>'\n'</c> only, with one
    /// trailing <c>'\r'</c> removed, so a stray carriage return inside a line never splits a document; a final
    /// line without a newline is returned, a file ending in a newline has no extra empty line. Invalid UTF-8
    /// is replaced by U+FFFD (one per invalid sequence) rather than failing, so a few bad bytes cost a few
    /// characters, not the run. Lines of any length are read in linear time.
    /// </summary>
    /// <exception cref="FileNotFoundException">Thrown at once, not on first enumeration.</exception>
    public static IEnumerable<string> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        return ReadCore(path);
    }

    private static IEnumerable<string> ReadCore(string path)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false),
            detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        var buffer = new char[1 << 16];
        var line = new StringBuilder();
        bool first = true;
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            int start = 0;
            if (first)
            {
                if (buffer[0] == '\uFEFF') start = 1;
                first = false;
            }
            while (true)
            {
                int nl = buffer.AsSpan(start, n - start).IndexOf('\n');
                if (nl < 0) break;
                line.Append(buffer, start, nl);
                yield return Take(line);
                start += nl + 1;
            }
            line.Append(buffer, start, n - start);
        }
        if (line.Length > 0) yield return Take(line);
    }

    private static string Take(StringBuilder line)
    {
        int length = line.Length;
        if (length > 0 && line[length - 1] == '\r') length--;
        string s = line.ToString(0, length);
        line.Clear();
        return s;
    }
}
