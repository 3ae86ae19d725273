using XmrEngine.Inference;
using XmrEngine.Serving;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Cluster.Tests;

/// <summary>SIGKILL one of three silos in the middle of a bounded prediction load: every request still gets the single machine's answer.</summary>
[TestFixture]
[Category("Cluster")]
public sealed class SiloFailureTests
{
    private const int Requests = 240;
    private const int RowsPerRequest = 4;
    private const int KillAfter = 60;

    [Test]
    public async Task KillOneSilo_DuringLoad_EveryRequestCompletesCorrectly()
    {
        using var temp = new TempDir();
        using var cluster = new ClusterFixture(3);
        var model = GeneratedModel.Create(labels: 20_000, branching: 16, features: 3_000, weightsPerNode: 12, seed: 41);
        var pool = RandomSparse.Csr(Requests * RowsPerRequest, 3_000, 0.01, 42);
        using var single = new XLinearServingModel(new XLinearPredictor(model));
        var expected = single.Predict(pool);
        // Split at level 1: every shard holds subtrees near the top, so every silo hosts work every request needs.
        using var router = cluster.Open(ClusterFixture.Shard(model, temp.Path, "load", 1, 5), batchRows: RowsPerRequest, concurrentBatches: 1);

        int next = -1, completed = 0, killed = 0;
        var wrong = new List<string>();
        async Task Worker()
        {
            for (int r = Interlocked.Increment(ref next); r < Requests; r = Interlocked.Increment(ref next))
            {
                var rows = Enumerable.Range(r * RowsPerRequest, RowsPerRequest).ToArray();
                var answer = await router.PredictAsync(pool.SelectRows(rows), null, 1, normalize: null, CancellationToken.None);
                if (!Same(expected.SelectRows(rows), answer)) lock (wrong) wrong.Add($"request {r}");
                if (Interlocked.Increment(ref completed) == KillAfter && Interlocked.Exchange(ref killed, 1) == 0) cluster.Silos[1].Kill();
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(Worker))).WaitAsync(TimeSpan.FromSeconds(100));

        TestContext.Out.WriteLine($"{Requests} requests of {RowsPerRequest} rows, silo killed after {KillAfter}: {cluster.Statistics}");
        Assert.That(killed, Is.EqualTo(1), "the silo was killed mid-load");
        Assert.That(cluster.Silos[1].HasExited, Is.True);
        Assert.That(completed, Is.EqualTo(Requests), cluster.Output);
        Assert.That(wrong, Is.Empty, "answers that differ from the single machine's");
    }

    private static bool Same(CsrMatrix a, CsrMatrix b) =>
        a.Pointers.SequenceEqual(b.Pointers) && a.Indices.SequenceEqual(b.Indices) && a.Values.SequenceEqual(b.Values);
}
