namespace XmrEngine.Tests.Support;

/// <summary>
/// Finds PECOS's public source tree, read (never copied) by the tests that compare xmr with PECOS's own
/// fixtures: <c>PECOS_SRC</c> when set, else <c>&lt;repo root&gt;/../peers/pecos</c>. CI machines have no
/// PECOS, so those tests skip there; every feature they cover has tests of its own that do not need it.
/// </summary>
public static class PecosSource
{
    /// <summary>The PECOS source folder, or <c>null</c> when it cannot be found.</summary>
    public static string? Root { get; } = Locate();

    /// <summary>
    /// The full path of <paramref name="name"/> in PECOS's XR-Linear test fixtures
    /// (<c>test/tst-data/xmc/xlinear</c>); skips the test when the source or the file is absent.
    /// </summary>
    public static string RequireXLinearFixture(string name)
    {
        if (Root is null)
            Assert.Ignore("PECOS source not found (set PECOS_SRC, or place it at <repo root>/../peers/pecos); skipping.");
        string path = Path.Combine(Root!, "test", "tst-data", "xmc", "xlinear", name);
        if (!File.Exists(path)) Assert.Ignore($"PECOS fixture '{path}' is absent; skipping.");
        return path;
    }

    private static string? Locate()
    {
        string? configured = Environment.GetEnvironmentVariable("PECOS_SRC");
        string? candidate = !string.IsNullOrEmpty(configured) ? configured
            : SharedData.RepoRoot is string root ? Path.Combine(root, "..", "peers", "pecos") : null;
        return candidate is not null && Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
    }
}
