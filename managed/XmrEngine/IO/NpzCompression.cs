using System.IO.Compression;

namespace XmrEngine.IO;

/// <summary>How the members of a written <c>.npz</c> archive are stored. Every choice reads back the same; SciPy reads them all.</summary>
public enum NpzCompression
{
    /// <summary>Stored, not deflated (<c>save_npz(compressed=False)</c>): the fastest write, the largest file.</summary>
    None,

    /// <summary>Deflated at zlib's fastest level: several times faster to write than <see cref="Optimal"/>, a somewhat larger file.</summary>
    Fastest,

    /// <summary>Deflated at the default level (what <c>save_npz</c> does): the smallest file, the slowest write.</summary>
    Optimal,
}

internal static class NpzCompressionLevels
{
    public static CompressionLevel ToZipLevel(this NpzCompression compression) => compression switch
    {
        NpzCompression.None => CompressionLevel.NoCompression,
        NpzCompression.Fastest => CompressionLevel.Fastest,
        NpzCompression.Optimal => CompressionLevel.Optimal,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown npz compression."),
    };
}
