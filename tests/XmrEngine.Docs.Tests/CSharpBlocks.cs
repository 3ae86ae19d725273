using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace XmrEngine.Docs.Tests;

/// <summary>
/// Compiles a documented C# block the way a user's project would: a console or web program with the SDK's implicit
/// usings, nullable on and warnings as errors, against the .NET and ASP.NET Core frameworks and the engine's
/// assemblies (those beside this test assembly). A program can then be run in process.
/// </summary>
public static class CSharpBlocks
{
    /// <summary>The implicit global usings of a Microsoft.NET.Sdk.Web project (a superset of the console SDK's).</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Net.Http.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(LoadReferences);

    /// <summary>Compiles <paramref name="block"/>; returns the assembly image, or fails the test with every diagnostic.</summary>
    public static byte[] Compile(DocBlock block)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "ImplicitUsings.cs"),
            CSharpSyntaxTree.ParseText(block.Code, parse, path: block.Page),
        };
        var options = new CSharpCompilationOptions(OutputKind.ConsoleApplication,
            nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error,
            // Hidden diagnostics only: an unused implicit using is not the block's fault.
            specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic> { ["CS8019"] = ReportDiagnostic.Suppress });
        var compilation = CSharpCompilation.Create("DocBlock_" + Guid.NewGuid().ToString("N"), trees, References.Value, options);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        if (!emitted.Success || problems.Count > 0)
        {
            // Lines in the message are the page's: the block's first code line is the fence's line + 1.
            var text = problems.Select(d =>
            {
                var span = d.Location.GetLineSpan();
                int line = span.Path == block.Page ? block.Line + 1 + span.StartLinePosition.Line : 0;
                return $"  {block.Page}:{line}: {d.Id}: {d.GetMessage()}";
            });
            Assert.Fail($"{block.Where} does not compile:\n{string.Join('\n', text)}");
        }
        return image.ToArray();
    }

    /// <summary>Runs the compiled program's entry point with <paramref name="workDir"/> as the current directory.</summary>
    public static void Run(DocBlock block, byte[] image, string workDir)
    {
        var context = new AssemblyLoadContext("doc-block", isCollectible: true);
        string previous = Environment.CurrentDirectory;
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(image));
            var entry = assembly.EntryPoint ?? throw new AssertionException($"{block.Where} is not a program; annotate it compile-only.");
            Environment.CurrentDirectory = workDir;
            object? result = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            if (result is Task task) task.GetAwaiter().GetResult();
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            Assert.Fail($"{block.Where} threw when run in {workDir}: {inner}");
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            context.Unload();
        }
    }

    private static IReadOnlyList<MetadataReference> LoadReferences()
    {
        // The frameworks this test host runs on (the .NET runtime and ASP.NET Core, which XmrEngine.Hosting brings),
        // then the engine's assemblies and their dependencies beside this test assembly.
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string platform = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "";
        foreach (string path in platform.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            paths.TryAdd(Path.GetFileName(path), path);
        }
        foreach (string path in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
        {
            paths.TryAdd(Path.GetFileName(path), path);
        }
        return paths.Values.Where(IsManagedAssembly).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
