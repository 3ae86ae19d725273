using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using XmrEngine.Sparse;
using static XmrEngine.IO.XmrdLayout;

namespace XmrEngine.IO;

/// <summary>
/// Reads one <c>.xmrd</c> file into managed arrays. <see cref="CsrMatrix"/> owns its arrays, so the data
/// cannot stay on mapped pages; instead every array is filled by one bulk read straight from the file,
/// and the whole-file XxHash64 is computed on each piece while it is still in cache, so the file is read
/// once. The per-section CRC32s are checked only when that hash fails, to name the damaged section.
/// Every error is an <see cref="XmrDataException"/> naming the file and the section.
/// </summary>
internal sealed class XmrdReader(SafeFileHandle handle, string path)
{
    /// <summary>Bytes read (and hashed) per call: large enough for sequential speed, small enough to stay in cache.</summary>
    private const int Piece = 1 << 20;

    private readonly long _actualLength = RandomAccess.GetLength(handle);
    private readonly XxHash64 _whole = new();
    private long _position;

    public SparseFileContent Read(bool verifyChecksums)
    {
        var (header, entries) = ReadHeaderAndTable();
        var arrays = new Array[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            SkipPaddingTo(e.Offset, verifyChecksums);
            arrays[i] = e.ElementSize == sizeof(long) ? ReadArray<long>(e, verifyChecksums)
                : (int)e.Kind % 3 == 2 ? ReadArray<int>(e, verifyChecksums) : ReadArray<float>(e, verifyChecksums);
        }
        SkipPaddingTo(header.FileLength - TrailerSize, verifyChecksums);
        Span<byte> trailer = stackalloc byte[TrailerSize];
        ReadExactly(trailer, header.FileLength - TrailerSize, "trailer");
        if (!trailer[8..].SequenceEqual(EndMagic))
            throw Fail("trailer", "the end marker is missing; the file is truncated or corrupt.");
        if (verifyChecksums && BinaryPrimitives.ReadUInt64LittleEndian(trailer) != _whole.GetCurrentHashAsUInt64())
            throw DamagedSection(entries, arrays);

        var x = Matrix(header.Rows, header.FeatureCols, arrays, 0);
        var y = header.HasLabels ? Matrix(header.Rows, header.LabelCols, arrays, 3) : null;
        return new SparseFileContent(x, y);
    }

    /// <summary>
    /// The whole-file hash failed: name the damaged section by its CRC32. The section checksums are computed
    /// only here because CRC32 runs at a fraction of XxHash64's speed, and a file that passes the whole-file
    /// hash has no damaged section to name; when every section matches, the damage is in padding or trailer.
    /// </summary>
    private XmrDataException DamagedSection(SectionEntry[] entries, Array[] arrays)
    {
        for (int i = 0; i < entries.Length; i++)
        {
            var crc = new Crc32();
            switch (arrays[i])
            {
                case long[] l: AppendPieces(crc, MemoryMarshal.AsBytes(l.AsSpan())); break;
                case int[] n: AppendPieces(crc, MemoryMarshal.AsBytes(n.AsSpan())); break;
                case float[] f: AppendPieces(crc, MemoryMarshal.AsBytes(f.AsSpan())); break;
            }
            if (crc.GetCurrentHashAsUInt32() != entries[i].Crc)
                return Fail(entries[i].Kind, "checksum mismatch; the file is corrupt.");
        }
        return Fail("trailer", "whole-file checksum mismatch; the file is corrupt.");
    }

    private static void AppendPieces(Crc32 crc, ReadOnlySpan<byte> bytes)
    {
        for (int start = 0; start < bytes.Length; start += Piece)
            crc.Append(bytes.Slice(start, Math.Min(Piece, bytes.Length - start)));
    }

    private CsrMatrix Matrix(int rows, int cols, Array[] arrays, int first)
    {
        var ptr = (long[])arrays[first];
        var idx = (int[])arrays[first + 1];
        var values = (float[])arrays[first + 2];
        var kind = (SectionKind)(first + 1);
        XmrdValidation.Check(ptr, idx, values, rows, cols, path, Name(kind), Name(kind + 1), Name(kind + 2));
        return CsrMatrix.FromTrusted(rows, cols, ptr, idx, values);
    }

