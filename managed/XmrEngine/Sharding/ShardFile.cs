namespace XmrEngine.Sharding;

/// <summary>One file of a sharded model as the manifest records it: its name inside the model directory, its
/// SHA-256 (lower-case hex) and its length in bytes, checked before the file is used.</summary>
/// <param name="Name">File name inside the model directory (no directory part).</param>
/// <param name="Sha256">SHA-256 of the whole file, 64 lower-case hex digits.</param>
/// <param name="Bytes">File length.</param>
public sealed record ShardFile(string Name, string Sha256, long Bytes);
