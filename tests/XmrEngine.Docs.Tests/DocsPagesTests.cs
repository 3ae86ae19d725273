using System.Text.RegularExpressions;
using XmrEngine.Tests.Support;

namespace XmrEngine.Docs.Tests;

/// <summary>What README.md and docs/*.md say besides their code blocks: no issue numbers, no dead relative links.</summary>
[TestFixture]
public partial class DocsPagesTests
{
    [GeneratedRegex(@"\b[Ii]ssues?[ -]#?\d+|(?<![\w&/])#\d+\b")]
    private static partial Regex IssueNumber();

    /// <summary>A Markdown link or image target: [text](target) with no scheme.</summary>
    [GeneratedRegex(@"\]\((?![a-z]+:)([^)#\s]+)(#[^)\s]*)?\)")]
    private static partial Regex RelativeLink();

    private static IEnumerable<(string Page, int Line, string Text)> Lines()
    {
        string root = SharedData.RepoRoot!;
        foreach (string page in DocsExamplesTests.Pages().Select(c => (string)c.Arguments[0]!))
        {
            int n = 0;
            foreach (string line in File.ReadLines(Path.Combine(root, page))) yield return (page, ++n, line);
        }
    }

    [Test]
    public void NoPageNamesAnIssueNumber()
    {
        var hits = Lines().Where(l => IssueNumber().IsMatch(l.Text)).Select(l => $"{l.Page}:{l.Line}: {l.Text.Trim()}").ToList();
        Assert.That(hits, Is.Empty, "README and docs speak of the product, not of issue numbers.");
    }

    [Test]
    public void EveryRelativeLinkPointsToAFileOrFolder()
    {
        string root = SharedData.RepoRoot!;
        var dead = new List<string>();
        int links = 0;
        foreach (var (page, line, text) in Lines())
        {
            foreach (Match link in RelativeLink().Matches(text))
            {
                links++;
                string target = Path.GetFullPath(Path.Combine(root, Path.GetDirectoryName(page)!, link.Groups[1].Value));
                if (!File.Exists(target) && !Directory.Exists(target)) dead.Add($"{page}:{line}: {link.Groups[1].Value}");
            }
        }
        Assert.That(links, Is.GreaterThan(5), "the front page links to the docs");
        Assert.That(dead, Is.Empty);
    }
}