    private (Header Header, SectionEntry[] Entries) ReadHeaderAndTable()
    {
        Span<byte> head = stackalloc byte[HeaderSize];
        int got = ReadAt(head, 0);
        int magicBytes = Math.Min(got, Magic.Length);
        if (!head[..magicBytes].SequenceEqual(Magic[..magicBytes]) || got == 0)
            throw Fail("header", "bad magic; this is not an .xmrd data set file.");
        if (got < HeaderSize)
            throw Fail("header", $"truncated: the file has {_actualLength} bytes, fewer than the {HeaderSize}-byte header.");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
        if (version != FormatVersion)
            throw Fail("header", $"unsupported format version {version}; this build reads version {FormatVersion}.");
        if (Crc32.HashToUInt32(head[..60]) != BinaryPrimitives.ReadUInt32LittleEndian(head[60..]))
            throw Fail("header", "header checksum mismatch; the file is corrupt.");
        var header = Header.Read(head);
        if (header.Rows < 0 || header.FeatureCols < 0 || header.LabelCols < -1
            || header.Rows >= Array.MaxLength
            || header.FeatureNnz < 0 || header.FeatureNnz > Array.MaxLength || header.LabelNnz < 0 || header.LabelNnz > Array.MaxLength
            || (!header.HasLabels && header.LabelNnz != 0)
            || BinaryPrimitives.ReadInt32LittleEndian(head[36..]) != header.SectionCount)
            throw Fail("header", $"header fields out of range: {header.Rows} rows, {header.FeatureCols} feature columns, "
                + $"{header.FeatureNnz} feature entries, {header.LabelCols} label columns, {header.LabelNnz} label entries.");
        var (plan, length) = Plan(header.Rows, header.FeatureNnz, header.HasLabels, header.LabelNnz);
        if (header.FileLength != length)
            throw Fail("header", $"the header records {header.FileLength} bytes but its shape needs {length}; the file is corrupt.");
        if (_actualLength < length)
            throw Fail("header", $"truncated: the file has {_actualLength} bytes but the header records {length}.");
        if (_actualLength > length)
            throw Fail("header", $"{_actualLength - length} unexpected bytes after the recorded end of the data ({length} bytes).");
        var table = new byte[plan.Length * TableEntrySize];
        ReadExactly(table, HeaderSize, "section table");
        if (Crc32.HashToUInt32(table) != header.TableCrc)
            throw Fail("section table", "checksum mismatch; the file is corrupt.");
        var entries = new SectionEntry[plan.Length];
        for (int i = 0; i < plan.Length; i++)
        {
            entries[i] = SectionEntry.Read(table.AsSpan(i * TableEntrySize));
            if (!entries[i].SamePlace(plan[i]))
                throw Fail(plan[i].Kind, $"the table records kind {(uint)entries[i].Kind}, offset {entries[i].Offset} and length {entries[i].Length}; "
                    + $"the header's shape needs kind {(uint)plan[i].Kind}, offset {plan[i].Offset} and length {plan[i].Length}.");
        }
        _whole.Append(head);
        _whole.Append(table);
        _position = HeaderSize + table.Length;
        return (header, entries);
    }

    private T[] ReadArray<T>(SectionEntry e, bool hash) where T : unmanaged
    {
        // Every element is overwritten by the read below (or the read throws), so zeroing first is wasted work.
        var data = GC.AllocateUninitializedArray<T>((int)e.Count);
        var bytes = MemoryMarshal.AsBytes(data.AsSpan());
        for (int start = 0; start < bytes.Length; start += Piece)
        {
            var piece = bytes.Slice(start, Math.Min(Piece, bytes.Length - start));
            ReadExactly(piece, e.Offset + start, Name(e.Kind));
            if (hash) _whole.Append(piece);
        }
        _position = e.Offset + e.Length;
        return data;
    }

    /// <summary>Hashes the zero padding between the previous section and <paramref name="target"/>.</summary>
    private void SkipPaddingTo(long target, bool hash)
    {
        if (hash && target > _position)
        {
            Span<byte> pad = stackalloc byte[Alignment];
            var gap = pad[..(int)(target - _position)];
            ReadExactly(gap, _position, "padding");
            _whole.Append(gap);
        }
        _position = target;
    }

    private void ReadExactly(Span<byte> buffer, long offset, string section)
    {
        if (ReadAt(buffer, offset) != buffer.Length)
            throw Fail(section, "truncated while reading; the file changed or is damaged.");
    }

    private int ReadAt(Span<byte> buffer, long offset) => PositionalRead.Fill(handle, buffer, offset);

    private XmrDataException Fail(SectionKind kind, string problem) => Fail(Name(kind), problem);

    private XmrDataException Fail(string section, string problem) => new(path, null, null, section, problem);
}
