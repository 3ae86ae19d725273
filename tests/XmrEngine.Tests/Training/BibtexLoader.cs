using System.Globalization;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Training;

/// <summary>
/// Minimal reader for the XMLRepository text format used by the Bibtex data (header "N F L", then
/// "l1,l2 f:v f:v ..." per line; a line without labels starts with a space). Test-only stand-in until
/// the IO layer's reader is merged; errors name the file and line.
/// </summary>
internal static class BibtexLoader
{
    /// <summary>Folder of the shared Bibtex data, or null when it is absent.</summary>
    public static string? FindDataFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "bibtex");
            if (File.Exists(Path.Combine(candidate, "train.txt"))) return candidate;
            candidate = Path.Combine(dir.FullName, "..", "shared", "data", "bibtex");
            if (File.Exists(Path.Combine(candidate, "train.txt"))) return Path.GetFullPath(candidate);
        }
        return null;
    }

    /// <summary>Reads one file into (X, Y).</summary>
    public static (CsrMatrix X, CsrMatrix Y) Load(string path)
    {
        using var reader = new StreamReader(path);
        string header = reader.ReadLine() ?? throw new InvalidDataException($"{path}: empty file, expected a header 'N F L'.");
        var h = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (h.Length != 3) throw new InvalidDataException($"{path}:1: header '{header}' is not 'N F L'.");
        int n = Parse(h[0], path, 1), f = Parse(h[1], path, 1), l = Parse(h[2], path, 1);
        var xb = new CooBuilder(n, f);
        var yb = new CooBuilder(n, l);
        for (int row = 0; row < n; row++)
        {
            int lineNo = row + 2;
            string line = reader.ReadLine() ?? throw new InvalidDataException($"{path}:{lineNo}: file ends after {row} of {n} rows.");
            int space = line.IndexOf(' ');
            string labels = space < 0 ? line : line[..space];
            if (labels.Length > 0)
                foreach (var lab in labels.Split(','))
                    yb.Add(row, Check(Parse(lab, path, lineNo), l, path, lineNo, "label"), 1f);
            if (space < 0) continue;
            foreach (var tok in line[(space + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int colon = tok.IndexOf(':');
                if (colon <= 0) throw new InvalidDataException($"{path}:{lineNo}: feature '{tok}' is not 'index:value'.");
                int j = Check(Parse(tok[..colon], path, lineNo), f, path, lineNo, "feature");
                if (!float.TryParse(tok.AsSpan(colon + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new InvalidDataException($"{path}:{lineNo}: feature value in '{tok}' is not a finite number.");
                xb.Add(row, j, v);
            }
        }
        return (xb.ToCsr(), yb.ToCsr());
    }

    private static int Parse(string s, string path, int line) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new InvalidDataException($"{path}:{line}: '{s}' is not a non-negative integer.");

    private static int Check(int v, int bound, string path, int line, string what) =>
        v < bound ? v : throw new InvalidDataException($"{path}:{line}: {what} index {v} is outside [0, {bound}).");
}
