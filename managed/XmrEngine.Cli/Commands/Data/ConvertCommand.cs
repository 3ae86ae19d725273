using System.CommandLine;
using XmrEngine.IO;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands.Data;

/// <summary>
/// <c>xmr convert</c>: between XMC repository text (.txt), SVMlight (.svm), SciPy .npz and XmrEngine's
/// binary .xmrd, chosen by extension. A text data set holds features and labels; an .npz holds one matrix,
/// so an .npz data set is a pair of files (features, labels); an .xmrd holds features and, when they are
/// known, labels.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Input: .txt, .svm, .xmrd, or .npz (features; give --labels-in for the labels).", Required = true };
        var labelsIn = new Option<string?>("--labels-in") { Description = "With an .npz input: the label matrix (.npz)." };
        var output = new Option<string?>("--output", "-o") { Description = "Output data set (.txt, .svm or .xmrd), or one .npz (the features)." };
        var xOut = new Option<string?>("-x") { Description = "Write the feature matrix here (.npz or .xmrd)." };
        var yOut = new Option<string?>("-y") { Description = "Write the label matrix here (.npz or .xmrd)." };
        var stored = new Option<bool>("--no-compress") { Description = "Write .npz members uncompressed (stored)." };
        var threads = CommonOptions.Threads();
        var timing = new Option<bool>("--timing") { Description = "Print how long reading the input took (wall and CPU time, MB/s) to standard error." };
        var command = new Command("convert", "Convert between .txt (XMC repository), .svm, .npz and .xmrd (binary) by file extension.") { input, labelsIn, output, xOut, yOut, stored, threads, timing };
        command.SetAction(result =>
        {
            string inPath = result.GetRequiredValue(input);
            string? o = result.GetValue(output), x = result.GetValue(xOut), y = result.GetValue(yOut), li = result.GetValue(labelsIn);
            bool compress = !result.GetValue(stored);
            if (o is null && x is null && y is null) throw new ArgumentException("Give -o OUT, or -x X_OUT and/or -y Y_OUT.");
            foreach (var (flag, path) in new[] { ("-o", o), ("-x", x), ("-y", y) })
                if (path is not null) OutputPaths.CheckFile((flag, path), ("-i", inPath), ("--labels-in", li));
            if (x is not null && x == y) throw new ArgumentException($"-x and -y are both {x}; give two different files.");
            if (li is not null && SparseFileFormat.Detect(inPath) is not (SparseFileKind.Npz or SparseFileKind.Npy))
                throw new ArgumentException("--labels-in goes with an .npz or .npy input only; other inputs carry their labels.");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var (features, labels) = ReadInput(inPath, li, CommonOptions.ThreadCount(result, threads));
            // The read rate is what matters for large inputs (text parsing vs a binary read); CPU time as well,
            // because on a busy machine the wall time says more about the neighbours than the reader.
            double mb = new FileInfo(inPath).Length / 1e6, seconds = clock.Elapsed.TotalSeconds;
            double cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
            if (result.GetValue(timing)) CliConsole.Note(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"read {inPath}: {mb:F1} MB in {seconds * 1000:F0} ms wall ({mb / Math.Max(seconds, 1e-9):F0} MB/s), {cpu * 1000:F0} ms CPU ({mb / Math.Max(cpu, 1e-9):F0} MB per CPU-second)"));
            if (x is not null) WriteMatrix(x, features, compress);
            if (y is not null) WriteMatrix(y, labels ?? throw NoLabels(inPath, "-y"), compress);
            if (o is not null)
            {
                switch (SparseFileFormat.Detect(o))
                {
                    case SparseFileKind.Npz: NpzFormat.Write(o, features, compress); break;
                    case SparseFileKind.Xmrd: XmrdFormat.Write(o, features, labels); break;
                    default: SparseFileFormat.WriteDataset(new XmcDataset(features, labels ?? throw NoLabels(inPath, o)), o); break;
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary>The input's matrices; an .npz with --labels-in is read as a pair.</summary>
    private static SparseFileContent ReadInput(string path, string? labelsPath, int threads)
    {
        if (labelsPath is null) return SparseFileFormat.ReadContent(path, threads);
        var data = SparseFileFormat.ReadDataset(path, labelsPath);
        return new SparseFileContent(data.Features, data.Labels);
    }

    private static void WriteMatrix(string path, CsrMatrix m, bool compress)
    {
        switch (SparseFileFormat.Detect(path))
        {
            case SparseFileKind.Npz: NpzFormat.Write(path, m, compress); break;
            case SparseFileKind.Xmrd: XmrdFormat.Write(path, m); break;
            default: throw new ArgumentException($"{path}: -x and -y write one matrix, as .npz or .xmrd.");
        }
    }

    private static ArgumentException NoLabels(string input, string target) =>
        new($"{target} needs labels, but {input} holds one matrix (give --labels-in for an .npz input).");
}
