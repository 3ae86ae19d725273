using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XmrEngine.IO;
using XmrEngine.Serving;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// A kind of model the hosting library has never heard of is served by registering it, and nothing else: its format
/// finds and opens its folders in the models directory, its endpoint answers, the model list, reloads and hot swaps
/// treat it like the built-in kinds, and a bad folder of it fails alone.
/// </summary>
public sealed class ModelKindExtensionTests
{
    [Test]
    public async Task ANewKind_IsServedByOneRegistration()
    {
        await using var host = await TestHost.StartAsync(o => o.AddModelKind(new GreetingKind()), prepare: dir =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "hello"));
            File.WriteAllText(Path.Combine(dir, "hello", GreetingFormat.Marker), "hello");
            Directory.CreateDirectory(Path.Combine(dir, "mute"));
            File.WriteAllText(Path.Combine(dir, "mute", GreetingFormat.Marker), "");
        });

        var hello = host.Registry.Describe("hello")!;
        Assert.That(hello.Loaded, Is.True, hello.LastError);
        Assert.That(hello.Kind, Is.EqualTo("greeting"));
        Assert.That(host.Registry.Describe("xr")!.Loaded, Is.True, "the built-in kinds are still served");
        var mute = host.Registry.Describe("mute")!;
        Assert.That(mute.Loaded, Is.False);
        Assert.That(mute.LastError, Does.Contain(GreetingFormat.Marker).And.Contain("empty"));

        Assert.That(await host.Client.GetStringAsync("/v1/greeting/hello/say?to=Ada"), Is.EqualTo("hello, Ada"));
        var wrongKind = await host.Client.GetAsync("/v1/xlinear/hello/predict");
        Assert.That(wrongKind.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed).Or.EqualTo(HttpStatusCode.NotFound));
        using (var listing = JsonDocument.Parse(await host.Client.GetStringAsync("/v1/models")))
        {
            var entry = listing.RootElement.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "hello");
            Assert.That(entry.GetProperty("kind").GetString(), Is.EqualTo("greeting"));
        }

        // Replaced on disk: the watcher swaps the new version in, as for any kind.
        string replacement = Path.Combine(host.Models, ".hello.new");
        Directory.CreateDirectory(replacement);
        File.WriteAllText(Path.Combine(replacement, GreetingFormat.Marker), "bonjour");
        Directory.Move(Path.Combine(host.Models, "hello"), Path.Combine(host.Models, ".hello.old"));
        Directory.Move(replacement, Path.Combine(host.Models, "hello"));
        Assert.That(await TestHost.Eventually(() => host.Registry.Describe("hello")!.Version == "bonjour"), Is.True);
        Assert.That(await host.Client.GetStringAsync("/v1/greeting/hello/say?to=Ada"), Is.EqualTo("bonjour, Ada"));
    }

    [Test]
    public void AKindCannotBeRegisteredTwice()
    {
        var options = new XmrEngineOptions();
        Assert.That(() => options.AddModelKind(new GreetingKind()).AddModelKind(new GreetingKind()), Throws.ArgumentException.With.Message.Contain("greeting"));
    }

    /// <summary>The whole of a new kind: a model, its format, its endpoint.</summary>
    private sealed class GreetingModel(string word) : IServableModel
    {
        public string Kind => "greeting";

        public string Version => word;

        public int LabelCount => 1;

        public int FeatureCount => 0;

        public string Say(string to) => $"{word}, {to}";

        public void Dispose()
        {
        }
    }

    private sealed class GreetingFormat : IModelFormat
    {
        public const string Marker = "greeting.txt";

        public string Kind => "greeting";

        public string Description => $"a folder with {Marker}";

        public bool Recognizes(string path) => File.Exists(Path.Combine(path, Marker));

        public IServableModel Open(string path, ModelOpenOptions options)
        {
            string file = Path.Combine(path, Marker);
            string word = File.ReadAllText(file).Trim();
            return word.Length > 0 ? new GreetingModel(word) : throw new XmrDataException(file, null, null, null, "empty; expected a greeting");
        }
    }

    private sealed class GreetingKind : IServedModelKind
    {
        public IModelFormat Format { get; } = new GreetingFormat();

        public void MapEndpoints(IEndpointRouteBuilder v1) => v1.MapGet("/greeting/{name}/say", (string name, string to, ModelRegistry registry) =>
        {
            if (!registry.TryLease(name, out var lease)) return Results.NotFound();
            using (lease) return lease!.Model.Instance is GreetingModel model ? Results.Text(model.Say(to)) : Results.NotFound();
        });
    }
}
