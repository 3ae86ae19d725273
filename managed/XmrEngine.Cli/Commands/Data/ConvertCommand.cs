using System.CommandLine;
using XmrEngine.IO;

namespace XmrEngine.Cli.Commands.Data;

/// <summary>
/// <c>xmr convert</c>: between XMC repository text (.txt), SVMlight (.svm) and SciPy .npz, chosen by
/// extension. A text data set holds features and labels; an .npz holds one matrix, so an .npz data set
/// is a pair of files (features, labels).
/// </summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Input: .txt, .svm, or .npz (features; give --labels-in for the labels).", Required = true };
        var labelsIn = new Option<string?>("--labels-in") { Description = "With an .npz input: the label matrix (.npz)." };
        var output = new Option<string?>("--output", "-o") { Description = "Output data set (.txt or .svm), or one .npz (an .npz input re-encoded as CSR)." };
        var xOut = new Option<string?>("-x") { Description = "Write the feature matrix here (.npz)." };
        var yOut = new Option<string?>("-y") { Description = "Write the label matrix here (.npz)." };
        var stored = new Option<bool>("--no-compress") { Description = "Write .npz members uncompressed (stored)." };
        var command = new Command("convert", "Convert between .txt (XMC repository), .svm and .npz by file extension.") { input, labelsIn, output, xOut, yOut, stored };
        command.SetAction(result =>
        {
            string inPath = result.GetRequiredValue(input);
            string? o = result.GetValue(output), x = result.GetValue(xOut), y = result.GetValue(yOut), li = result.GetValue(labelsIn);
            bool compress = !result.GetValue(stored);
            if (o is null && x is null && y is null) throw new ArgumentException("Give -o OUT, or -x X_OUT and/or -y Y_OUT.");
            foreach (var (flag, path) in new[] { ("-o", o), ("-x", x), ("-y", y) })
                if (path is not null) OutputPaths.Check((flag, path), ("-i", inPath), ("--labels-in", li));
            if (x is not null && x == y) throw new ArgumentException($"-x and -y are both {x}; give two different files.");
            bool npzIn = SparseFileFormat.Detect(inPath) == SparseFileKind.Npz;
            if (npzIn && li is null)
            {
                // One matrix in: only matrix outputs make sense.
                if (y is not null) throw new ArgumentException("-y needs --labels-in with an .npz input.");
                var m = NpzFormat.ReadCsr(inPath);
                foreach (var path in new[] { o, x })
                {
                    if (path is null) continue;
                    if (SparseFileFormat.Detect(path) != SparseFileKind.Npz)
                        throw new ArgumentException($"{path}: writing a text data set from an .npz needs --labels-in.");
                    NpzFormat.Write(path, m, compress);
                }
                return 0;
            }
            var data = npzIn ? SparseFileFormat.ReadDataset(inPath, li) : SparseFileFormat.ReadDataset(inPath);
            if (x is not null) NpzFormat.Write(x, data.Features, compress);
            if (y is not null) NpzFormat.Write(y, data.Labels, compress);
            if (o is not null)
            {
                if (SparseFileFormat.Detect(o) == SparseFileKind.Npz) NpzFormat.Write(o, data.Features, compress);
                else SparseFileFormat.WriteDataset(data, o);
            }
            return 0;
        });
        return command;
    }
}
