using System.Runtime.InteropServices;
using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>
/// Dense 2-D float32 matrices in NumPy's <c>.npy</c> format (<c>numpy.save</c> / <c>numpy.load</c>).
/// </summary>
/// <remarks>
/// Reading accepts NPY versions 1.0, 2.0 and 3.0, C or Fortran order (converted to row-major), and any
/// little-endian float, integer or bool dtype (converted to float32). Rejected with
/// <see cref="XmrDataException"/> naming the file and field: bad magic, version or header, big-endian or
/// string dtypes, arrays that are not 2-D, NaN, infinite or out-of-float32-range values, and files shorter
/// or longer than the header says. Writing produces version 1.0, dtype <c>&lt;f4</c>, C order, atomically.
/// </remarks>
public static class NpyFormat
{
    /// <summary>Reads a 2-D array as a row-major float matrix.</summary>
    /// <param name="path">The .npy file.</param>
    /// <exception cref="XmrDataException">The file is malformed.</exception>
    public static float[,] ReadMatrix(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return ReadMatrix(stream, path);
    }

    /// <summary>
    /// Reads a dense 2-D array (rows x features) as a sparse matrix, its zeros dropped, so a dense feature matrix
    /// (embeddings, PECOS's dense inputs) trains and predicts through the sparse paths with the same dot products.
    /// Row-major float32 and float64 files are memory-mapped and converted row by row, without a dense copy; other
    /// dtypes and Fortran order are read as by <see cref="ReadMatrix(string)"/>. Errors name the file and the field
    /// (<c>descr</c>, <c>shape</c>, <c>data</c> with the row and column of a NaN or infinite value).
    /// </summary>
    /// <param name="path">The .npy file.</param>
    /// <exception cref="XmrDataException">The file is malformed.</exception>
    public static CsrMatrix ReadCsr(string path) => NpyDenseRows.Read(path);

    /// <summary>Reads a 2-D array from a stream; <paramref name="sourceName"/> names it in error messages.</summary>
    /// <param name="stream">The .npy bytes, read to their end.</param>
    /// <param name="sourceName">The name used as the file in error messages.</param>
    /// <exception cref="XmrDataException">The data is malformed.</exception>
    public static float[,] ReadMatrix(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        NpyHeader.RequireLittleEndianHost();
        Func<string, string, Exception> fail = (field, problem) => new XmrDataException(sourceName, null, null, field, problem);
        long start = stream.CanSeek ? stream.Position : 0;
        var (header, headerLength) = NpyHeader.Read(stream, fail);
        if (header.Shape.Length != 2)
            throw fail("shape", $"has {header.Shape.Length} dimensions ({string.Join(", ", header.Shape)}); a matrix has 2.");
        if (header.Shape[0] > Array.MaxLength || header.Shape[1] > Array.MaxLength)
            throw fail("shape", $"({header.Shape[0]}, {header.Shape[1]}) exceeds the supported size.");
        if (stream.CanSeek)
        {
            long expected;
            try
            {
                expected = checked(headerLength + header.ElementCount * header.Dtype.ItemSize);
            }
            catch (OverflowException)
            {
                throw fail("shape", "the array size overflows.");
            }
            long actual = stream.Length - start;
            if (actual < expected) throw fail("data", $"the file is truncated: the header needs {expected} bytes but there are {actual}.");
            if (actual > expected) throw fail("data", $"the file holds {actual} bytes but its header describes {expected}.");
        }
        int rows = (int)header.Shape[0], cols = (int)header.Shape[1];
        var flat = NpyArrayReader.ReadFloat32(stream, header, fail);
        var result = new float[rows, cols];
        var dest = MemoryMarshal.CreateSpan(ref Unsafe2D(result), flat.Length);
        if (!header.FortranOrder || rows <= 1 || cols <= 1)
        {
            flat.CopyTo(dest);
        }
        else
        {
            // Fortran order stores column after column.
            for (int c = 0; c < cols; c++)
                for (int r = 0; r < rows; r++)
                    dest[r * cols + c] = flat[c * rows + r];
        }
        return result;
    }

    /// <summary>Writes a row-major float matrix as a version 1.0 <c>&lt;f4</c> .npy file, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="matrix">The matrix.</param>
    public static void Write(string path, float[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        AtomicFile.Write(path, stream => Write(stream, matrix));
    }

    /// <summary>Writes a row-major float matrix as .npy to a stream (left open).</summary>
    /// <param name="stream">Destination.</param>
    /// <param name="matrix">The matrix.</param>
    public static void Write(Stream stream, float[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(matrix);
        NpyHeader.RequireLittleEndianHost();
        var header = new NpyHeader(NpyDtype.Float32, false, [matrix.GetLength(0), matrix.GetLength(1)]);
        stream.Write(header.ToBytes());
        stream.Write(MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref Unsafe2D(matrix), matrix.Length)));
        stream.Flush();
    }

    private static ref float Unsafe2D(float[,] matrix) =>
        ref System.Runtime.CompilerServices.Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(matrix));
}
