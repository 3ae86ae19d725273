using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using XmrEngine.Cluster.Serving;
using XmrEngine.IO;
using XmrEngine.Serving;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Cluster.Tests;

/// <summary>
/// A model served by a cluster (<c>NAME.cluster.json</c> over three real silo processes with Redis membership) answers
/// the same raw input identically through its three front doors: <c>xmr cluster predict</c> (a real process), the
/// library (the cluster source the server itself uses, in this process), and a real Kestrel server (<c>xmr serve</c>, a
/// child process) over HTTP; and all three equal <c>xmr predict</c> on the unsharded file. Inputs are Bibtex test rows
/// as the data file holds them (not normalised); the model prepares them.
/// </summary>
[TestFixture]
[Category("Cluster")]
[Category("RealData")]
public sealed class ClusterFrontDoorTests
{
    private const int TopK = 10, Rows = 40;

    [Test]
    public async Task ClusterJsonModel_AnswersRawRowsIdentically_InCliLibraryAndServer()
    {
        string train = SharedData.RequireFile("bibtex/train.txt"), test = SharedData.RequireFile("bibtex/test.txt");
        using var temp = new TempDir();
        using var cluster = new ClusterFixture(3);
        string models = Directory.CreateDirectory(temp.File("models")).FullName;
        string file = temp.File("bibtex.xmr"), sharded = temp.File("bibtex-sharded");
        Cli("train", "-x", train, "-m", file, "--nr-splits", "4", "--max-leaf-size", "8");
        Cli("shard", "-m", file, "--level", "2", "--shards", "3", "-o", sharded);
        string config = Path.Combine(models, "bibtex.cluster.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { clusterId = cluster.ClusterId, redis = cluster.Redis, model = sharded }));
        var raw = SparseFileFormat.ReadContent(test).Features.SelectRows(Enumerable.Range(0, Rows).ToArray());

        // The single machine, and the cluster through the CLI.
        Cli("predict", "-x", test, "-m", file, "-o", temp.File("single.npz"), "--top-k", $"{TopK}");
        Cli("cluster", "predict", "-x", test, "-m", sharded, "-o", temp.File("cluster.npz"), "--top-k", $"{TopK}",
            "--cluster-id", cluster.ClusterId, "--redis", cluster.Redis);
        var single = RankedScores.Of(NpzFormat.ReadCsr(temp.File("single.npz")));
        var cli = RankedScores.Of(NpzFormat.ReadCsr(temp.File("cluster.npz")));

        // The library: the same source the server uses, opening the .cluster.json file.
        var source = new ClusterModelSource();
        using var opened = (XLinearServingModel)await source.OpenAsync(config, CancellationToken.None);
        Assert.That(opened.IsSharded, Is.True);
        var rows = Enumerable.Range(0, Rows).Select(r => (raw.Row(r).Indices.ToArray(), raw.Row(r).Values.ToArray())).ToArray();
        var library = (await opened.PredictAsync(rows, opened.Options(topK: TopK))).Select(l => l.Select(x => (x.Label, x.Score)).ToArray()).ToArray();

        // A real server over the models folder.
        using var server = await LiveServer.StartAsync(models);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        var body = new { rows = rows.Select(r => new { indices = r.Item1.Reverse().ToArray(), values = r.Item2.Reverse().ToArray() }), topK = TopK };
        var response = await http.PostAsJsonAsync("/v1/xlinear/bibtex/predict", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text + "\n" + server.Errors);
        using var doc = JsonDocument.Parse(text);
        var http2 = doc.RootElement.GetProperty("results").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(e => (e.GetProperty("label").GetInt32(), e.GetProperty("score").GetSingle())).ToArray()).ToArray();

        for (int r = 0; r < Rows; r++)
        {
            Assert.That(cli[r], Has.Length.EqualTo(TopK), $"row {r}");
            Assert.That(cli[r], Is.EqualTo(single[r]), $"row {r}: xmr cluster predict vs xmr predict on the unsharded file");
            Assert.That(library[r], Is.EqualTo(cli[r]), $"row {r}: library vs CLI");
            Assert.That(http2[r], Is.EqualTo(cli[r]), $"row {r}: server vs CLI");
        }
    }

    private static void Cli(params string[] args)
    {
        var (exit, output) = XmrCli.Run(args);
        Assert.That(exit, Is.EqualTo(0), $"xmr {string.Join(' ', args)}\n{output}");
    }
}
