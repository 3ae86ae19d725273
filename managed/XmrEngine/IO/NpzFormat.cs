using System.IO.Compression;
using System.Runtime.InteropServices;
using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>
/// SciPy sparse matrices in <c>.npz</c> files, as written by <c>scipy.sparse.save_npz</c> and read by
/// <c>scipy.sparse.load_npz</c>: a zip archive (stored or deflate) of NPY arrays <c>indices.npy</c>,
/// <c>indptr.npy</c>, <c>data.npy</c>, <c>format.npy</c> (the string 'csr' or 'csc', as bytes or str) and
/// <c>shape.npy</c> (two integers). COO files (<c>row.npy</c>, <c>col.npy</c>) are read too.
/// </summary>
/// <remarks>
/// <para>Reading accepts NPY versions 1.0, 2.0 and 3.0, little-endian data of any integer, bool or float
/// dtype for <c>data</c> (converted to float32), and any integer dtype for indices and pointers (int32 and
/// int64 in practice). What the reader fixes and rejects (<see cref="XmrDataException"/> naming file,
/// member and field):</para>
/// <list type="bullet">
/// <item>Fixed: indices out of order within a row (column) are sorted; duplicate indices within a row
/// are summed, which is what SciPy means by them (<c>sum_duplicates</c>); values and indices beyond the
/// last pointer are ignored, as SciPy does (values there must still be finite numbers). A csc file read with <see cref="ReadCsr(string)"/> is
/// converted (and vice versa).</item>
/// <item>Rejected: not a zip archive, empty or truncated files, corrupt deflate data, members (stored or deflated)
/// whose CRC-32 differs from the one the archive records; missing members;
/// bad NPY magic, version or header; big-endian, string or structured dtypes where numbers are needed;
/// NaN, infinite or out-of-float32-range values (also when duplicates sum beyond the range); indices
/// out of range; pointers that do not start at 0, decrease, or do not match the shape; shapes that are
/// negative or exceed the .NET array limit, or (when converting layouts) need more pointer memory than
/// the process can allocate; formats other than csr, csc and coo.</item>
/// </list>
/// <para>Writing produces what <c>save_npz</c> produces for a float32 matrix: int32 indices and
/// pointers (a matrix held in .NET arrays always has fewer than 2^31 entries), float32 data, the format
/// as a 0-d <c>'|S3'</c> byte string (as scipy writes it) and an int64 shape, deflate-compressed by default or stored. Writes are
/// atomic (temporary file in the same directory, then rename) and the member timestamps are fixed, so the
/// same matrix always gives the same bytes.</para>
/// </remarks>
public static class NpzFormat
{
    /// <summary>Reads a sparse matrix file as CSR (a csc or coo file is converted).</summary>
    /// <param name="path">The .npz file.</param>
    /// <exception cref="XmrDataException">The file is malformed (see the remarks on the class).</exception>
    public static CsrMatrix ReadCsr(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        return ReadCsr(stream, path);
    }

    /// <summary>Reads a sparse matrix from a seekable stream as CSR; <paramref name="sourceName"/> names it in errors.</summary>
    /// <param name="stream">The npz bytes (must be seekable, as zip archives are read from their end).</param>
    /// <param name="sourceName">The name used as the file in error messages.</param>
    /// <exception cref="XmrDataException">The data is malformed.</exception>
    public static CsrMatrix ReadCsr(Stream stream, string sourceName)
    {
        var m = ReadAny(stream, sourceName);
        if (m.IsCsr) return CsrMatrix.FromTrusted(m.Rows, m.Cols, m.Ptr, m.Idx, m.Val);
        MemoryGuard.EnsurePointers(m.Rows + 1L, sourceName, "shape.npy", "rows");
        return CscMatrix.FromTrusted(m.Rows, m.Cols, m.Ptr, m.Idx, m.Val).ToCsr();
    }

    /// <summary>Reads a sparse matrix file as CSC (a csr or coo file is converted).</summary>
    /// <param name="path">The .npz file.</param>
    /// <exception cref="XmrDataException">The file is malformed.</exception>
    public static CscMatrix ReadCsc(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        return ReadCsc(stream, path);
    }

    /// <summary>Reads a sparse matrix from a seekable stream as CSC; <paramref name="sourceName"/> names it in errors.</summary>
    /// <param name="stream">The npz bytes (seekable).</param>
    /// <param name="sourceName">The name used as the file in error messages.</param>
    /// <exception cref="XmrDataException">The data is malformed.</exception>
    public static CscMatrix ReadCsc(Stream stream, string sourceName)
    {
        var m = ReadAny(stream, sourceName);
        if (!m.IsCsr) return CscMatrix.FromTrusted(m.Rows, m.Cols, m.Ptr, m.Idx, m.Val);
        MemoryGuard.EnsurePointers(m.Cols + 1L, sourceName, "shape.npy", "columns");
        return CsrMatrix.FromTrusted(m.Rows, m.Cols, m.Ptr, m.Idx, m.Val).ToCsc();
    }

