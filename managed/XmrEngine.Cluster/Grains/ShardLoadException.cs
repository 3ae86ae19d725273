namespace XmrEngine.Cluster.Grains;

/// <summary>
/// A grain could not use a file it needs: a shard grain its shard file (missing, corrupt, or not the file the manifest
/// describes), a training job its data file. It carries the file's path and the loader's message across the wire, and
/// is never retried: another attempt would read the same file.
/// </summary>
[GenerateSerializer, Alias("xmr.ShardLoadException")]
public sealed class ShardLoadException : Exception
{
    /// <summary>The file that was refused.</summary>
    [Id(0)] public string FilePath { get; private set; }

    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The refused file.</param>
    /// <param name="message">What is wrong, naming the file.</param>
    public ShardLoadException(string filePath, string message) : base(message)
    {
        FilePath = filePath;
    }
}
