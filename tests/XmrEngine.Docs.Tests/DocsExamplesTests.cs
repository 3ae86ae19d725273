using XmrEngine.Tests.Support;

namespace XmrEngine.Docs.Tests;

/// <summary>
/// Every fenced block of README.md and docs/*.md runs: the blocks of a page run in order in one fresh folder (so a
/// block may use the files an earlier one wrote), C# blocks are compiled and run as programs, shell blocks run with
/// the built xmr. A block the test must not run carries <c>&lt;!-- not-run: why --&gt;</c> just before its fence (a C#
/// block that must not run, <c>&lt;!-- compile-only: why --&gt;</c>), and the reason is required. The folder has
/// <c>../shared</c> beside it, linked to the repository's shared data when that exists; a block that reads it is
/// skipped, saying so, when it does not.
/// </summary>
[TestFixture]
public class DocsExamplesTests
{
    /// <summary>The pages: README.md and every Markdown page under docs/.</summary>
    public static IEnumerable<TestCaseData> Pages()
    {
        string root = SharedData.RepoRoot ?? throw new InvalidOperationException("XmrEngine.sln not found above the test folder.");
        yield return new TestCaseData("README.md").SetName("README.md");
        foreach (string path in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            string page = "docs/" + Path.GetFileName(path);
            yield return new TestCaseData(page).SetName(page);
        }
    }

    [TestCaseSource(nameof(Pages))]
    public void EveryBlockOfThePageRuns(string page)
    {
        string root = SharedData.RepoRoot!;
        var blocks = MarkdownBlocks.Read(Path.Combine(root, page), page);
        using var dir = new TempDir();
        string work = Path.Combine(dir.Path, "work"), bin = Path.Combine(dir.Path, "bin");
        Directory.CreateDirectory(work);
        if (SharedData.DataDir is string data) Directory.CreateSymbolicLink(Path.Combine(dir.Path, "shared"), Path.GetDirectoryName(data)!);
        ShellBlocks.WriteLauncher(bin, XmrCli.Dll());
        int ran = 0;
        foreach (var block in blocks)
        {
            if (block.NotRun is not null)
            {
                Assert.That(block.NotRun, Has.Length.GreaterThanOrEqualTo(10), $"{block.Where}: a not-run block must say why it is not run.");
                continue;
            }
            if (block.IsCSharp)
            {
                byte[] image = CSharpBlocks.Compile(block);
                if (block.CompileOnly is null) CSharpBlocks.Run(block, image, work);
                else Assert.That(block.CompileOnly, Has.Length.GreaterThanOrEqualTo(10), $"{block.Where}: a compile-only block must say why it is not run.");
            }
            else if (block.IsShell)
            {
                Assert.That(block.Code, Does.Not.Contain("./build.sh").And.Not.Contain("build.ps1"),
                    $"{block.Where} runs the build script, which builds and tests this very run: mark it <!-- not-run: why -->.");
                Assert.That(block.CompileOnly, Is.Null, $"{block.Where}: compile-only is for C# blocks; a shell block is run or not-run.");
                if (block.Code.Contains("../shared", StringComparison.Ordinal) && SharedData.DataDir is null)
                {
                    Assert.Ignore($"{block.Where} reads ../shared/data, which is absent here (the blocks before it ran).");
                }
                ShellBlocks.Run(block, work, bin);
            }
            else
            {
                Assert.Fail($"{block.Where}: a block is C# or shell, or is marked <!-- not-run: why --> (for output, JSON, ...).");
            }
            ran++;
        }
        TestContext.Out.WriteLine($"{page}: {ran} of {blocks.Count} blocks run");
    }
}
