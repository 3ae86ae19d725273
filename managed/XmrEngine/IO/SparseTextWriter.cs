using System.Globalization;
using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>
/// Writes rows of the XMC / LIBSVM family as UTF-8 into a reusable byte buffer (no string per token).
/// Labels are written as <c>id</c>, or <c>id:weight</c> when the weight is not exactly 1; features as
/// <c>id:value</c> with a leading space each, so a row without labels starts with a space. Floats use the
/// shortest text that parses back to the same float, so a write/read round trip is lossless.
/// </summary>
internal sealed class SparseTextWriter
{
    private const int ReserveBytes = 64;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _length;

    public SparseTextWriter(Stream stream) => _stream = stream;

    public void WriteHeader(long n, long f, long l)
    {
        WriteInteger(n);
        WriteByte((byte)' ');
        WriteInteger(f);
        WriteByte((byte)' ');
        WriteInteger(l);
        WriteByte((byte)'\n');
    }

    public void WriteRow(CsrMatrix features, CsrMatrix labels, int row, int featureIndexBase)
    {
        var labelIds = labels.Row(row).Indices;
        var weights = labels.Row(row).Values;
        for (int k = 0; k < labelIds.Length; k++)
        {
            if (k > 0) WriteByte((byte)',');
            WriteInteger(labelIds[k]);
            if (weights[k] != 1f)
            {
                WriteByte((byte)':');
                WriteFloat(weights[k]);
            }
        }
        var ids = features.Row(row).Indices;
        var values = features.Row(row).Values;
        for (int k = 0; k < ids.Length; k++)
        {
            WriteByte((byte)' ');
            WriteInteger((long)ids[k] + featureIndexBase);
            WriteByte((byte)':');
            WriteFloat(values[k]);
        }
        WriteByte((byte)'\n');
    }

    public void Flush()
    {
        _stream.Write(_buffer, 0, _length);
        _length = 0;
        _stream.Flush();
    }

    private void Reserve()
    {
        if (_buffer.Length - _length >= ReserveBytes) return;
        _stream.Write(_buffer, 0, _length);
        _length = 0;
    }

    private void WriteByte(byte b)
    {
        Reserve();
        _buffer[_length++] = b;
    }

    private void WriteInteger(long v)
    {
        Reserve();
        v.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    private void WriteFloat(float v)
    {
        // Whole numbers (binary features, counts) are common and integer formatting is much cheaper;
        // below 2^24 every integer is exact in float, and -0 must keep its sign so it takes the general path.
        if (v == MathF.Truncate(v) && MathF.Abs(v) < 16777216f && !(v == 0f && float.IsNegative(v)))
        {
            WriteInteger((long)v);
            return;
        }
        Reserve();
        v.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
    }
}
