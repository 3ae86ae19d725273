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
/// and the checksums are computed on each piece while it is still in cache, so the file is read once.
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
            var crc = verifyChecksums ? new Crc32() : null;
            arrays[i] = e.ElementSize == sizeof(long) ? ReadArray<long>(e, crc)
                : (int)e.Kind % 3 == 2 ? ReadArray<int>(e, crc) : ReadArray<float>(e, crc);
            if (crc is not null && crc.GetCurrentHashAsUInt32() != e.Crc)
                throw Fail(e.Kind, "checksum mismatch; the file is corrupt.");
        }
        SkipPaddingTo(header.FileLength - TrailerSize, verifyChecksums);
        Span<byte> trailer = stackalloc byte[TrailerSize];
        ReadExactly(trailer, header.FileLength - TrailerSize, "trailer");
        if (!trailer[8..].SequenceEqual(EndMagic))
            throw Fail("trailer", "the end marker is missing; the file is truncated or corrupt.");
        if (verifyChecksums && BinaryPrimitives.ReadUInt64LittleEndian(trailer) != _whole.GetCurrentHashAsUInt64())
            throw Fail("trailer", "whole-file checksum mismatch; the file is corrupt.");

        var x = Matrix(header.Rows, header.FeatureCols, arrays, 0);
        var y = header.HasLabels ? Matrix(header.Rows, header.LabelCols, arrays, 3) : null;
        return new SparseFileContent(x, y);
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

    private T[] ReadArray<T>(SectionEntry e, Crc32? crc) where T : unmanaged
    {
        var data = new T[e.Count];
        var bytes = MemoryMarshal.AsBytes(data.AsSpan());
        for (int start = 0; start < bytes.Length; start += Piece)
        {
            var piece = bytes.Slice(start, Math.Min(Piece, bytes.Length - start));
            ReadExactly(piece, e.Offset + start, Name(e.Kind));
            if (crc is null) continue;
            crc.Append(piece);
            _whole.Append(piece);
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

    /// <summary>Reads until <paramref name="buffer"/> is full or the file ends; returns the bytes read.</summary>
    private int ReadAt(Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private XmrDataException Fail(SectionKind kind, string problem) => Fail(Name(kind), problem);

    private XmrDataException Fail(string section, string problem) => new(path, null, null, section, problem);
}
