namespace XmrEngine.Tests.Text;

/// <summary>Finds the real data sets beside the checkout: the folder holding XmrEngine.sln, then ../shared/data.</summary>
internal static class SharedDataLocator
{
    /// <summary>The path of a data set folder, or null when the shared data folder is absent.</summary>
    public static string? Find(string dataSet)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "XmrEngine.sln"))) continue;
            string path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", dataSet));
            return Directory.Exists(path) ? path : null;
        }
        return null;
    }

    /// <summary>The data set folder, or an NUnit "ignored" result with a clear message when it is absent.</summary>
    public static string Require(string dataSet) =>
        Find(dataSet) ?? throw new IgnoreException($"Real data '{dataSet}' not found (expected ../shared/data/{dataSet} beside the folder holding XmrEngine.sln); skipping.");
}
