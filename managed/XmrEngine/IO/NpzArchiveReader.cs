using System.IO.Compression;

namespace XmrEngine.IO;

/// <summary>
/// Reads NPY members of an NPZ (zip) archive with checks that turn every kind of damage into an
/// <see cref="XmrDataException"/> naming the file and member: missing members, corrupt zip or deflate
/// data, implausible sizes (so a tiny file cannot make us allocate gigabytes), truncated or over-long
/// arrays and bad headers.
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
            using var stream = entry.Open();
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
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw new XmrDataException(_path, null, member, "data", $"the compressed data is corrupt ({e.Message})", e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new XmrDataException(_path, null, member, "data", $"the member cannot be read ({e.Message})", e);
        }
    }
}
