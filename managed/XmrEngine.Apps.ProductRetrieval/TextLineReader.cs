using System.Text;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// Reads UTF-8 text one line at a time with 1-based line numbers, handing each line over as soon as its
/// newline has arrived (so a pipe is answered line by line). Lines end at <c>'\n'</c>, one trailing <c>'\r'</c>
/// is dropped, a byte-order mark at the start is skipped, invalid UTF-8 becomes U+FFFD (one per invalid
/// sequence) and lines of any length are read in linear time.
/// </summary>
internal sealed class TextLineReader : IDisposable
{
    private readonly StreamReader _reader;
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _line = new();
    private int _start;
    private int _end;
    private bool _first = true;
    private bool _eof;

    public TextLineReader(Stream stream, bool leaveOpen = false)
    {
        _reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false),
            detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: leaveOpen);
    }

    /// <summary>1-based number of the line most recently returned.</summary>
    public long LineNumber { get; private set; }

    public static TextLineReader Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        return new TextLineReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
    }

    public bool TryReadLine(out string line)
    {
        while (true)
        {
            int nl = _buffer.AsSpan(_start, _end - _start).IndexOf('\n');
            if (nl >= 0)
            {
                _line.Append(_buffer, _start, nl);
                _start += nl + 1;
                line = Take();
                return true;
            }
            _line.Append(_buffer, _start, _end - _start);
            _start = _end = 0;
            if (_eof || !Fill())
            {
                _eof = true;
                if (_line.Length == 0)
                {
                    line = "";
                    return false;
                }
                line = Take();
                return true;
            }
        }
    }

    private bool Fill()
    {
        int n = _reader.Read(_buffer, 0, _buffer.Length);
        if (n == 0) return false;
        _end = n;
        if (_first)
        {
            _first = false;
            if (_buffer[0] == '\uFEFF') _start = 1;
        }
        return true;
    }

    private string Take()
    {
        LineNumber++;
        int length = _line.Length;
        if (length > 0 && _line[length - 1] == '\r') length--;
        string s = _line.ToString(0, length);
        _line.Clear();
        return s;
    }

    public void Dispose() => _reader.Dispose();
}
