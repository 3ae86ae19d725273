using XmrEngine.IO;

namespace XmrEngine.Sharding;

/// <summary>Checks a file of a sharded model against its manifest entry before it is used.</summary>
internal static class ShardFiles
{
    /// <summary>
    /// The full path of <paramref name="file"/> in <paramref name="directory"/> after checking that it exists,
    /// has the recorded length and (with <paramref name="verifySha256"/>) the recorded SHA-256.
    /// </summary>
    /// <exception cref="XmrDataException">The file is missing, truncated, longer, or its content differs; names the file.</exception>
    public static string Verify(string directory, ShardFile file, bool verifySha256)
    {
        ArgumentNullException.ThrowIfNull(file);
        string path = Path.Combine(directory, file.Name);
        if (!File.Exists(path)) throw new XmrDataException(path, null, null, null, $"is missing; the manifest {ShardManifest.FileName} lists it");
        long length = new FileInfo(path).Length;
        if (length != file.Bytes)
            throw new XmrDataException(path, null, null, "length", $"is {length:N0} bytes but the manifest records {file.Bytes:N0} (truncated or replaced)");
        if (verifySha256)
        {
            string actual = ModelSharder.Sha256(path);
            if (actual != file.Sha256)
                throw new XmrDataException(path, null, null, "sha256", $"is {actual} but the manifest records {file.Sha256} (corrupt or replaced)");
        }
        return path;
    }
}
