using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Serving;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// Every model kind answers the same raw input identically through its three front doors: the command line (a real
/// <c>xmr</c> process), the library in this process, and a real Kestrel server (<c>xmr serve</c>, a child process)
/// over HTTP. Inputs are what a user sends: Bibtex test rows as the data file holds them (binary values, not
/// normalised; over HTTP with their ids in shuffled order), query text with stray capitals and spaces. Nothing is
/// prepared on the client side: each model prepares its own input. (The cluster's <c>.cluster.json</c> kind has the
/// same test in the cluster test project, on real silos.)
/// </summary>
[TestFixture]
[Category("RealData")]
[NonParallelizable]
public sealed class FrontDoorTests
{
    private const int TopK = 10, Rows = 60;
    private TempDir _dir = null!;
    private string _models = null!, _testRows = null!;
    private CsrMatrix _raw = null!;
    private LiveServer _server = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        string train = SharedData.RequireFile("bibtex/train.txt");
        _testRows = SharedData.RequireFile("bibtex/test.txt");
        _raw = SparseFileFormat.ReadContent(_testRows).Features.SelectRows(Enumerable.Range(0, Rows).ToArray());
        _dir = new TempDir();
        _models = Directory.CreateDirectory(_dir.File("models")).FullName;
        ModelFolder.CopyTo(_models); // xr.xmr, shop/ (product retrieval), qac/ (auto-complete)
        string bibtex = Path.Combine(_models, "bibtex.xmr");
        Cli("train", "-x", train, "-m", bibtex);
        Cli("shard", "-m", bibtex, "--level", "1", "--shards", "2", "-o", Path.Combine(_models, "sharded"));
        var model = XLinearModelFile.Load(bibtex, out var saved);
        PecosLayout.Write(Path.Combine(_models, "pecos"), model, saved.Prediction.BeamSize, TopK, saved.Prediction.PostProcessor.Name,
            (path, m) => NpzFormat.Write(path, m));
        _server = await LiveServer.StartAsync(_models);
        _http = new HttpClient { BaseAddress = _server.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _http?.Dispose();
        _server?.Dispose();
        _dir?.Dispose();
    }

    [TestCase("bibtex.xmr", "bibtex", TestName = "XmrFile_AnswersRawRowsIdentically_InCliLibraryAndServer")]
    [TestCase("pecos", "pecos", TestName = "PecosDirectory_AnswersRawRowsIdentically_InCliLibraryAndServer")]
    [TestCase("sharded", "sharded", TestName = "ShardedDirectory_AnswersRawRowsIdentically_InCliLibraryAndServer")]
    public async Task XLinearKind(string file, string name)
    {
        string path = Path.Combine(_models, file);

        // CLI: the data file as it is.
        string output = _dir.File(name + ".npz");
        Cli("predict", "-x", _testRows, "-m", path, "-o", output, "--top-k", $"{TopK}");
        var cli = RankedScores.Of(NpzFormat.ReadCsr(output));

        // Library: the same raw rows, one call each, through the one way to open a model.
        var formats = ModelFormats.Core.With(ProductRetrievalModel.Format).With(QacModel.Format);
        using var opened = (XLinearServingModel)formats.Open(path);
        var options = opened.Options(topK: TopK);
        var library = Enumerable.Range(0, Rows).Select(r => Pairs(opened.Predict(_raw.Row(r).Indices, _raw.Row(r).Values, options))).ToArray();

        // Server: the raw rows with their ids shuffled, as a client that builds them from a dictionary would send them.
        var random = new Random(11);
        var server = new List<(int Label, float Score)[]>();
        for (int first = 0; first < Rows; first += 20)
        {
            var rows = Enumerable.Range(first, 20).Select(r =>
            {
                var order = Enumerable.Range(0, _raw.RowLength(r)).OrderBy(_ => random.Next()).ToArray();
                return new { indices = order.Select(i => _raw.Row(r).Indices[i]).ToArray(), values = order.Select(i => _raw.Row(r).Values[i]).ToArray() };
            });
            var response = await _http.PostAsJsonAsync($"/v1/xlinear/{name}/predict", new { rows, topK = TopK });
            string text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            using var doc = JsonDocument.Parse(text);
            foreach (var row in doc.RootElement.GetProperty("results").EnumerateArray())
                server.Add(row.EnumerateArray().Select(e => (e.GetProperty("label").GetInt32(), e.GetProperty("score").GetSingle())).ToArray());
        }

        for (int r = 0; r < Rows; r++)
        {
            Assert.That(library[r], Has.Length.EqualTo(TopK), $"{name}: row {r} has {TopK} labels");
            Assert.That(library[r], Is.EqualTo(cli[r]), $"{name}: row {r}, library vs CLI (labels and scores, best first)");
            Assert.That(server[r], Is.EqualTo(cli[r]), $"{name}: row {r}, server vs CLI (labels and scores, best first)");
        }
        // The model prepared the rows: its answers are those of the rows L2-normalised, not of the raw rows.
        using var plain = XLinearServingModel.Open(path);
        Assert.That(plain.Input.NormalizeRows, Is.True, "xmr train records that rows are L2-normalised");
        var asGiven = RankedScores.Of(plain.Predict(_raw, options, normalize: false));
        Assert.That(Enumerable.Range(0, Rows).Count(r => !asGiven[r].SequenceEqual(cli[r])), Is.GreaterThan(Rows / 2),
            "raw rows scored without the model's preparation give other answers, so the comparison above could fail");
    }

