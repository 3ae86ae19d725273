namespace XmrEngine.Tests.Support;

/// <summary>
/// Finds the real data sets in <c>shared/data</c>, which sits beside the repository checkout
/// (<c>&lt;repo root&gt;/../shared/data</c>, where the repo root is the folder holding XmrEngine.sln).
/// Tests that need a file call <see cref="RequireFile"/>, which skips the test when the data is absent.
/// </summary>
public static class SharedData
{
    /// <summary>The full path of the shared data folder, or <c>null</c> when it cannot be found.</summary>
    public static string? DataDir { get; } = Locate();

    /// <summary>The repository root (the folder with XmrEngine.sln above the test assembly), or <c>null</c>.</summary>
    public static string? RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// The full path of <paramref name="relative"/> inside the data folder (for example "bibtex/train.txt");
    /// calls <see cref="Assert.Ignore(string)"/> with a clear message when the folder or the file is absent.
    /// </summary>
    public static string RequireFile(string relative)
    {
        if (DataDir is null)
            Assert.Ignore($"Shared data folder not found (looked for <repo root>/../shared/data above {AppContext.BaseDirectory}); skipping.");
        string path = Path.GetFullPath(Path.Combine(DataDir!, relative));
        if (!File.Exists(path)) Assert.Ignore($"Shared data file '{path}' is absent; skipping.");
        return path;
    }

    /// <summary>
    /// The full path of the folder <paramref name="relative"/> inside the data folder (for example "reuters21578");
    /// calls <see cref="Assert.Ignore(string)"/> with a clear message when it is absent.
    /// </summary>
    public static string RequireDirectory(string relative)
    {
        if (DataDir is null)
            Assert.Ignore($"Shared data folder not found (looked for <repo root>/../shared/data above {AppContext.BaseDirectory}); skipping.");
        string path = Path.GetFullPath(Path.Combine(DataDir!, relative));
        if (!Directory.Exists(path)) Assert.Ignore($"Shared data folder '{path}' is absent; skipping.");
        return path;
    }

    private static string? Locate()
    {
        if (FindRepoRoot() is not string root) return null;
        string candidate = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XmrEngine.sln"))) return dir.FullName;
        }
        return null;
    }
}
