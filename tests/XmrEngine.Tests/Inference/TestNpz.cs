using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Inference;

/// <summary>
/// A minimal scipy <c>save_npz</c> writer and reader for test fixtures only: an uncompressed zip of
/// .npy arrays "indices", "indptr", "format", "shape", "data" (PECOS saves with compressed=False).
/// </summary>
internal static class TestNpz
{
    public static void WriteCsc(string path, CscMatrix m)
    {
        File.Delete(path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, "indices", "<i4", m.Indices.ToArray(), m.Indices.Length);
        Add(zip, "indptr", "<i8", m.Pointers.ToArray(), m.Pointers.Length);
        Add(zip, "format", "|S3", Encoding.ASCII.GetBytes("csc"), -1);
        Add(zip, "shape", "<i8", new long[] { m.Rows, m.Cols }, 2);
        Add(zip, "data", "<f4", m.Values.ToArray(), m.Values.Length);
    }

    private static void Add<T>(ZipArchive zip, string name, string descr, T[] data, int length) where T : unmanaged
    {
        var entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression);
        using var s = entry.Open();
        string shape = length < 0 ? "()" : $"({length},)";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict + new string(' ', padded - total) + "\n";
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        s.Write(BitConverter.GetBytes((ushort)header.Length));
        s.Write(Encoding.ASCII.GetBytes(header));
        s.Write(MemoryMarshal.AsBytes(data.AsSpan()));
    }

    public static CscMatrix ReadCsc(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var arrays = zip.Entries.ToDictionary(e => Path.GetFileNameWithoutExtension(e.Name), Read);
        string format = Encoding.ASCII.GetString(arrays["format"].Bytes);
        var shape = Longs(arrays["shape"]);
        var indptr = Longs(arrays["indptr"]);
        var indices = Longs(arrays["indices"]).Select(x => (int)x).ToArray();
        var data = MemoryMarshal.Cast<byte, float>(arrays["data"].Bytes).ToArray();
        if (format == "csc") return new CscMatrix((int)shape[0], (int)shape[1], indptr, indices, data);
        if (format == "csr") return new CsrMatrix((int)shape[0], (int)shape[1], indptr, indices, data).ToCsc();
        throw new FormatException($"Unsupported sparse format '{format}'.");
    }

    private static long[] Longs((string Descr, byte[] Bytes) a) => a.Descr switch
    {
        "<i4" => MemoryMarshal.Cast<byte, int>(a.Bytes).ToArray().Select(x => (long)x).ToArray(),
        "<i8" => MemoryMarshal.Cast<byte, long>(a.Bytes).ToArray(),
        _ => throw new FormatException($"Unsupported integer dtype {a.Descr}."),
    };

    private static (string Descr, byte[] Bytes) Read(ZipArchiveEntry entry)
    {
        using var s = entry.Open();
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        var all = ms.ToArray();
        int headerLength = BitConverter.ToUInt16(all, 8);
        string header = Encoding.ASCII.GetString(all, 10, headerLength);
        string descr = Regex.Match(header, "'descr': '([^']+)'").Groups[1].Value;
        return (descr, all[(10 + headerLength)..]);
    }

}
