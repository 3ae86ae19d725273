using System.IO.MemoryMappedFiles;
using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>
/// A dense 2-D <c>.npy</c> feature matrix read as sparse rows (its zeros dropped), so dense inputs such as sentence
/// embeddings go through every sparse path unchanged and the dot products are those of the dense rows. Row-major
/// float32 and float64 files are memory-mapped and converted row by row, without a dense copy in memory; other dtypes
/// and Fortran order are read through <see cref="NpyFormat.ReadMatrix(string)"/> first.
/// </summary>
internal static class NpyDenseRows
{
    public static CsrMatrix Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        NpyHeader.RequireLittleEndianHost();
        Func<string, string, Exception> fail = (field, problem) => new XmrDataException(path, null, null, field, problem);
        NpyHeader header;
        int headerLength;
        long fileLength;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096))
        {
            (header, headerLength) = NpyHeader.Read(stream, fail);
            fileLength = stream.Length;
        }
        if (header.Shape.Length != 2)
            throw fail("shape", $"has {header.Shape.Length} dimensions ({string.Join(", ", header.Shape)}); a feature matrix has 2 (rows, features).");
        if (header.Shape[0] > int.MaxValue || header.Shape[1] > int.MaxValue)
            throw fail("shape", $"({header.Shape[0]}, {header.Shape[1]}) exceeds the supported size.");
        bool mappable = header.Dtype.Kind == NpyKind.Float && header.Dtype.ItemSize is 4 or 8 && !header.FortranOrder;
        if (!mappable) return FromDense(NpyFormat.ReadMatrix(path));
        long expected;
        try
        {
            expected = checked(headerLength + header.ElementCount * header.Dtype.ItemSize);
        }
        catch (OverflowException)
        {
            throw fail("shape", "the array size overflows.");
        }
        if (fileLength < expected) throw fail("data", $"the file is truncated: the header needs {expected} bytes but there are {fileLength}.");
        if (fileLength > expected) throw fail("data", $"the file holds {fileLength} bytes but its header describes {expected}.");
        return Mapped(path, (int)header.Shape[0], (int)header.Shape[1], header.Dtype.ItemSize == 8, headerLength, fileLength, fail);
    }

    private static unsafe CsrMatrix Mapped(string path, int rows, int cols, bool doubles, int offset, long length, Func<string, string, Exception> fail)
    {
        if ((long)rows * cols == 0) return CsrMatrix.Empty(rows, cols);
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        try
        {
            byte* data = start + view.PointerOffset + offset;
            // Two passes over the mapped rows: count the non-zeros (and check every value), then fill exact arrays.
            var ptr = new long[rows + 1];
            for (int r = 0; r < rows; r++)
            {
                int count = 0;
                for (int c = 0; c < cols; c++)
                {
                    float v = Value(data, doubles, (long)r * cols + c, r, c, fail);
                    if (v != 0) count++;
                }
                ptr[r + 1] = ptr[r] + count;
            }
            if (ptr[rows] > Array.MaxLength) throw fail("data", $"{ptr[rows]} non-zero values exceed the supported size.");
            var indices = new int[ptr[rows]];
            var values = new float[ptr[rows]];
            long k = 0;
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    float v = Value(data, doubles, (long)r * cols + c, r, c, fail);
                    if (v == 0) continue;
                    indices[k] = c;
                    values[k++] = v;
                }
            }
            return new CsrMatrix(rows, cols, ptr, indices, values);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    private static unsafe float Value(byte* data, bool doubles, long element, int row, int col, Func<string, string, Exception> fail)
    {
        if (!doubles)
        {
            float f = ((float*)data)[element];
            return float.IsFinite(f) ? f : throw fail("data", $"row {row}, column {col} is NaN or infinite.");
        }
        double d = ((double*)data)[element];
        float v = (float)d;
        if (float.IsFinite(v)) return v;
        throw fail("data", double.IsFinite(d) ? $"row {row}, column {col} ({d:R}) is outside the float32 range." : $"row {row}, column {col} is NaN or infinite.");
    }

    private static CsrMatrix FromDense(float[,] dense)
    {
        int rows = dense.GetLength(0), cols = dense.GetLength(1);
        var ptr = new long[rows + 1];
        var indices = new List<int>();
        var values = new List<float>();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                float v = dense[r, c];
                if (v == 0) continue;
                indices.Add(c);
                values.Add(v);
            }
            ptr[r + 1] = indices.Count;
        }
        return new CsrMatrix(rows, cols, ptr, [.. indices], [.. values]);
    }
}
