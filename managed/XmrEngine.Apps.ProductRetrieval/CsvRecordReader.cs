using System.Text;
using XmrEngine.IO;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// RFC 4180 CSV records from a byte buffer: comma-separated fields, optionally in double quotes, a doubled quote
/// inside quotes is a literal quote, and quoted fields may hold commas and line breaks. Records end at
/// <c>'\n'</c> outside quotes (a <c>'\r'</c> before it is dropped). Each field is decoded as UTF-8 when it is valid
/// UTF-8 and as Latin-1 otherwise, so files mixing the two encodings (as exported spreadsheets often do) read
/// without replacement characters.
/// </summary>
internal sealed class CsvRecordReader(byte[] data, string path)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly List<byte> _field = new();
    private int _position = data.Length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
    private long _line = 1;

    /// <summary>1-based line on which the record most recently returned starts.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/> (cleared first); false at the end.</summary>
    /// <exception cref="XmrDataException">A quoted field is not closed, or text follows a closing quote.</exception>
    public bool TryRead(List<string> fields)
    {
        fields.Clear();
        if (_position >= data.Length) return false;
        RecordLine = _line;
        while (true)
        {
            _field.Clear();
            byte end = _position < data.Length && data[_position] == (byte)'"' ? ReadQuoted() : ReadPlain();
            fields.Add(Decode());
            if (end != (byte)',') return true;
        }
    }

    /// <summary>Reads an unquoted field; returns the byte that ended it (',' or '\n'; 0 at the end of the data).</summary>
    private byte ReadPlain()
    {
        while (_position < data.Length)
        {
            byte b = data[_position++];
            if (b == (byte)',') return b;
            if (b == (byte)'\n')
            {
                _line++;
                if (_field.Count > 0 && _field[^1] == (byte)'\r') _field.RemoveAt(_field.Count - 1);
                return b;
            }
            _field.Add(b);
        }
        if (_field.Count > 0 && _field[^1] == (byte)'\r') _field.RemoveAt(_field.Count - 1);
        return 0;
    }

    private byte ReadQuoted()
    {
        long startLine = _line;
        _position++;
        while (true)
        {
            if (_position >= data.Length)
                throw new XmrDataException(path, startLine, null, "quoted field", "the closing quote is missing (the field runs to the end of the file)");
            byte b = data[_position++];
            if (b == (byte)'"')
            {
                if (_position < data.Length && data[_position] == (byte)'"')
                {
                    _field.Add(b);
                    _position++;
                    continue;
                }
                break;
            }
            if (b == (byte)'\n') _line++;
            _field.Add(b);
        }
        if (_position >= data.Length) return 0;
        byte next = data[_position++];
        if (next == (byte)'\r' && _position < data.Length && data[_position] == (byte)'\n') next = data[_position++];
        if (next == (byte)'\n') _line++;
        if (next is (byte)',' or (byte)'\n') return next;
        throw new XmrDataException(path, _line, null, "quoted field", $"unexpected character '{(char)next}' after a closing quote (expected a comma or the end of the line)");
    }

    private string Decode()
    {
        var bytes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_field);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }
}
