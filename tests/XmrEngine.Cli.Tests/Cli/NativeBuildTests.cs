using System.Text.RegularExpressions;
using XmrEngine.Cli;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// The natively compiled xmr (managed/XmrEngine.Cli.Aot) leaves out the command folders built on ASP.NET Core and
/// Orleans and hands their verbs to its JIT-compiled companion (Companion.cs). Its code is compiled only by
/// <c>./build.sh publish</c> (CI then runs scripts/check-published.sh), so this checks on the sources that the two
/// lists agree and that every handed-over verb is a verb of xmr.
/// </summary>
public class NativeBuildTests
{
    [Test]
    public void TheNativeBuildLeavesOutExactlyTheVerbsItsCompanionRuns()
    {
        string root = SharedData.RepoRoot ?? throw new InconclusiveException("the repository root was not found");
        string project = File.ReadAllText(Path.Combine(root, "managed", "XmrEngine.Cli.Aot", "XmrEngine.Cli.Aot.csproj"));
        string companion = File.ReadAllText(Path.Combine(root, "managed", "XmrEngine.Cli", "Companion.cs"));
        var leftOut = Regex.Matches(project, @"XmrEngine\.Cli/Commands/(\w+)/\*\*").Select(m => m.Groups[1].Value.ToLowerInvariant()).ToArray();
        var handedOver = Regex.Matches(companion, @"\(""(\w+)"", """).Select(m => m.Groups[1].Value).ToArray();
        Assert.That(leftOut, Is.Not.Empty);
        Assert.That(handedOver, Is.EquivalentTo(leftOut), "folders left out of the native build vs verbs the companion runs");
        Assert.That(CliRunner.CreateRoot().Subcommands.Select(c => c.Name), Is.SupersetOf(handedOver));
    }
}
