using System.IO.Hashing;
using System.Runtime.InteropServices;
using XmrEngine.Sparse;
using static XmrEngine.IO.XmrdLayout;

namespace XmrEngine.IO;

/// <summary>Writes the <c>.xmrd</c> layout (see <see cref="XmrdLayout"/>) through <see cref="AtomicFile"/>.</summary>
internal static class XmrdWriter
{
    /// <summary>Elements per piece handed to the stream and the hashes, so no byte span nears 2^31.</summary>
    private const int PieceElements = 1 << 22;

    public static void Write(string path, CsrMatrix features, CsrMatrix? labels)
    {
        var matrices = labels is null ? new[] { features } : new[] { features, labels };
        var (entries, fileLength) = Plan(features.Rows, features.Nnz, labels is not null, labels?.Nnz ?? 0);
        // Checksums go in the table, which precedes the sections: one pass over the arrays to compute them first.
        for (int i = 0; i < entries.Length; i++)
        {
            var crc = new Crc32();
            EmitSection(matrices[i / 3], entries[i].Kind, crc.Append);
            entries[i] = entries[i] with { Crc = crc.GetCurrentHashAsUInt32() };
        }
        var table = new byte[TableEntrySize * entries.Length];
        for (int i = 0; i < entries.Length; i++) entries[i].Write(table.AsSpan(i * TableEntrySize));
        var header = new byte[HeaderSize];
        new Header(features.Rows, features.Cols, features.Nnz, labels?.Cols ?? -1, labels?.Nnz ?? 0, fileLength, Crc32.HashToUInt32(table)).Write(header);

        AtomicFile.Write(path, stream =>
        {
            var writer = new HashedFileWriter(stream, Alignment);
            writer.Emit(header);
            writer.Emit(table);
            for (int i = 0; i < entries.Length; i++)
            {
                writer.PadTo(entries[i].Offset);
                EmitSection(matrices[i / 3], entries[i].Kind, writer.Emit);
            }
            writer.PadTo(fileLength - TrailerSize);
            writer.WriteTrailer(EndMagic);
        });
    }

    private delegate void ByteSink(ReadOnlySpan<byte> bytes);

    private static void EmitSection(CsrMatrix m, SectionKind kind, ByteSink sink)
    {
        switch ((int)kind % 3)
        {
            case 1: EmitPieces(m.Pointers, sink); break;
            case 2: EmitPieces(m.Indices, sink); break;
            default: EmitPieces(m.Values, sink); break;
        }
    }

    private static void EmitPieces<T>(ReadOnlySpan<T> data, ByteSink sink) where T : unmanaged
    {
        for (int start = 0; start < data.Length; start += PieceElements)
            sink(MemoryMarshal.AsBytes(data.Slice(start, Math.Min(PieceElements, data.Length - start))));
    }
}
