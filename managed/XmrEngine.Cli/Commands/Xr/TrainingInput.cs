using System.CommandLine;
using System.Diagnostics;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands.Xr;

/// <summary>The training data and output options shared by `xmr train` and `xmr tune`, and the loading step behind them.</summary>
internal sealed class TrainingInput
{
    public Option<string> X { get; } = new("-x") { Description = "Training features: .npz, dense .npy, or an XMC repository .txt / .svm (then labels are read from it); several joined by commas are read side by side (dense.npy,tfidf.npz).", Required = true };
    public Option<string?> Y { get; } = new("-y") { Description = "Training labels (.npz); not needed when -x is a .txt/.svm data set." };
    public Option<string> Model { get; } = new("--model", "-m") { Description = "Output model file.", Required = true };
    public Option<bool> NoNormalize { get; } = new("--no-normalize") { Description = "Do not L2-normalise the feature rows (of any input format); the model records the choice and predict follows it." };

    /// <summary>Adds the four options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { X, Y, Model, NoNormalize }) command.Options.Add(o);
    }

    /// <summary>The output path after checking it against the inputs (and any <paramref name="more"/> inputs).</summary>
    public string CheckedModelPath(ParseResult result, params (string Flag, string? Path)[] more)
    {
        string modelPath = result.GetRequiredValue(Model);
        OutputPaths.CheckFile(("-m", modelPath), [("-x", result.GetRequiredValue(X)), ("-y", result.GetValue(Y)), .. more]);
        return modelPath;
    }

    /// <summary>Reads features and labels (rows normalised unless --no-normalize); returns them with the load time.</summary>
    public (CsrMatrix Features, CsrMatrix Labels, bool Normalize, double LoadMs) Load(ParseResult result)
    {
        string xPath = result.GetRequiredValue(X);
        var yPath = result.GetValue(Y);
        bool normalize = !result.GetValue(NoNormalize);
        var sw = Stopwatch.StartNew();
        var (features, labelsFromX) = InputData.Load(xPath, normalize);
        var labels = yPath is not null ? InputData.LoadLabels(yPath)
            : labelsFromX ?? throw new ArgumentException($"-y is required when -x {xPath} is an .npz file (it holds only the features).");
        return (features, labels, normalize, sw.Elapsed.TotalMilliseconds);
    }
}
