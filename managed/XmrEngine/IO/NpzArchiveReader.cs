using System.IO.Compression;

namespace XmrEngine.IO;

/// <summary>
/// Reads NPY members of an NPZ (zip) archive with checks that turn every kind of damage into an
/// <see cref="XmrDataException"/> naming the file and member: missing members, corrupt zip or deflate
/// data, members whose CRC-32 does not match the archive's record (stored and deflated alike, as SciPy
/// checks them), implausible sizes (so a tiny file cannot make us allocate gigabytes), truncated or
/// over-long arrays and bad headers.
/// </summary>
internal sealed class NpzArchiveReader
{
    /// <summary>Deflate cannot expand by more than about 1032:1; anything above this bound is corrupt or hostile.</summary>
    private const long MaxDeflateRatio = 1100;

    private readonly ZipArchive _zip;
    private readonly string _path;

    public NpzArchiveReader(ZipArchive zip, string path)
    {
        _zip = zip;
        _path = path;
    }

    public bool Has(string member) => _zip.GetEntry(member) is not null;

    public delegate T ArrayReader<T>(Stream stream, NpyHeader header, Func<string, string, Exception> fail);

    /// <summary>Reads one member; <paramref name="dimensions"/> is the required number of dimensions (-1: any).</summary>
    public T Read<T>(string member, int dimensions, ArrayReader<T> read)
    {
        var entry = _zip.GetEntry(member)
            ?? throw new XmrDataException(_path, null, member, null, "the member is missing; this is not a complete SciPy sparse matrix file.");
        Func<string, string, Exception> fail = (field, problem) => new XmrDataException(_path, null, member, field, problem);
        if (entry.Length > entry.CompressedLength * MaxDeflateRatio + 4096)
            throw fail("size", $"claims {entry.Length} bytes from {entry.CompressedLength} compressed bytes, which is impossible; the archive is corrupt.");
        try
        {
            using var stream = new Crc32ReadStream(entry.Open());
            T result;
            try
            {
                result = ReadChecked(stream, entry, dimensions, read, fail);
            }
            catch (XmrDataException e)
            {
                // A damaged byte usually surfaces first as a bad header or value; the CRC names the real cause.
                CheckCrc(stream, entry, e);
                throw;
            }
            CheckCrc(stream, entry, null);
            return result;
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw new XmrDataException(_path, null, member, "data", $"the compressed data is corrupt ({e.Message})", e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new XmrDataException(_path, null, member, "data", $"the member cannot be read ({e.Message})", e);
        }
    }

    private static T ReadChecked<T>(Stream stream, ZipArchiveEntry entry, int dimensions, ArrayReader<T> read, Func<string, string, Exception> fail)
    {
        var (header, headerLength) = NpyHeader.Read(stream, fail);
        if (dimensions >= 0 && header.Shape.Length != dimensions)
            throw fail("shape", $"has {header.Shape.Length} dimensions ({string.Join(", ", header.Shape)}); {dimensions} expected.");
        long expected;
        try
        {
            expected = checked(headerLength + header.ElementCount * header.Dtype.ItemSize);
        }
        catch (OverflowException)
        {
            throw fail("shape", "the array size overflows.");
        }
        if (entry.Length < expected)
            throw fail("data", $"the member is truncated: the header needs {expected} bytes but the member holds {entry.Length}.");
        if (entry.Length > expected)
            throw fail("data", $"the member holds {entry.Length} bytes but its header describes {expected}.");
        return read(stream, header, fail);
    }

    /// <summary>
    /// Compares the CRC-32 of the whole member (reading what the parser left, which is nothing for a valid
    /// member) with the one the archive records, as zip readers such as Python's zipfile (used by SciPy) do.
    /// </summary>
    private void CheckCrc(Crc32ReadStream stream, ZipArchiveEntry entry, Exception? parseError)
    {
        stream.ReadToEnd();
        if (stream.Crc != entry.Crc32)
            throw new XmrDataException(_path, null, entry.FullName, "data",
                $"Bad CRC-32: the member's bytes give {stream.Crc:x8} but the archive records {entry.Crc32:x8}; the file is corrupt.", parseError);
    }
}