    [Test]
    public async Task ProductRetrieval_AnswersRawQueriesIdentically_InCliLibraryAndServer()
    {
        string path = Path.Combine(_models, "shop");
        var queries = ModelFolder.Catalog.Queries.Take(25).Select(q => q.Text)
            .Concat(["  Rose OF jericho  ", "CHEAP   garden\those", "nike shoes", "ünïcödé tent"]).ToArray();
        string input = _dir.Write("queries.txt", string.Join('\n', queries) + "\n");
        string output = _dir.File("shop.jsonl");
        Cli("text2text", "predict", "-i", input, "-m", path, "-o", output, "--top-k", $"{TopK}");
        var cli = File.ReadAllLines(output).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.GetProperty("results").EnumerateArray()
                .Select(e => (e.GetProperty("id").GetInt32(), e.GetProperty("text").GetString()!, e.GetProperty("score").GetSingle())).ToArray();
        }).ToArray();
        Assert.That(cli, Has.Length.EqualTo(queries.Length));

        using var model = (ProductRetrievalModel)ModelFormats.Core.With(ProductRetrievalModel.Format).Open(path);
        for (int q = 0; q < queries.Length; q++)
        {
            var library = model.Predict(queries[q], TopK).Select(m => (m.Id, m.Text, m.Score)).ToArray();
            using var doc = JsonDocument.Parse(await _http.GetStringAsync($"/v1/products/shop/search?q={Uri.EscapeDataString(queries[q])}&topK={TopK}"));
            var server = doc.RootElement.GetProperty("results").EnumerateArray()
                .Select(e => (e.GetProperty("id").GetInt32(), e.GetProperty("text").GetString()!, e.GetProperty("score").GetSingle())).ToArray();
            Assert.That(library, Is.Not.Empty, $"query '{queries[q]}'");
            Assert.That(library, Is.EqualTo(cli[q]), $"query '{queries[q]}': library vs CLI");
            Assert.That(server, Is.EqualTo(cli[q]), $"query '{queries[q]}': server vs CLI");
        }
    }

    [Test]
    public async Task AutoComplete_AnswersRawInputIdentically_InCliLibraryAndServer()
    {
        string path = Path.Combine(_models, "qac");
        using var model = (QacModel)ModelFormats.Core.With(QacModel.Format).Open(path);
        var random = new Random(3);
        var cases = Enumerable.Range(0, 20).Select(_ =>
        {
            string previous = model.Labels[random.Next(model.Labels.Count)], next = model.Labels[random.Next(model.Labels.Count)];
            return (Previous: previous, Prefix: next[..Math.Min(next.Length, 1 + random.Next(5))]);
        }).Concat(new (string Previous, string Prefix)[] { ("  NIKE   Shoes ", "Ad"), ("", "a"), ("garden hose", "") }).ToArray();

        // CLI, all cases in one process: 'previous<TAB>prefix' lines in, the suggested queries out, a line each.
        string lines = string.Join('\n', cases.Select(c => $"{c.Previous}\t{c.Prefix}")) + "\n";
        var process = XmrCli.StartCapturing(["qac", "suggest", "-m", path, "--interactive", "-k", $"{TopK}"], out var printed, lines);
        Assert.That(XmrCli.WaitForExit(process), Is.EqualTo(0), printed());
        var cliQueries = printed().Split("--- stderr")[0].Split('\n').Skip(1).Take(cases.Length).ToArray();

        for (int c = 0; c < cases.Length; c++)
        {
            var (previous, prefix) = cases[c];
            var library = model.Suggest(previous, prefix, TopK);
            using var doc = JsonDocument.Parse(await _http.GetStringAsync(
                $"/v1/qac/qac/suggest?prev={Uri.EscapeDataString(previous)}&prefix={Uri.EscapeDataString(prefix)}&count={TopK}"));
            var server = doc.RootElement.GetProperty("suggestions").EnumerateArray()
                .Select(e => (e.GetProperty("text").GetString()!, e.GetProperty("score").GetSingle(), e.GetProperty("source").GetString()!)).ToArray();
            Assert.That(server, Is.EqualTo(library.Select(s => (s.Query, s.Score, s.Source.ToName())).ToArray()), $"case {c} ('{previous}', '{prefix}'): server vs library");
            Assert.That(cliQueries[c].TrimEnd('\r'), Is.EqualTo(string.Join('\t', library.Select(s => s.Query))), $"case {c}: CLI vs library");
        }

        // The CLI's scored listing for one case, against the server's scores at the precision it prints.
        var (prev0, prefix0) = cases[^3];
        var (exit, table) = XmrCli.Run("qac", "suggest", "-m", path, "--prev", prev0, "--prefix", prefix0, "-k", $"{TopK}");
        Assert.That(exit, Is.EqualTo(0), table);
        var rows = table.Split("--- stderr")[0].Split('\n').Skip(2).Where(l => l.Contains('\t')).Select(l => l.Split('\t')).ToArray();
        var expected = model.Suggest(prev0, prefix0, TopK);
        Assert.That(rows.Select(r => r[0]), Is.EqualTo(expected.Select(s => s.Query)));
        Assert.That(rows.Select(r => r[2]), Is.EqualTo(expected.Select(s => s.Fused ? s.Score.ToString("G5", CultureInfo.InvariantCulture) : "")));
    }

    private static void Cli(params string[] args)
    {
        var (exit, output) = XmrCli.Run(args);
        Assert.That(exit, Is.EqualTo(0), $"xmr {string.Join(' ', args)}\n{output}");
    }

    private static (int Label, float Score)[] Pairs(Inference.ScoredLabel[] labels) => labels.Select(l => (l.Label, l.Score)).ToArray();
}
