namespace XmrEngine.Cli;

/// <summary>
/// Checks a command's output locations before any work starts: an output must not be one of the command's
/// inputs (compared as fully resolved paths, symbolic links followed, so <c>-o ./m.xmr</c> and
/// <c>-m m.xmr</c> are the same file), and its directory must exist and be writable, so a long training run
/// cannot fail at the end because of a typo or a read-only folder. Errors name the flag and the path the
/// user typed.
/// </summary>
internal static class OutputPaths
{
    /// <summary>
    /// Fails when <paramref name="output"/> resolves to the same file or directory as one of
    /// <paramref name="inputs"/> (null inputs and "-" are skipped), or when it cannot be written.
    /// </summary>
    /// <param name="output">The output flag and the path given for it.</param>
    /// <param name="inputs">The command's input flags and paths.</param>
    public static void Check((string Flag, string Path) output, params (string Flag, string? Path)[] inputs)
    {
        if (output.Path == "-") return;
        RefuseInputs(output, inputs);
        EnsureWritable(output.Flag, output.Path);
    }

    /// <summary>
    /// <see cref="Check"/> for an output that is one file (a model file, predictions, a matrix): it also fails when the
    /// path is an existing directory, before any work, instead of when the file is finally written.
    /// </summary>
    public static void CheckFile((string Flag, string Path) output, params (string Flag, string? Path)[] inputs)
    {
        if (output.Path == "-") return;
        if (Directory.Exists(output.Path))
            throw new IOException($"{output.Flag} {output.Path}: is a directory; this output is one file, so give a file name (inside it, or elsewhere).");
        Check(output, inputs);
    }

    /// <summary>Fails when <paramref name="output"/> resolves to the same path as one of <paramref name="inputs"/>.</summary>
    public static void RefuseInputs((string Flag, string Path) output, params (string Flag, string? Path)[] inputs)
    {
        string target = Resolve(output.Path);
        foreach (var (flag, path) in inputs)
        {
            if (path is null || path == "-") continue;
            if (string.Equals(Resolve(path), target, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                throw new ArgumentException($"{output.Flag} {output.Path}: is also the input {flag} {path}; writing it would destroy the input. Choose another output path.");
        }
    }

    /// <summary>Refuses a predictions path that does not end in .npz (predictions are always written as SciPy .npz).</summary>
    public static void RequireNpz(string flag, string path)
    {
        if (!path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{flag} {path}: predictions are written as a SciPy .npz file; give a name ending in .npz.");
    }

    /// <summary>
    /// Fails unless <paramref name="path"/> can be created or replaced: its parent directory exists and
    /// accepts a new file (and, for an existing directory, so does the directory itself, since directory
    /// models are written inside it). Tested by creating and deleting a probe file: permission bits do not
    /// tell the whole story (read-only mounts, ACLs, root).
    /// </summary>
    public static void EnsureWritable(string flag, string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string parent = Path.GetDirectoryName(full) ?? full;
        if (!Directory.Exists(parent))
            throw new DirectoryNotFoundException($"{flag} {path}: the directory {parent} does not exist.");
        Probe(flag, path, parent);
        if (Directory.Exists(full)) Probe(flag, path, full);
    }

    private static void Probe(string flag, string path, string directory)
    {
        // DeleteOnClose removes the probe even if the process dies right after opening it.
        string probe = Path.Combine(directory, $".xmr-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{flag} {path}: cannot write in {directory} ({ex.Message.TrimEnd('.')}).", ex);
        }
    }

    /// <summary>The absolute path with every symbolic link along it resolved (as far as the path exists).</summary>
    internal static string Resolve(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        // Resolve the longest existing prefix, then append the rest: the output usually does not exist yet.
        var rest = new Stack<string>();
        string current = full;
        while (!File.Exists(current) && !Directory.Exists(current))
        {
            string? parent = Path.GetDirectoryName(current);
            if (parent is null) return full;
            rest.Push(Path.GetFileName(current));
            current = parent;
        }
        string resolved = RealPath(current);
        while (rest.Count > 0) resolved = Path.Combine(resolved, rest.Pop());
        return resolved;
    }

    private static string RealPath(string existing)
    {
        // Walk from the root so that a link in any component (not only the last) is followed.
        string root = Path.GetPathRoot(existing) ?? "/";
        string result = root;
        foreach (var part in existing[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(result, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
            result = target is null ? next : Path.TrimEndingDirectorySeparator(Path.GetFullPath(target.FullName));
        }
        return result;
    }
}
