using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Synthetic;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// A small synthetic XMR data set written as .txt files, and a model trained on it with <c>xmr train</c>,
/// made once for all CLI tests. The feature rows are scaled by 1..7 (not unit length), so whether a
/// command normalises them makes a difference.
/// </summary>
internal sealed class CliData : IDisposable
{
    public const int Labels = 60;
    public const int Features = 3000;

    private static readonly Lazy<CliData> Instance = new(() => new CliData());

    public static CliData Shared => Instance.Value;

    private readonly TempDir _dir = new();

    public string Train { get; }
    public string Test { get; }
    public string Model { get; }
    public CsrMatrix TestLabels { get; }

    private CliData()
    {
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 900, Features = Features, Labels = Labels, Seed = 3 });
        var scaled = Scaled(x);
        var train = Enumerable.Range(0, 700).ToArray();
        var test = Enumerable.Range(700, 200).ToArray();
        Train = _dir.File("train.txt");
        Test = _dir.File("test.txt");
        XmcTextFormat.Write(Train, scaled.SelectRows(train), y.SelectRows(train));
        XmcTextFormat.Write(Test, scaled.SelectRows(test), y.SelectRows(test));
        TestLabels = y.SelectRows(test);
        Model = _dir.File("model.xmr");
        var run = Xmr.Run("train", "-x", Train, "-m", Model, "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1");
        if (run.ExitCode != 0) throw new InvalidOperationException($"training the shared CLI model failed: {run}");
    }

    /// <summary>A fresh directory for one test's outputs.</summary>
    public static TempDir Scratch() => new();

    /// <summary>Row r multiplied by 1 + r % 7.</summary>
    public static CsrMatrix Scaled(CsrMatrix x)
    {
        var values = x.Values.ToArray();
        var ptr = x.Pointers;
        for (int r = 0; r < x.Rows; r++)
            for (long i = ptr[r]; i < ptr[r + 1]; i++) values[i] *= 1 + r % 7;
        return new CsrMatrix(x.Rows, x.Cols, ptr.ToArray(), x.Indices.ToArray(), values);
    }

    public void Dispose() => _dir.Dispose();
}
