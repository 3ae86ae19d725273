using System.IO.Hashing;
using XmrEngine.IO;
using static XmrEngine.Persistence.ModelFileFormat;

namespace XmrEngine.Persistence;

/// <summary>
/// Writes a model file whose sections are produced one at a time, so only one section's arrays need to exist at
/// once: a compiled level (one to three times its CSC weights) is built, written and dropped before the next one
/// is built. Building them all first, to know their lengths and checksums before the header and table, made saving
/// the peak of a whole training run (200k labels: 686 MB while training, 1,472 MB while saving).
/// The bytes are exactly those of writing every section up front: the header and section table are left as zeros,
/// filled in once every section is written, and the whole-file hash is computed by reading the file back.
/// </summary>
internal static class ModelFileStreamWriter
{
    private const int ReadBack = 1 << 20;

    /// <summary>
    /// Writes <paramref name="sectionCount"/> sections from <paramref name="sections"/> (enumerated lazily) into
    /// <paramref name="stream"/>, which must be empty, readable and seekable.
    /// </summary>
    /// <param name="stream">The temporary file being written.</param>
    /// <param name="sectionCount">How many sections <paramref name="sections"/> yields (the table is sized first).</param>
    /// <param name="sections">The sections in file order; each is written as soon as it is produced.</param>
    /// <param name="header">Fills the 64-byte header given the file length and the table's CRC32.</param>
    public static void Write(Stream stream, int sectionCount, IEnumerable<ModelFileSection> sections, Action<Span<byte>, long, uint> header)
    {
        long dataStart = Align(HeaderSize + (long)TableEntrySize * sectionCount);
        var entries = new SectionEntry[sectionCount];
        var zeros = new byte[Alignment];
        WriteZeros(stream, dataStart, zeros);
        long position = dataStart;
        int written = 0;
        foreach (var section in sections)
        {
            if (written == sectionCount) throw new InvalidOperationException($"More than the {sectionCount} planned sections were produced.");
            var crc = new Crc32();
            long length = 0;
            section.WriteTo(bytes =>
            {
                stream.Write(bytes);
                crc.Append(bytes);
                length += bytes.Length;
            });
            if (length != section.Length) throw new InvalidOperationException($"Section '{section.Kind}' wrote {length} bytes but declared {section.Length}.");
            entries[written++] = new SectionEntry(section.Kind, section.Level, position, section.Length, crc.GetCurrentHashAsUInt32(), section.Tree);
            long next = Align(position + section.Length);
            WriteZeros(stream, next - position - section.Length, zeros);
            position = next;
        }
        if (written != sectionCount) throw new InvalidOperationException($"{written} sections were produced; {sectionCount} were planned.");

        var table = new byte[TableEntrySize * sectionCount];
        for (int i = 0; i < entries.Length; i++) entries[i].Write(table.AsSpan(i * TableEntrySize));
        var head = new byte[HeaderSize];
        header(head, position + TrailerSize, Crc32.HashToUInt32(table));
        stream.Position = 0;
        stream.Write(head);
        stream.Write(table);

        // The whole-file hash covers the header and table, known only now: read the file back (from the page cache;
        // XxHash64 runs at several GB/s, a small cost beside building the sections).
        stream.Flush();
        stream.Position = 0;
        var hash = new XxHash64();
        var buffer = new byte[ReadBack];
        for (long left = position; left > 0;)
        {
            int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n <= 0) throw new IOException($"The model file being written ended after {position - left} of {position} bytes when read back.");
            hash.Append(buffer.AsSpan(0, n));
            left -= n;
        }
        stream.Position = position;
        HashedFileWriter.WriteTrailer(stream, hash.GetCurrentHashAsUInt64(), EndMagic);
    }

    private static void WriteZeros(Stream stream, long count, byte[] zeros)
    {
        for (; count > 0; count -= zeros.Length) stream.Write(zeros, 0, (int)Math.Min(zeros.Length, count));
    }
}
