using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag.CodeGeneration.CSharp;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> describes every endpoint the service maps, with the problem-details
/// answers, and is good enough for a client generator: NSwag's C# client made from it compiles and talks to the server.
/// </summary>
[NonParallelizable]
public sealed class OpenApiDocumentTests
{
    private static readonly string[] StandardProblems = ["400", "401", "403", "429", "503", "504"];

    [Test]
    public async Task EveryMappedEndpoint_IsInTheDocument_WithProblemDetailsAnswers()
    {
        await using var host = await TestHost.StartAsync(kestrel: true);
        using var document = JsonDocument.Parse(await host.Client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var mapped = ((IEndpointRouteBuilder)host.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(e => e.RoutePattern.RawText != "/openapi/{documentName}.json")
            .ToList();
        Assert.That(mapped.Select(e => e.RoutePattern.RawText), Is.SupersetOf(new[] { "/v1/models", "/v1/models/{name}/reload", "/v1/xlinear/{name}/predict",
            "/v1/products/{name}/search", "/v1/qac/{name}/suggest", "/healthz", "/readyz", "/metrics" }), "the endpoints this test expects are mapped");
        foreach (var endpoint in mapped)
        {
            string path = endpoint.RoutePattern.RawText!;
            // Health and metrics pipelines answer any method; GET is the one that means something.
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            Assert.That(paths.TryGetProperty(path, out var item), Is.True, $"{path} is in the document");
            foreach (string method in methods)
            {
                Assert.That(item.TryGetProperty(method.ToLowerInvariant(), out var operation), Is.True, $"{method} {path} is in the document");
                if (!path.StartsWith("/v1/", StringComparison.Ordinal)) continue;
                var responses = operation.GetProperty("responses");
                Assert.That(responses.TryGetProperty("200", out _), Is.True, $"{method} {path}: 200");
                foreach (string status in StandardProblems)
                {
                    Assert.That(responses.TryGetProperty(status, out var response), Is.True, $"{method} {path}: {status}");
                    Assert.That(response.GetProperty("content").TryGetProperty("application/problem+json", out _), Is.True, $"{method} {path}: {status} is problem details");
                }
            }
        }
        var suggest = paths.GetProperty("/v1/qac/{name}/suggest").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.That(suggest, Is.EquivalentTo(new[] { "name", "prefix", "prev", "count" }), "query parameters the handler reads itself are described");
        Assert.That(paths.GetProperty("/v1/xlinear/{name}/predict").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").TryGetProperty("application/json", out _), Is.True, "the predict body is described");
    }

    [Test]
    public async Task AGeneratedClient_CompilesAndCallsTheServer()
    {
        await using var host = await TestHost.StartAsync(kestrel: true);
        string json = await host.Client.GetStringAsync("/openapi/v1.json");

        var openApi = await NSwag.OpenApiDocument.FromJsonAsync(json);
        var settings = new CSharpClientGeneratorSettings { ClassName = "XmrClient", UseBaseUrl = true, GenerateClientInterfaces = false };
        settings.CSharpGeneratorSettings.Namespace = "Generated";
        settings.CSharpGeneratorSettings.JsonLibrary = CSharpJsonLibrary.SystemTextJson;
        string code = new CSharpClientGenerator(openApi, settings).GenerateFile();

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("GeneratedXmrClient", [CSharpSyntaxTree.ParseText(code)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.That(errors, Is.Empty, "the generated client compiles");

        // And it speaks the server's language: the model list comes back typed.
        var assembly = Assembly.Load(image.ToArray());
        var clientType = assembly.GetType("Generated.XmrClient")!;
        using var http = new HttpClient();
        // The generator takes the base URL from the document's servers when it has one, else as an argument.
        string baseUrl = host.Client.BaseAddress!.ToString().TrimEnd('/');
        object client = clientType.GetConstructor([typeof(string), typeof(HttpClient)]) is { } withUrl
            ? withUrl.Invoke([baseUrl, http])
            : Activator.CreateInstance(clientType, http)!;
        clientType.GetProperty("BaseUrl")?.SetValue(client, baseUrl);
        var call = (Task)clientType.GetMethod("ListModelsAsync", Type.EmptyTypes)!.Invoke(client, null)!;
        await call;
        object listing = call.GetType().GetProperty("Result")!.GetValue(call)!;
        var models = ((System.Collections.IEnumerable)listing.GetType().GetProperty("Models")!.GetValue(listing)!).Cast<object>()
            .Select(m => (string)m.GetType().GetProperty("Name")!.GetValue(m)!).ToList();
        Assert.That(models, Is.EquivalentTo(host.Registry.Describe().Select(s => s.Name)));
    }

    [Test]
    public async Task WithKeys_TheDocumentSaysWhichOperationsNeedOne()
    {
        await using var host = await TestHost.StartAsync(o => o.Security.AddApiKey(Security.ApiRoles.Admin, "an-admin-key-0123456789"), kestrel: true);
        using var document = JsonDocument.Parse(await host.Client.GetStringAsync("/openapi/v1.json"));
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.That(scheme.GetProperty("in").GetString(), Is.EqualTo("header"));
        Assert.That(scheme.GetProperty("name").GetString(), Is.EqualTo("X-Api-Key"));
        var paths = document.RootElement.GetProperty("paths");
        Assert.That(paths.GetProperty("/v1/models/{name}/reload").GetProperty("post").TryGetProperty("security", out var security), Is.True, "reload needs a key");
        Assert.That(security[0].TryGetProperty("ApiKey", out _), Is.True);
        Assert.That(paths.GetProperty("/v1/models").GetProperty("get").TryGetProperty("security", out _), Is.False, "queries are open by default");
    }
}
