using System.Buffers.Binary;
using System.IO.Hashing;

namespace XmrEngine.IO;

/// <summary>
/// Writes the binary files that end in a whole-file XxHash64 and an end marker (models, .xmrd data sets):
/// every byte goes to the stream and the hash, zero padding moves to the next aligned offset, and the
/// trailer records the hash of everything before it followed by the format's end marker.
/// </summary>
internal sealed class HashedFileWriter(Stream stream, int alignment)
{
    private readonly XxHash64 _hash = new();

    /// <summary>Bytes written so far.</summary>
    public long Position { get; private set; }

    /// <summary>Writes and hashes <paramref name="bytes"/>.</summary>
    public void Emit(ReadOnlySpan<byte> bytes)
    {
        stream.Write(bytes);
        _hash.Append(bytes);
        Position += bytes.Length;
    }

    /// <summary>Writes zero bytes up to <paramref name="target"/> (at most one alignment step in the formats' use).</summary>
    public void PadTo(long target)
    {
        Span<byte> zeros = stackalloc byte[alignment];
        zeros.Clear();
        while (Position < target) Emit(zeros[..(int)Math.Min(alignment, target - Position)]);
    }

    /// <summary>Writes the 16-byte trailer: the XxHash64 of every byte so far, then the 8-byte <paramref name="endMagic"/>.</summary>
    public void WriteTrailer(ReadOnlySpan<byte> endMagic) => WriteTrailer(stream, _hash.GetCurrentHashAsUInt64(), endMagic);

    /// <summary>Writes the 16-byte trailer for a whole-file hash computed elsewhere (a writer that fills its header in last).</summary>
    public static void WriteTrailer(Stream stream, ulong hash, ReadOnlySpan<byte> endMagic)
    {
        Span<byte> trailer = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer, hash);
        endMagic.CopyTo(trailer[8..]);
        stream.Write(trailer);
    }
}
