namespace XmrEngine.IO;

/// <summary>
/// Rewrites a file-system error raised on a hidden temporary (for example <c>Access to the path
/// '/models/.m.npz.3f2a….tmp' is denied</c>) so that it names the path the user asked to write instead:
/// the temporary is an implementation detail and is gone by the time the message is read. The exception
/// type is kept, so callers that catch <see cref="UnauthorizedAccessException"/> or
/// <see cref="DirectoryNotFoundException"/> still do.
/// </summary>
internal static class SavePathErrors
{
    public static bool Mentions(Exception e, string temporaryPath) => e.Message.Contains(temporaryPath, StringComparison.Ordinal);

    public static Exception Renamed(Exception e, string temporaryPath, string userPath)
    {
        string message = e.Message.Replace(temporaryPath, userPath, StringComparison.Ordinal);
        return e switch
        {
            UnauthorizedAccessException => new UnauthorizedAccessException($"{userPath}: cannot be written: {message}", e),
            DirectoryNotFoundException => new DirectoryNotFoundException($"{userPath}: cannot be written: {message}", e),
            PathTooLongException => new PathTooLongException($"{userPath}: cannot be written: {message}", e),
            _ => new IOException($"{userPath}: cannot be written: {message}", e),
        };
    }
}
