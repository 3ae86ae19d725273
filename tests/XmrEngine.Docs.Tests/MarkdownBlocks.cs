using System.Text.RegularExpressions;

namespace XmrEngine.Docs.Tests;

/// <summary>Reads the fenced code blocks of a Markdown page, with the annotation comment before each.</summary>
public static partial class MarkdownBlocks
{
    [GeneratedRegex(@"^\s*<!--\s*(not-run|compile-only)\s*:(.*?)-->\s*$")]
    private static partial Regex Annotation();

    [GeneratedRegex(@"^(\s*)(```+|~~~+)\s*([^\s`]*)")]
    private static partial Regex Fence();

    /// <summary>Every fenced block of <paramref name="path"/>; <paramref name="page"/> names it in messages.</summary>
    public static IReadOnlyList<DocBlock> Read(string path, string page)
    {
        string[] lines = File.ReadAllLines(path);
        var blocks = new List<DocBlock>();
        for (int i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success) continue;
            string indent = open.Groups[1].Value, fence = open.Groups[2].Value, language = open.Groups[3].Value.ToLowerInvariant();
            var code = new List<string>();
            int j = i + 1;
            for (; j < lines.Length && !lines[j].TrimStart().StartsWith(fence, StringComparison.Ordinal); j++)
            {
                code.Add(lines[j].StartsWith(indent, StringComparison.Ordinal) ? lines[j][indent.Length..] : lines[j]);
            }
            if (j == lines.Length) throw new InvalidDataException($"{page}:{i + 1}: a code fence is never closed.");
            string? notRun = null, compileOnly = null;
            int before = i - 1;
            while (before >= 0 && lines[before].Trim().Length == 0) before--;
            if (before >= 0 && Annotation().Match(lines[before]) is { Success: true } note)
            {
                string reason = note.Groups[2].Value.Trim();
                if (note.Groups[1].Value == "not-run") notRun = reason;
                else compileOnly = reason;
            }
            blocks.Add(new DocBlock(page, i + 1, language, string.Join('\n', code), notRun, compileOnly));
            i = j;
        }
        return blocks;
    }
}
