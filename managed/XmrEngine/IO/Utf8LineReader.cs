namespace XmrEngine.IO;

/// <summary>
/// Reads a stream line by line as UTF-8 byte spans without allocating per line: the returned span points
/// into an internal buffer and is valid until the next call. Lines end at '\n'; a trailing '\r' is removed
/// and a final line without '\n' is still returned. A UTF-8 byte-order mark at the very start is skipped.
/// The buffer grows only when one line is longer than it.
/// </summary>
internal sealed class Utf8LineReader
{
    private readonly Stream _stream;
    private readonly string _sourceName;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;
    private bool _eof;
    private bool _atFileStart = true;

    /// <param name="stream">The UTF-8 text.</param>
    /// <param name="sourceName">The file named in an <see cref="XmrDataException"/> for an over-long line.</param>
    /// <param name="bufferSize">The initial buffer size in bytes.</param>
    public Utf8LineReader(Stream stream, string sourceName, int bufferSize = 1 << 16)
    {
        _stream = stream;
        _sourceName = sourceName;
        _buffer = new byte[Math.Max(bufferSize, 16)];
    }

    /// <summary>1-based number of the line most recently returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Returns the next line, or <c>false</c> at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        if (_atFileStart) SkipByteOrderMark();
        while (true)
        {
            int newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int stop = _scanned + newline;
                line = Trim(_buffer.AsSpan(_start, stop - _start));
                _start = _scanned = stop + 1;
                LineNumber++;
                return true;
            }
            _scanned = _end;
            if (_eof)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }
                line = Trim(_buffer.AsSpan(_start, _end - _start));
                _start = _scanned = _end;
                LineNumber++;
                return true;
            }
            Fill();
        }
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private void Fill()
    {
        if (_start > 0)
        {
            // Move the unfinished line to the front so the free space is at the end.
            int pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _scanned -= _start;
            _end = pending;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length == Array.MaxLength)
                throw new XmrDataException(_sourceName, LineNumber + 1, null, null, $"A line is longer than {Array.MaxLength} bytes.");
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        }
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return;
        }
        _end += read;
    }

    private void SkipByteOrderMark()
    {
        _atFileStart = false;
        while (_end < 3 && !_eof) Fill();
        if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF) _start = _scanned = 3;
    }
}
