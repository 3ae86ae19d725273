using Microsoft.AspNetCore.Routing;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.IO;
using XmrEngine.Serving;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// A reload of files that hold the serving version does not load them: the format tells the version on disk
/// cheaply, and only a different version (or a retry after a failed load) opens the files.
/// </summary>
public sealed class ReloadOfTheServingVersionTests
{
    [Test]
    public async Task ReloadsOfUnchangedFiles_OpenNothing_ANewVersionIsOpened_AndAFailureIsRetried()
    {
        var kind = new CountedKind();
        await using var host = await TestHost.StartAsync(o =>
        {
            o.AddModelKind(kind);
            o.WatchForChanges = false;
            o.PollInterval = TimeSpan.Zero;
        }, withModels: false, prepare: dir => CountedFormat.Write(dir, "m", "v1"));
        Assert.That(kind.Format.Opens, Is.EqualTo(1));

        for (int i = 0; i < 5; i++) Assert.That(await host.Registry.ReloadAsync("m"), Is.EqualTo(ReloadOutcome.Unchanged));
        Assert.That(kind.Format.Opens, Is.EqualTo(1), "the serving version's files are not opened again");

        CountedFormat.Write(host.Models, "m", "v2");
        Assert.That(await host.Registry.ReloadAsync("m"), Is.EqualTo(ReloadOutcome.Swapped));
        Assert.That(kind.Format.Opens, Is.EqualTo(2));
        Assert.That(host.Registry.Describe("m")!.Version, Is.EqualTo("v2"));

        CountedFormat.Write(host.Models, "m", "broken");
        Assert.That(await host.Registry.ReloadAsync("m"), Is.EqualTo(ReloadOutcome.Failed));
        CountedFormat.Write(host.Models, "m", "v2");
        Assert.That(await host.Registry.ReloadAsync("m"), Is.EqualTo(ReloadOutcome.Unchanged), "the files hold the serving version again");
        Assert.That(kind.Format.Opens, Is.EqualTo(4), "after a failed load, a reload opens the files even when they name the serving version");
        Assert.That(host.Registry.Describe("m")!.LastError, Is.Null);
        Assert.That(await host.Registry.ReloadAsync("m"), Is.EqualTo(ReloadOutcome.Unchanged));
        Assert.That(kind.Format.Opens, Is.EqualTo(4));
    }

    [Test]
    public async Task TheBuiltInFormats_TellTheVersionOnDisk_AsTheOpenedModelNamesIt()
    {
        await using var host = await TestHost.StartAsync(o => o.WatchForChanges = false);
        var formats = ModelFormats.Core.With(QacModel.Format).With(Apps.ProductRetrieval.ProductRetrievalModel.Format);
        foreach (var status in host.Registry.Describe())
        {
            Assert.That(status.Loaded, Is.True, status.LastError);
            var format = formats.Find(status.Kind!)!;
            Assert.That(format.VersionOf(status.Path), Is.EqualTo(status.Version), $"{status.Name} ({status.Kind})");
        }
        Assert.That(ModelFormats.Core.Find("xlinear")!.VersionOf(host.Path("no-such.xmr")), Is.Null);
    }

    private sealed class CountedModel(string version) : IServableModel
    {
        public string Kind => "counted";

        public string Version => version;

        public int LabelCount => 1;

        public int FeatureCount => 0;

        public void Dispose()
        {
        }
    }

    private sealed class CountedFormat : IModelFormat
    {
        private const string Marker = "counted.txt";
        private int _opens;

        public int Opens => Volatile.Read(ref _opens);

        public static void Write(string models, string name, string version)
        {
            Directory.CreateDirectory(Path.Combine(models, name));
            File.WriteAllText(Path.Combine(models, name, Marker), version);
        }

        public string Kind => "counted";

        public string Description => $"a folder with {Marker}";

        public bool Recognizes(string path) => File.Exists(Path.Combine(path, Marker));

        public IServableModel Open(string path, ModelOpenOptions options)
        {
            Interlocked.Increment(ref _opens);
            string file = Path.Combine(path, Marker);
            string version = File.ReadAllText(file).Trim();
            return version != "broken" ? new CountedModel(version) : throw new XmrDataException(file, null, null, null, "broken on purpose");
        }

        public string? VersionOf(string path)
        {
            try
            {
                return File.ReadAllText(Path.Combine(path, Marker)).Trim();
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    private sealed class CountedKind : IServedModelKind
    {
        public CountedFormat Format { get; } = new();

        IModelFormat IServedModelKind.Format => Format;

        public void MapEndpoints(IEndpointRouteBuilder v1)
        {
        }
    }
}
