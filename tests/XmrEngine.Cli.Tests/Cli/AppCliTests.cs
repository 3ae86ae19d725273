using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Tests.Apps.AutoComplete;
using XmrEngine.Tests.Apps.ProductRetrieval;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>The auto-completion and product-retrieval verbs run as a user runs them, with the same edge cases as predict.</summary>
public class AppCliTests
{
    private static readonly Lazy<(TempDir Dir, string Log, string Model)> Qac = new(() =>
    {
        var dir = new TempDir();
        string log = dir.File("log.tsv");
        SyntheticQueryLog.WriteTsv(log, 600, seed: 1);
        string model = dir.File("qac");
        var run = Xmr.Run("qac", "train", "-i", log, "-m", model, "--indexer", "trie", "--trie-depth", "1", "--threads", "1");
        if (run.ExitCode != 0) throw new InvalidOperationException(run.ToString());
        return (dir, log, model);
    });

    private static readonly Lazy<(TempDir Dir, string Queries, string Items, string Model)> Products = new(() =>
    {
        var dir = new TempDir();
        var catalog = new SyntheticCatalog();
        string queries = dir.File("train.txt"), items = dir.File("items.txt");
        Text2TextFormat.WriteQueries(queries, catalog.Queries);
        Text2TextFormat.WriteItems(items, catalog.Items);
        string model = dir.File("model");
        var run = Xmr.Run("text2text", "train", "-i", queries, "-q", items, "-m", model, "--nr-splits", "4", "--max-leaf-size", "4", "--threads", "1");
        if (run.ExitCode != 0) throw new InvalidOperationException(run.ToString());
        return (dir, queries, items, model);
    });

    [OneTimeTearDown]
    public void RemoveModels()
    {
        if (Qac.IsValueCreated) Qac.Value.Dir.Dispose();
        if (Products.IsValueCreated) Products.Value.Dir.Dispose();
    }

