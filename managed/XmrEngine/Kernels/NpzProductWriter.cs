using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using XmrEngine.IO;
using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>
/// Writes the product <c>A B</c> as an uncompressed (stored) csr <c>.npz</c> without ever holding it in memory: the
/// symbolic pass gives every row's length, so every member's size and offset is known before the first value is
/// computed; the numeric pass then fills a buffer a slice of rows long, which is written at its place in the indices
/// and data members (two sequential streams) and reused for the next slice.
/// </summary>
/// <remarks>
/// In a cold process every page of a 156 MB product held in memory is a fresh page fault, and its copy into the page
/// cache faults 156 MB more; streamed, the product touches only the page cache and a buffer that stays in cache
/// (perf/RESULTS.md, "The cold process"). The archive holds what <see cref="NpzFormat.Write(string, CsrMatrix, NpzCompression)"/>
/// writes with <see cref="NpzCompression.None"/> (the same members in save_npz's order, fixed timestamps; the zip headers
/// are written here, not by ZipArchive); an archive that would need zip64 (4 GB or more) is left to that path.
/// </remarks>
internal static class NpzProductWriter
{
    /// <summary>Entries per slice (a row longer than that is a slice of its own): 8 MB of buffers, small enough to stay warm, large enough for long writes.</summary>
    private const int SliceEntries = 1 << 20;

    private const int LocalHeaderBytes = 30;
    private const int CentralHeaderBytes = 46;
    private const int EndRecordBytes = 22;
    private const ushort DosDate1980 = (1 << 5) | 1;

    /// <summary>Writes <c>A B</c> to <paramref name="path"/> atomically; returns the product's entry count.</summary>
    public static long Write(string path, CsrMatrix a, CsrMatrix b, int threads, int sliceEntries = SliceEntries)
    {
        NpyHeader.RequireLittleEndianHost();
        var rowPtr = ManagedKernels.ProductRowPointers(a, b, threads);
        long nnz = rowPtr[a.Rows];
        var members = Layout(a.Rows, b.Cols, nnz);
        var last = members[^1];
        if (last.DataOffset + last.DataBytes + members.Length * (CentralHeaderBytes + 16L) + EndRecordBytes >= uint.MaxValue)
        {
            // Past the 32-bit zip fields: the in-memory path writes zip64.
            var product = CsrMatrix.FromTrusted(a.Rows, b.Cols, rowPtr, new int[checked((int)nnz)], new float[nnz]);
            ManagedKernels.ProductRows(a, b, rowPtr, 0, a.Rows, product.ColIdxArray, product.ValuesArray, threads);
            NpzFormat.Write(path, product, NpzCompression.None);
            return nnz;
        }
        AtomicFile.Write(path, stream => WriteArchive(stream.SafeFileHandle, members, a, b, rowPtr, threads, sliceEntries));
        return nnz;
    }

    /// <summary>One stored member: its name, NPY header, where its local header and data start, its data's length.</summary>
    private sealed record Member(string Name, byte[] NpyHeader, long HeaderOffset, long DataOffset, long DataBytes)
    {
        public uint Crc { get; set; }
    }

    private static Member[] Layout(int rows, int cols, long nnz)
    {
        (string Name, NpyHeader Header, long Bytes)[] order =
        [
            ("indices.npy", new NpyHeader(NpyDtype.Int32, false, [nnz]), nnz * 4),
            ("indptr.npy", new NpyHeader(NpyDtype.Int32, false, [rows + 1L]), (rows + 1L) * 4),
            ("format.npy", new NpyHeader(new NpyDtype("|S3", NpyKind.Bytes, 3), false, []), 3),
            ("shape.npy", new NpyHeader(NpyDtype.Int64, false, [2]), 16),
            ("data.npy", new NpyHeader(NpyDtype.Float32, false, [nnz]), nnz * 4),
        ];
        var members = new Member[order.Length];
        long offset = 0;
        for (int m = 0; m < order.Length; m++)
        {
            var header = order[m].Header.ToBytes();
            long data = offset + LocalHeaderBytes + order[m].Name.Length + header.Length;
            members[m] = new Member(order[m].Name, header, offset, data, order[m].Bytes);
            offset = data + order[m].Bytes;
        }
        return members;
    }

