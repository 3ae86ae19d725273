using XmrEngine.IO;
using XmrEngine.Sparse;

namespace XmrEngine.Benchmarks;

/// <summary>
/// The Bibtex train and test splits (XMC repository text format, rows L2-normalised as
/// <c>xmr bench xlinear</c> reads them), loaded once per benchmark process. The folder is
/// <c>$XMR_BIBTEX_DIR</c> when set, otherwise <c>shared/data/bibtex</c> beside the repository checkout
/// (found by walking up from the benchmark's binaries to the folder holding XmrEngine.sln).
/// </summary>
public static class BibtexData
{
    /// <summary>Environment variable that overrides where train.txt and test.txt are read from.</summary>
    public const string DirectoryVariable = "XMR_BIBTEX_DIR";

    private static readonly Lazy<(CsrMatrix X, CsrMatrix Y, CsrMatrix TestX)> s_data = new(Load);

    /// <summary>Training features, 4,880 x 1,836, rows L2-normalised.</summary>
    public static CsrMatrix TrainX => s_data.Value.X;

    /// <summary>Training labels, 4,880 x 159.</summary>
    public static CsrMatrix TrainY => s_data.Value.Y;

    /// <summary>Test features, 2,515 x 1,836, rows L2-normalised.</summary>
    public static CsrMatrix TestX => s_data.Value.TestX;

    private static (CsrMatrix, CsrMatrix, CsrMatrix) Load()
    {
        string dir = Locate();
        var train = XmcTextFormat.Read(Path.Combine(dir, "train.txt"));
        var test = XmcTextFormat.Read(Path.Combine(dir, "test.txt"));
        return (train.Features.NormalizeRows(RowNorm.L2), train.Labels, test.Features.NormalizeRows(RowNorm.L2));
    }

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return Checked(fromEnv, $"${DirectoryVariable}");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XmrEngine.sln")))
                return Checked(Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "bibtex")), "shared/data beside the checkout");
        throw new DirectoryNotFoundException(
            $"Cannot find the Bibtex data: no XmrEngine.sln above {AppContext.BaseDirectory}; set {DirectoryVariable} to the folder holding train.txt and test.txt.");
    }

    private static string Checked(string dir, string source)
    {
        foreach (var file in new[] { "train.txt", "test.txt" })
            if (!File.Exists(Path.Combine(dir, file)))
                throw new FileNotFoundException($"Bibtex file '{Path.Combine(dir, file)}' (from {source}) does not exist; set {DirectoryVariable} to the folder holding train.txt and test.txt.");
        return dir;
    }
}