    [Test]
    public void QacSuggestWithAHugeKIsCappedAndPrintsAHeaderWithSeparateScoreAndCountColumns()
    {
        var run = Xmr.Run("qac", "suggest", "-m", Qac.Value.Model, "--prev", SyntheticQueryLog.Context(5), "--prefix", "b", "-k", "2147483647");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Err, Does.Contain("note: -k 2147483647 is more than the 40 labels"));
        Assert.That(run.Err, Does.Not.Contain("most-popular completion fills"), "a fused model ranks its whole pool");
        var lines = run.Out.TrimEnd().Split('\n');
        Assert.That(lines[0], Is.EqualTo("query\tsource\tfused\tmodel\tcount"));
        var first = lines[1].Split('\t');
        Assert.That(first, Has.Length.EqualTo(5));
        Assert.That(first[0], Is.EqualTo(SyntheticQueryLog.Target(5)));
        Assert.That(first[1], Does.StartWith("model"));
        var c = System.Globalization.CultureInfo.InvariantCulture;
        Assert.That(float.IsFinite(float.Parse(first[2], c)), "the model trained with a fusion ranker (default --ranker-users)");
        Assert.That(float.Parse(first[3], c), Is.InRange(0f, 1f));
        Assert.That(int.Parse(first[4], c), Is.GreaterThan(0));
        foreach (var line in lines.Skip(1).Select(l => l.Split('\t')))
        {
            Assert.That(line[2], Is.Not.Empty, "every fused suggestion has a fused score");
            if (!line[1].Contains("model")) Assert.That(line[3], Is.Empty, "suggestions the beam did not propose have no model score");
        }
    }

    [Test]
    public void QacEvaluateWithHugeBeamAndCandidatesRuns()
    {
        var run = Xmr.Run("qac", "evaluate", "-i", Qac.Value.Log, "-m", Qac.Value.Model, "--beam-size", "2147483647", "--candidates", "2147483647", "--json");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Does.Contain("\"model\"").And.Contain("\"7+\""), "bucket names unescaped");
    }

    [Test]
    public void QacHoldoutUsersAreEvaluatedByDefaultAndTheTimeSplitOnRequest()
    {
        using var dir = new TempDir();
        string log = dir.File("log.tsv"), model = dir.File("qac");
        SyntheticQueryLog.WriteTsv(log, 600, seed: 3);
        var train = Xmr.Run("qac", "train", "-i", log, "-m", model, "--indexer", "trie", "--trie-depth", "1", "--threads", "1", "--holdout-users", "0.25", "--seed", "5");
        Assert.That(train.ExitCode, Is.EqualTo(0), train.ToString());
        Assert.That(train.Err, Does.Contain("users held out"));
        var held = Xmr.Run("qac", "evaluate", "-i", log, "-m", model, "--json");
        Assert.That(held.ExitCode, Is.EqualTo(0), held.ToString());
        Assert.That(held.Out, Does.Contain("\"split\": \"holdout\"").And.Contain("\"most_popular\"").And.Contain("\"1-3\""));
        // Each call's own thread CPU time beside its wall time, where the OS gives it: a wall p99 far above it is waiting, not work.
        using (var doc = System.Text.Json.JsonDocument.Parse(held.Out))
        {
            var cpu = doc.RootElement.GetProperty("model").GetProperty("cpu_p99_ms");
            if (OperatingSystem.IsLinux()) Assert.That(cpu.GetDouble(), Is.GreaterThanOrEqualTo(0), held.Out);
            else Assert.That(cpu.ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), held.Out);
        }
        var time = Xmr.Run("qac", "evaluate", "-i", log, "-m", model, "--json", "--split", "time");
        Assert.That(time.ExitCode, Is.EqualTo(0), time.ToString());
        Assert.That(time.Out, Does.Contain("\"split\": \"time\""));
        Assert.That(time.Out, Is.Not.EqualTo(held.Out), "different test users");
        Xmr.AssertUserError(Xmr.Run("qac", "evaluate", "-i", log, "-m", Qac.Value.Model, "--split", "holdout"), "--split holdout", "every user");
        Xmr.AssertUserError(Xmr.Run("qac", "evaluate", "-i", log, "-m", model, "--split", "users"), "--split");
    }

    [Test]
    public void QacTrainChecksXmrBackendBeforeReadingTheLog()
    {
        using var dir = new TempDir();
        var run = Xmr.RunWithEnvironment(new Dictionary<string, string?> { ["XMR_BACKEND"] = "bogus" },
            "qac", "train", "-i", Qac.Value.Log, "-m", dir.File("qac"));
        Xmr.AssertUserError(run, "XMR_BACKEND=bogus");
    }

    [Test]
    public void QacTrainOntoItsLogIsRefusedAndAnUnwritableTargetFailsFirst()
    {
        using var dir = new TempDir();
        string log = dir.File("log.tsv");
        SyntheticQueryLog.WriteTsv(log, 50, seed: 2);
        byte[] before = File.ReadAllBytes(log);
        Xmr.AssertUserError(Xmr.Run("qac", "train", "-i", log, "-m", log), "is also the input -i");
        Assert.That(File.ReadAllBytes(log), Is.EqualTo(before));
        string underAFile = Path.Combine(log, "model");
        Xmr.AssertUserError(Xmr.Run("qac", "train", "-i", log, "-m", underAFile), "-m " + underAFile);
    }

    [Test]
    public void QacTrainReportsProgressOnStderrAndTheSummaryOnStdout()
    {
        using var dir = new TempDir();
        string model = dir.File("qac");
        var run = Xmr.Run("qac", "train", "-i", Qac.Value.Log, "-m", model, "--indexer", "trie", "--trie-depth", "1", "--threads", "1");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Err, Does.Contain("read ").And.Contain("training level"), "per-level progress of the XR-Linear step");
        Assert.That(run.Out, Does.StartWith("trained trie into " + model));
    }

    [Test]
    public void Text2TextPredictAndEvaluateWithHugeTopKAreCapped()
    {
        using var dir = new TempDir();
        string output = dir.File("out.jsonl");
        var predict = Xmr.Run("text2text", "predict", "-i", Products.Value.Queries, "-m", Products.Value.Model, "-o", output, "--top-k", "2147483647", "--beam-size", "2147483647");
        Assert.That(predict.ExitCode, Is.EqualTo(0), predict.ToString());
        Assert.That(predict.Err, Does.Contain("note: --top-k 2147483647 is more than the model's 64 labels"));
        Assert.That(File.ReadLines(output).Count(), Is.EqualTo(File.ReadLines(Products.Value.Queries).Count()));
        var evaluate = Xmr.Run("text2text", "evaluate", "-i", Products.Value.Queries, "-m", Products.Value.Model, "-k", "2147483647", "--json");
        Assert.That(evaluate.ExitCode, Is.EqualTo(0), evaluate.ToString());
        Assert.That(evaluate.Err, Does.Contain("note: -k 2147483647 is more than the 64 items"));
        Assert.That(evaluate.Out, Does.Contain("\"R@10\""));
    }

    [Test]
    public void Text2TextOutputsThatAreInputsAreRefused()
    {
        byte[] before = File.ReadAllBytes(Products.Value.Queries);
        Xmr.AssertUserError(Xmr.Run("text2text", "predict", "-i", Products.Value.Queries, "-m", Products.Value.Model, "-o", Products.Value.Queries), "is also the input -i");
        Xmr.AssertUserError(Xmr.Run("text2text", "train", "-i", Products.Value.Queries, "-q", Products.Value.Items, "-m", Products.Value.Items), "is also the input -q");
        Assert.That(File.ReadAllBytes(Products.Value.Queries), Is.EqualTo(before));
    }
}
