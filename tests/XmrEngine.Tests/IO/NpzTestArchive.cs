using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace XmrEngine.Tests.IO;

/// <summary>
/// Builds NPY members and NPZ archives byte by byte, independently of the library's writer, so tests can
/// produce unusual but valid files (other dtypes, header versions, unsorted indices) and broken ones.
/// </summary>
internal static class NpzTestArchive
{
    public static byte[] Bytes<T>(params T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>An NPY file; <paramref name="dict"/> replaces the generated header text when given.</summary>
    public static byte[] Npy(string descr, string shape, byte[] data, int major = 1, string? dict = null)
    {
        dict ??= $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int lengthBytes = major == 1 ? 2 : 4;
        int total = (10 + (lengthBytes - 2) + dict.Length + 1 + 63) / 64 * 64;
        int headerLength = total - 8 - lengthBytes;
        var header = new List<byte> { 0x93 };
        header.AddRange("NUMPY"u8.ToArray());
        header.Add((byte)major);
        header.Add(0);
        if (lengthBytes == 2) header.AddRange(BitConverter.GetBytes((ushort)headerLength));
        else header.AddRange(BitConverter.GetBytes((uint)headerLength));
        header.AddRange(Encoding.ASCII.GetBytes(dict.PadRight(headerLength - 1)));
        header.Add((byte)'\n');
        return [.. header, .. data];
    }

    public static byte[] Zip(bool compressed, params (string Name, byte[] Content)[] members)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in members)
            {
                var entry = zip.CreateEntry(name, compressed ? CompressionLevel.Fastest : CompressionLevel.NoCompression);
                using var s = entry.Open();
                s.Write(content);
            }
        }
        return stream.ToArray();
    }

    /// <summary>The members of a sparse matrix file in SciPy's order, with int32 indices and float32 data.</summary>
    public static (string, byte[])[] Members(string format, long rows, long cols, int[] indptr, int[] indices, float[] data) =>
    [
        ("indices.npy", Npy("<i4", $"({indices.Length},)", Bytes(indices))),
        ("indptr.npy", Npy("<i4", $"({indptr.Length},)", Bytes(indptr))),
        ("format.npy", Npy("|S3", "()", Encoding.ASCII.GetBytes(format))),
        ("shape.npy", Npy("<i8", "(2,)", Bytes(rows, cols))),
        ("data.npy", Npy("<f4", $"({data.Length},)", Bytes(data))),
    ];

    /// <summary>Replaces (or, with null content, removes) one member.</summary>
    public static (string, byte[])[] With(this (string Name, byte[] Content)[] members, string name, byte[]? content) =>
        content is null
            ? members.Where(m => m.Name != name).ToArray()
            : members.Select(m => m.Name == name ? (m.Name, content) : m).ToArray();
}
