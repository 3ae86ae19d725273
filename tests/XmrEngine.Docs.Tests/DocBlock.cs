namespace XmrEngine.Docs.Tests;

/// <summary>
/// One fenced code block of a Markdown page: its language, text, the line its fence opens on, and the annotation
/// (an HTML comment on the line just before the fence) that says how the test treats it.
/// </summary>
/// <param name="Page">The page's path relative to the repository root.</param>
/// <param name="Line">The 1-based line of the opening fence.</param>
/// <param name="Language">The fence's info string (csharp, bash, ...), empty when none.</param>
/// <param name="Code">The block's lines, joined with newlines.</param>
/// <param name="NotRun">The reason given by <c>&lt;!-- not-run: reason --&gt;</c>, or null.</param>
/// <param name="CompileOnly">The reason given by <c>&lt;!-- compile-only: reason --&gt;</c> (C# blocks), or null.</param>
public sealed record DocBlock(string Page, int Line, string Language, string Code, string? NotRun, string? CompileOnly)
{
    /// <summary>Where the block is, for messages: PAGE:LINE (LANGUAGE).</summary>
    public string Where => $"{Page}:{Line} ({(Language.Length == 0 ? "no language" : Language)})";

    /// <summary>True for a C# block.</summary>
    public bool IsCSharp => Language is "csharp" or "cs" or "c#";

    /// <summary>True for a shell block.</summary>
    public bool IsShell => Language is "bash" or "sh" or "shell";
}