    /// <summary>Writes a CSR matrix as a SciPy csr .npz file, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="matrix">The matrix.</param>
    /// <param name="compressed">Deflate the members at the default level (like <c>save_npz(compressed=True)</c>); otherwise store them.</param>
    public static void Write(string path, CsrMatrix matrix, bool compressed = true) =>
        Write(path, matrix, compressed ? NpzCompression.Optimal : NpzCompression.None);

    /// <summary>Writes a CSR matrix as a SciPy csr .npz file, atomically, with the members stored as <paramref name="compression"/> says.</summary>
    public static void Write(string path, CsrMatrix matrix, NpzCompression compression)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        AtomicFile.Write(path, stream => Write(stream, matrix, compression));
    }

    /// <summary>Writes a CSC matrix as a SciPy csc .npz file, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="matrix">The matrix.</param>
    /// <param name="compressed">Deflate the members; otherwise store them.</param>
    public static void Write(string path, CscMatrix matrix, bool compressed = true)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        AtomicFile.Write(path, stream => Write(stream, matrix, compressed));
    }

    /// <summary>Writes a CSR matrix as a SciPy csr .npz archive to a stream (left open).</summary>
    /// <param name="stream">Destination.</param>
    /// <param name="matrix">The matrix.</param>
    /// <param name="compressed">Deflate the members; otherwise store them.</param>
    public static void Write(Stream stream, CsrMatrix matrix, bool compressed = true) =>
        Write(stream, matrix, compressed ? NpzCompression.Optimal : NpzCompression.None);

    /// <summary>Writes a CSR matrix as a SciPy csr .npz archive to a stream (left open), with the members stored as <paramref name="compression"/> says.</summary>
    public static void Write(Stream stream, CsrMatrix matrix, NpzCompression compression)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(matrix);
        WriteCompressed(stream, "csr", matrix.Rows, matrix.Cols, matrix.Pointers, matrix.Indices, matrix.Values, compression.ToZipLevel());
    }

    /// <summary>Writes a CSC matrix as a SciPy csc .npz archive to a stream (left open).</summary>
    /// <param name="stream">Destination.</param>
    /// <param name="matrix">The matrix.</param>
    /// <param name="compressed">Deflate the members; otherwise store them.</param>
    public static void Write(Stream stream, CscMatrix matrix, bool compressed = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(matrix);
        WriteCompressed(stream, "csc", matrix.Rows, matrix.Cols, matrix.Pointers, matrix.Indices, matrix.Values,
            (compressed ? NpzCompression.Optimal : NpzCompression.None).ToZipLevel());
    }

    private readonly record struct RawMatrix(bool IsCsr, int Rows, int Cols, long[] Ptr, int[] Idx, float[] Val);

    private static RawMatrix ReadAny(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        NpyHeader.RequireLittleEndianHost();
        ZipArchive? zip = null;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            _ = zip.Entries.Count; // The central directory is parsed lazily; make its errors surface here.
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or ArgumentException or IOException)
        {
            zip?.Dispose();
            throw new XmrDataException(sourceName, null, null, null,
                stream.CanSeek && stream.Length == 0 ? "the file is empty; expected an npz (zip) archive." : $"not a valid npz (zip) archive ({e.Message})", e);
        }
        using (zip)
        {
            var archive = new NpzArchiveReader(zip, sourceName);
            string format = archive.Read("format.npy", -1, NpyArrayReader.ReadString);
            var shape = archive.Read("shape.npy", 1, NpyArrayReader.ReadInt64);
            if (shape.Length != 2)
                throw new XmrDataException(sourceName, null, "shape.npy", "shape", $"holds {shape.Length} numbers; a matrix shape has 2.");
            int rows = CheckDimension(shape[0], "rows", sourceName), cols = CheckDimension(shape[1], "columns", sourceName);
            Func<string, string, string, Exception> fail = (member, field, problem) => new XmrDataException(sourceName, null, member, field, problem);
            switch (format)
            {
                case "csr" or "csc":
                {
                    bool csr = format == "csr";
                    var ptr = archive.Read("indptr.npy", 1, NpyArrayReader.ReadInt64);
                    var idx = archive.Read("indices.npy", 1, NpyArrayReader.ReadInt32);
                    var val = archive.Read("data.npy", 1, NpyArrayReader.ReadFloat32);
                    var (p, i, v) = csr
                        ? CompressedCanonicalizer.Canonicalize(ptr, idx, val, rows, cols, "row", "column", fail)
                        : CompressedCanonicalizer.Canonicalize(ptr, idx, val, cols, rows, "column", "row", fail);
                    return new RawMatrix(csr, rows, cols, p, i, v);
                }
                case "coo":
                {
                    var r = archive.Read("row.npy", 1, NpyArrayReader.ReadInt32);
                    var c = archive.Read("col.npy", 1, NpyArrayReader.ReadInt32);
                    var val = archive.Read("data.npy", 1, NpyArrayReader.ReadFloat32);
                    MemoryGuard.EnsurePointers(rows + 1L, sourceName, "shape.npy", "rows");
                    var m = CooToCsr(r, c, val, rows, cols, fail);
                    return new RawMatrix(true, rows, cols, m.RowPtrArray, m.ColIdxArray, m.ValuesArray);
                }
                default:
                    throw new XmrDataException(sourceName, null, "format.npy", "format", $"'{format}' is not supported (csr, csc and coo are).");
            }
        }
    }

    /// <summary>COO triplets to CSR, summing duplicates like SciPy's <c>tocsr</c>.</summary>
    private static CsrMatrix CooToCsr(int[] r, int[] c, float[] val, int rows, int cols, Func<string, string, string, Exception> fail)
    {
        if (r.Length != c.Length || r.Length != val.Length)
            throw fail("data.npy", "shape", $"row.npy, col.npy and data.npy have {r.Length}, {c.Length} and {val.Length} entries; they must match.");
        var builder = new CooBuilder(rows, cols, r.Length);
        for (int k = 0; k < r.Length; k++)
        {
            if ((uint)r[k] >= (uint)rows) throw fail("row.npy", $"entry {k}", $"row {r[k]} is out of range [0, {rows}).");
            if ((uint)c[k] >= (uint)cols) throw fail("col.npy", $"entry {k}", $"column {c[k]} is out of range [0, {cols}).");
            builder.Add(r[k], c[k], val[k]);
        }
        var m = builder.ToCsr();
        var values = m.Values;
        for (int k = 0; k < values.Length; k++)
            if (!float.IsFinite(values[k])) throw fail("data.npy", "data", "duplicate entries sum to a value outside the float32 range.");
        return m;
    }

    private static int CheckDimension(long value, string what, string path)
    {
        if (value < 0 || value >= Array.MaxLength)
            throw new XmrDataException(path, null, "shape.npy", what, $"{value} is outside the supported range [0, {Array.MaxLength - 1}].");
        return (int)value;
    }

    private static void WriteCompressed(Stream stream, string format, int rows, int cols,
        ReadOnlySpan<long> ptr, ReadOnlySpan<int> idx, ReadOnlySpan<float> val, CompressionLevel level)
    {
        NpyHeader.RequireLittleEndianHost();
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        // Same member order as save_npz.
        using (var s = OpenMember(zip, "indices.npy", level))
        {
            WriteHeader(s, NpyDtype.Int32, [idx.Length]);
            s.Write(MemoryMarshal.AsBytes(idx));
        }
        using (var s = OpenMember(zip, "indptr.npy", level))
        {
            // Every pointer is at most nnz < 2^31 (nnz fits a .NET array), so int32 is exact, as in SciPy.
            WriteHeader(s, NpyDtype.Int32, [ptr.Length]);
            Span<int> chunk = stackalloc int[1024];
            for (int start = 0; start < ptr.Length; start += chunk.Length)
            {
                int n = Math.Min(chunk.Length, ptr.Length - start);
                for (int k = 0; k < n; k++) chunk[k] = checked((int)ptr[start + k]);
                s.Write(MemoryMarshal.AsBytes(chunk[..n]));
            }
        }
        using (var s = OpenMember(zip, "format.npy", level))
        {
            // As scipy's save_npz writes it (the format name encoded as ASCII bytes): PECOS's C++ loader reads only this.
            WriteHeader(s, new NpyDtype("|S3", NpyKind.Bytes, 3), []);
            Span<byte> ascii = [(byte)format[0], (byte)format[1], (byte)format[2]];
            s.Write(ascii);
        }
        using (var s = OpenMember(zip, "shape.npy", level))
        {
            WriteHeader(s, NpyDtype.Int64, [2]);
            Span<long> shape = [rows, cols];
            s.Write(MemoryMarshal.AsBytes(shape));
        }
        using (var s = OpenMember(zip, "data.npy", level))
        {
            WriteHeader(s, NpyDtype.Float32, [val.Length]);
            s.Write(MemoryMarshal.AsBytes(val));
        }
    }

    private static Stream OpenMember(ZipArchive zip, string name, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return entry.Open();
    }

    private static void WriteHeader(Stream s, NpyDtype dtype, long[] shape) =>
        s.Write(new NpyHeader(dtype, false, shape).ToBytes());
}
