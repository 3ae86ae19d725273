using System.IO.Hashing;

namespace XmrEngine.IO;

/// <summary>
/// A read-only, forward-only view of a zip member that computes the CRC-32 of every byte read, so the
/// member can be checked against the CRC its archive records. .NET 10's <c>ZipArchive</c> checks no CRC
/// (neither for stored nor for deflated members), so without this a flipped data byte would go unnoticed.
/// </summary>
internal sealed class Crc32ReadStream : Stream
{
    private readonly Stream _inner;
    private readonly Crc32 _crc = new();

    public Crc32ReadStream(Stream inner) => _inner = inner;

    /// <summary>The CRC-32 of the bytes read so far.</summary>
    public uint Crc => _crc.GetCurrentHashAsUInt32();

    /// <summary>Reads (and hashes) whatever is left, so <see cref="Crc"/> covers the whole member.</summary>
    public void ReadToEnd()
    {
        Span<byte> buffer = stackalloc byte[4096];
        while (Read(buffer) > 0)
        {
        }
    }

    public override int Read(Span<byte> buffer)
    {
        int n = _inner.Read(buffer);
        _crc.Append(buffer[..n]);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