    private static void WriteArchive(SafeFileHandle file, Member[] members, CsrMatrix a, CsrMatrix b, long[] rowPtr, int threads, int sliceEntries)
    {
        var (indices, indptr, format, shape, data) = (members[0], members[1], members[2], members[3], members[4]);
        var indexCrc = Begin(indices);
        var valueCrc = Begin(data);
        StreamProduct(file, a, b, rowPtr, threads, sliceEntries, indices.DataOffset, data.DataOffset, indexCrc, valueCrc);
        indices.Crc = indexCrc.GetCurrentHashAsUInt32();
        data.Crc = valueCrc.GetCurrentHashAsUInt32();

        // Every pointer is at most nnz < 2^31, so int32 is exact, as in SciPy.
        var pointers = new int[rowPtr.Length];
        for (int i = 0; i < rowPtr.Length; i++) pointers[i] = (int)rowPtr[i];
        WriteSmall(file, indptr, MemoryMarshal.AsBytes(pointers.AsSpan()));
        // The format name as ASCII bytes, as scipy's save_npz and NpzFormat write it.
        WriteSmall(file, format, "csr"u8);
        Span<long> dims = [a.Rows, b.Cols];
        WriteSmall(file, shape, MemoryMarshal.AsBytes(dims));

        foreach (var m in members)
        {
            RandomAccess.Write(file, LocalHeader(m), m.HeaderOffset);
            RandomAccess.Write(file, m.NpyHeader, m.HeaderOffset + LocalHeaderBytes + m.Name.Length);
        }
        WriteDirectory(file, members, data.DataOffset + data.DataBytes);
    }

    private static Crc32 Begin(Member member)
    {
        var crc = new Crc32();
        crc.Append(member.NpyHeader);
        return crc;
    }

    /// <summary>The numeric pass, one slice of rows at a time, each slice's ids and values appended to their members.</summary>
    private static void StreamProduct(SafeFileHandle file, CsrMatrix a, CsrMatrix b, long[] rowPtr, int threads, int sliceEntries,
        long indexOffset, long valueOffset, Crc32 indexCrc, Crc32 valueCrc)
    {
        int rows = a.Rows;
        long longestRow = 0;
        for (int i = 0; i < rows; i++) longestRow = Math.Max(longestRow, rowPtr[i + 1] - rowPtr[i]);
        int capacity = (int)Math.Max(sliceEntries, longestRow);
        var idx = new int[Math.Min(capacity, rowPtr[rows])];
        var val = new float[idx.Length];
        for (int first = 0; first < rows;)
        {
            int end = first + 1;
            while (end < rows && rowPtr[end + 1] - rowPtr[first] <= capacity) end++;
            int count = (int)(rowPtr[end] - rowPtr[first]);
            ManagedKernels.ProductRows(a, b, rowPtr, first, end, idx, val, threads);
            var ids = MemoryMarshal.AsBytes(idx.AsSpan(0, count));
            var values = MemoryMarshal.AsBytes(val.AsSpan(0, count));
            indexCrc.Append(ids);
            valueCrc.Append(values);
            RandomAccess.Write(file, ids, indexOffset);
            RandomAccess.Write(file, values, valueOffset);
            indexOffset += ids.Length;
            valueOffset += values.Length;
            first = end;
        }
    }

    private static void WriteSmall(SafeFileHandle file, Member member, ReadOnlySpan<byte> content)
    {
        var crc = Begin(member);
        crc.Append(content);
        member.Crc = crc.GetCurrentHashAsUInt32();
        RandomAccess.Write(file, content, member.DataOffset);
    }

    private static byte[] LocalHeader(Member m)
    {
        var h = new byte[LocalHeaderBytes + m.Name.Length];
        var s = h.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], 10); // version needed: stored
        // flags 0, method 0 (stored), time 0 (midnight)
        BinaryPrimitives.WriteUInt16LittleEndian(s[12..], DosDate1980);
        BinaryPrimitives.WriteUInt32LittleEndian(s[14..], m.Crc);
        uint size = (uint)(m.NpyHeader.Length + m.DataBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(s[18..], size);
        BinaryPrimitives.WriteUInt32LittleEndian(s[22..], size);
        BinaryPrimitives.WriteUInt16LittleEndian(s[26..], (ushort)m.Name.Length);
        Encoding.ASCII.GetBytes(m.Name, s[LocalHeaderBytes..]);
        return h;
    }

    private static void WriteDirectory(SafeFileHandle file, Member[] members, long offset)
    {
        int length = EndRecordBytes;
        foreach (var m in members) length += CentralHeaderBytes + m.Name.Length;
        var d = new byte[length];
        var s = d.AsSpan();
        int p = 0;
        foreach (var m in members)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[p..], 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 4)..], 20); // made by: MS-DOS attributes, spec 2.0
            BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 6)..], 10);
            BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 14)..], DosDate1980);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 16)..], m.Crc);
            uint size = (uint)(m.NpyHeader.Length + m.DataBytes);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 20)..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 24)..], size);
            BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 28)..], (ushort)m.Name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 42)..], (uint)m.HeaderOffset);
            Encoding.ASCII.GetBytes(m.Name, s[(p + CentralHeaderBytes)..]);
            p += CentralHeaderBytes + m.Name.Length;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(s[p..], 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 8)..], (ushort)members.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 10)..], (ushort)members.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 12)..], (uint)(length - EndRecordBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 16)..], (uint)offset);
        RandomAccess.Write(file, d, offset);
    }
}
