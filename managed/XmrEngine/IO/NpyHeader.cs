using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace XmrEngine.IO;

/// <summary>
/// The header of a <c>.npy</c> array (NPY format versions 1.0, 2.0 and 3.0): magic <c>\x93NUMPY</c>, version,
/// a little-endian header length (2 bytes in 1.0, 4 bytes in 2.0/3.0), then a Python dict literal such as
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>, padded with spaces and ending in '\n'.
/// </summary>
/// <param name="Dtype">The element type.</param>
/// <param name="FortranOrder">Whether a multi-dimensional array is stored column-major.</param>
/// <param name="Shape">The dimensions (empty for a 0-d scalar array).</param>
internal sealed record NpyHeader(NpyDtype Dtype, bool FortranOrder, long[] Shape)
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Largest header text accepted; NumPy itself refuses headers above 10,000 bytes by default.</summary>
    private const int MaxHeaderLength = 1 << 20;

    /// <summary>The readers and writers reinterpret bytes in place, which is only right on little-endian machines.</summary>
    public static void RequireLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("NPY data is read and written in little-endian order; this machine is big-endian.");
    }

    /// <summary>Number of elements (product of the shape; 1 for a 0-d array).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (long d in Shape) n = checked(n * d);
            return n;
        }
    }

    /// <summary>
    /// Reads the header from <paramref name="stream"/>; returns it and the number of bytes it occupied.
    /// Every problem is reported through <paramref name="fail"/>, which must throw.
    /// </summary>
    public static (NpyHeader Header, int Length) Read(Stream stream, Func<string, string, Exception> fail)
    {
        Span<byte> prefix = stackalloc byte[12];
        ReadExactly(stream, prefix[..8], fail, "magic");
        if (!prefix[..6].SequenceEqual(Magic))
            throw fail("magic", "the data does not start with the NPY magic '\\x93NUMPY'.");
        byte major = prefix[6], minor = prefix[7];
        int lengthBytes = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw fail("version", $"NPY format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are)."),
        };
        ReadExactly(stream, prefix.Slice(8, lengthBytes), fail, "header length");
        long headerLength = lengthBytes == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(prefix.Slice(8, 2))
            : BinaryPrimitives.ReadUInt32LittleEndian(prefix.Slice(8, 4));
        if (headerLength > MaxHeaderLength)
            throw fail("header length", $"the header claims {headerLength} bytes, more than the {MaxHeaderLength} accepted.");
        var text = new byte[headerLength];
        ReadExactly(stream, text, fail, "header");
        // Version 3.0 headers are UTF-8; 1.0 and 2.0 are Latin-1. The dict itself is ASCII in practice.
        string dict = major == 3 ? Encoding.UTF8.GetString(text) : Encoding.Latin1.GetString(text);
        var header = Parse(dict, fail);
        return (header, 8 + lengthBytes + (int)headerLength);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, Func<string, string, Exception> fail, string field)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0) throw fail(field, $"the data ends early (needed {buffer.Length} bytes, got {total}).");
            total += read;
        }
    }

    private static NpyHeader Parse(string text, Func<string, string, Exception> fail)
    {
        var p = new PythonLiteralParser(text, fail);
        var dict = p.ParseDictionary();
        if (!dict.TryGetValue("descr", out var descrValue)) throw fail("header", "the key 'descr' is missing.");
        if (!dict.TryGetValue("fortran_order", out var orderValue)) throw fail("header", "the key 'fortran_order' is missing.");
        if (!dict.TryGetValue("shape", out var shapeValue)) throw fail("header", "the key 'shape' is missing.");
        if (descrValue is not string descr)
            throw fail("descr", "structured or non-string dtypes are not supported.");
        if (!NpyDtype.TryParse(descr, out var dtype, out string error)) throw fail("descr", error);
        if (orderValue is not bool fortran) throw fail("fortran_order", "must be True or False.");
        if (shapeValue is not long[] shape) throw fail("shape", "must be a tuple of integers.");
        foreach (long d in shape)
            if (d < 0) throw fail("shape", $"dimension {d} is negative.");
        return new NpyHeader(dtype, fortran, shape);
    }

    /// <summary>The complete header bytes (magic to '\n'), padded so the data starts on a 64-byte boundary.</summary>
    public byte[] ToBytes()
    {
        string shape = Shape.Length switch
        {
            0 => "()",
            1 => $"({Shape[0].ToString(CultureInfo.InvariantCulture)},)",
            _ => "(" + string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
        };
        string dict = $"{{'descr': '{Dtype.Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
        int lengthBytes = dict.Length + 1 + 10 <= ushort.MaxValue ? 2 : 4;
        int prefix = 8 + lengthBytes;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        var bytes = new byte[total];
        Magic.CopyTo(bytes);
        bytes[6] = (byte)(lengthBytes == 2 ? 1 : 2);
        bytes[7] = 0;
        int headerLength = total - prefix;
        if (lengthBytes == 2) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
        Encoding.ASCII.GetBytes(dict, bytes.AsSpan(prefix));
        bytes.AsSpan(prefix + dict.Length, total - prefix - dict.Length - 1).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>
    /// A recursive-descent parser for the small subset of Python literals that NPY headers use: a dict with
    /// string keys whose values are strings, True/False/None, integers, or tuples/lists of integers.
    /// Anything else is rejected rather than guessed at.
    /// </summary>
    private ref struct PythonLiteralParser(string text, Func<string, string, Exception> fail)
    {
        private readonly string _text = text;
        private int _pos;

        public Dictionary<string, object?> ParseDictionary()
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            SkipSpace();
            Expect('{');
            while (true)
            {
                SkipSpace();
                if (Peek() == '}')
                {
                    _pos++;
                    break;
                }
                string key = ParseString();
                SkipSpace();
                Expect(':');
                SkipSpace();
                object? value = ParseValue();
                if (!result.TryAdd(key, value)) throw Fail($"the key '{key}' appears twice.");
                SkipSpace();
                if (Peek() == ',')
                {
                    _pos++;
                    continue;
                }
                SkipSpace();
                Expect('}');
                break;
            }
            SkipSpace();
            if (_pos != _text.Length) throw Fail("unexpected text after the closing '}'.");
            return result;
        }

        private object? ParseValue()
        {
            char c = Peek();
            if (c is '\'' or '"') return ParseString();
            if (c is '(' or '[') return ParseIntegerSequence(c == '(' ? ')' : ']');
            if (c == '-' || char.IsAsciiDigit(c)) return ParseInteger();
            if (TryWord("True")) return true;
            if (TryWord("False")) return false;
            if (TryWord("None")) return null;
            throw Fail($"unsupported value starting with '{c}'.");
        }

        private long[] ParseIntegerSequence(char close)
        {
            _pos++;
            var items = new List<long>();
            while (true)
            {
                SkipSpace();
                if (Peek() == close)
                {
                    _pos++;
                    return [.. items];
                }
                items.Add(ParseInteger());
                SkipSpace();
                if (Peek() == ',')
                {
                    _pos++;
                    continue;
                }
                Expect(close);
                return [.. items];
            }
        }

        private long ParseInteger()
        {
            int start = _pos;
            if (Peek() == '-') _pos++;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
            if (!long.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                throw Fail($"'{_text[start.._pos]}' is not a valid integer.");
            if (_pos < _text.Length && _text[_pos] == 'L') _pos++; // Python 2 long suffix.
            return value;
        }

        private string ParseString()
        {
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw Fail($"expected a quoted string at offset {_pos}.");
            int end = _text.IndexOf(quote, _pos + 1);
            if (end < 0) throw Fail("a string is not terminated.");
            string s = _text[(_pos + 1)..end];
            if (s.Contains('\\')) throw Fail("escape sequences in strings are not supported.");
            _pos = end + 1;
            return s;
        }

        private bool TryWord(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) return false;
            _pos += word.Length;
            return true;
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private void Expect(char c)
        {
            if (Peek() != c) throw Fail($"expected '{c}' at offset {_pos}.");
            _pos++;
        }

        private void SkipSpace()
        {
            while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r') _pos++;
        }

        private readonly Exception Fail(string problem) => fail("header", "bad NPY header: " + problem);
    }
}
