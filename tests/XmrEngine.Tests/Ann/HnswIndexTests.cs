using XmrEngine.Ann;
using XmrEngine.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Ann;

/// <summary>
/// The graph index against brute force: recall on random and clustered vectors, both metrics; adds after a build and
/// deletes keep it consistent; a saved file reads back to the same answers; damaged files are refused by name; and
/// concurrent searches during adds stay correct.
/// </summary>
public class HnswIndexTests
{
    private static float[] RandomVectors(int n, int dim, int seed, int clusters = 0)
    {
        var rng = new Random(seed);
        var centres = new float[Math.Max(clusters, 1) * dim];
        for (int i = 0; i < centres.Length; i++) centres[i] = (float)(rng.NextDouble() * 2 - 1);
        var v = new float[n * dim];
        for (int r = 0; r < n; r++)
        {
            int c = clusters > 0 ? rng.Next(clusters) : 0;
            for (int j = 0; j < dim; j++)
                v[r * dim + j] = clusters > 0 ? centres[c * dim + j] + 0.15f * (float)(rng.NextDouble() * 2 - 1) : (float)(rng.NextDouble() * 2 - 1);
        }
        return v;
    }

    /// <summary>The exact top k by the metric over the live vectors, as the reference.</summary>
    private static int[] BruteForce(float[] vectors, int dim, ReadOnlySpan<float> query, int k, AnnMetric metric, Func<int, bool>? live = null)
    {
        int n = vectors.Length / dim;
        var scores = new List<(int Id, double Score)>();
        double qn = metric == AnnMetric.Cosine ? Math.Sqrt(DenseDot.Reference(query, query)) : 1;
        for (int i = 0; i < n; i++)
        {
            if (live is not null && !live(i)) continue;
            var row = vectors.AsSpan(i * dim, dim);
            double s = DenseDot.Reference(row, query);
            if (metric == AnnMetric.Cosine) s /= Math.Sqrt(DenseDot.Reference(row, row)) * qn;
            scores.Add((i, s));
        }
        return scores.OrderByDescending(s => s.Score).ThenBy(s => s.Id).Take(k).Select(s => s.Id).ToArray();
    }

    private static double Recall(HnswIndex index, float[] vectors, float[] queries, int dim, int k, int ef, Func<int, bool>? live = null)
    {
        int hits = 0, total = 0;
        for (int q = 0; q < queries.Length / dim; q++)
        {
            var query = queries.AsSpan(q * dim, dim);
            var truth = BruteForce(vectors, dim, query, k, index.Options.Metric, live);
            var found = index.Search(query, k, ef).Select(h => h.Id).ToHashSet();
            hits += truth.Count(found.Contains);
            total += truth.Length;
        }
        return (double)hits / total;
    }

    [TestCase(0, AnnMetric.Cosine)]
    [TestCase(20, AnnMetric.Cosine)]
    [TestCase(0, AnnMetric.InnerProduct)]
    [TestCase(20, AnnMetric.InnerProduct)]
    public void Recall_AgainstBruteForce_IsHigh(int clusters, AnnMetric metric)
    {
        const int dim = 24, n = 3000, k = 10;
        // Queries from the same distribution as the vectors (the same cluster centres), held out of the index.
        var all = RandomVectors(n + 100, dim, seed: 1, clusters);
        var vectors = all[..(n * dim)];
        var queries = all[(n * dim)..];
        var index = HnswIndex.Build(vectors, dim, new HnswOptions { M = 12, EfConstruction = 100, Metric = metric });
        Assert.That(index.Count, Is.EqualTo(n));
        double recall = Recall(index, vectors, queries, dim, k, ef: 100);
        Assert.That(recall, Is.GreaterThanOrEqualTo(0.95), $"recall@{k} with ef 100");
        Assert.That(Recall(index, vectors, queries, dim, k, ef: 10), Is.LessThanOrEqualTo(recall + 1e-9), "a narrower beam never finds more");

        var hits = index.Search(queries.AsSpan(0, dim), k, 100);
        Assert.That(hits.Select(h => h.Similarity), Is.Ordered.Descending);
        var q0 = queries.AsSpan(0, dim).ToArray();
        if (metric == AnnMetric.Cosine) DenseDot.Normalize(q0);
        foreach (var h in hits) Assert.That(h.Similarity, Is.EqualTo(DenseDot.Reference(index.Vector(h.Id), q0)).Within(1e-4), "the similarity is the metric's");
    }

    [Test]
    public void AddsAfterABuild_AndDeletes_KeepAnswersConsistent()
    {
        const int dim = 16, k = 10;
        var all = RandomVectors(2060, dim, seed: 3, clusters: 10);
        var vectors = all[..(2000 * dim)];
        var queries = all[(2000 * dim)..];
        var index = HnswIndex.Build(vectors.AsSpan(0, 1000 * dim), dim);
        for (int r = 1000; r < 2000; r++) Assert.That(index.Add(vectors.AsSpan(r * dim, dim)), Is.EqualTo(r), "ids continue in order");
        Assert.That(Recall(index, vectors, queries, dim, k, ef: 80), Is.GreaterThanOrEqualTo(0.95), "vectors added later are found as well as built ones");

        var gone = new HashSet<int>(Enumerable.Range(0, 2000).Where(i => i % 3 == 0));
        foreach (int id in gone) Assert.That(index.Delete(id), Is.True);
        Assert.That(index.Delete(0), Is.False, "deleting twice says so");
        Assert.That(index.DeletedCount, Is.EqualTo(gone.Count));
        for (int q = 0; q < 60; q++)
        {
            var found = index.Search(queries.AsSpan(q * dim, dim), k, 80);
            Assert.That(found, Has.Length.EqualTo(k));
            Assert.That(found.Select(h => h.Id), Has.None.Matches<int>(gone.Contains), "a deleted vector is never returned");
        }
        Assert.That(Recall(index, vectors, queries, dim, k, ef: 80, live: i => !gone.Contains(i)), Is.GreaterThanOrEqualTo(0.9), "deleted nodes still route searches");
        Assert.That(() => index.Delete(2000), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void EdgeCases_EmptyOneVectorAllDeletedAndBadInput()
    {
        var empty = new HnswIndex(4);
        Assert.That(empty.Search([1, 0, 0, 0], 5), Is.Empty);
        int id = empty.Add([0, 1, 0, 0]);
        var one = empty.Search([1, 1, 0, 0], 5);
        Assert.That(one, Has.Length.EqualTo(1));
        Assert.That(one[0].Id, Is.EqualTo(id));
        Assert.That(one[0].Similarity, Is.EqualTo(MathF.Sqrt(0.5f)).Within(1e-6));
        empty.Delete(id);
        Assert.That(empty.Search([1, 1, 0, 0], 5), Is.Empty, "nothing live");
        Assert.That(() => empty.Add([1, 2, 3]), Throws.ArgumentException.With.Message.Contain("4-dimensional"));
        Assert.That(() => empty.Add([1, float.NaN, 0, 0]), Throws.ArgumentException.With.Message.Contain("finite"));
        Assert.That(() => empty.Search([1, 0, 0, float.PositiveInfinity], 1), Throws.ArgumentException.With.Message.Contain("finite"));
        Assert.That(() => empty.Search([1, 0, 0, 0], 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new HnswIndex(4, new HnswOptions { M = 1 }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contain("M"));
        var duplicates = HnswIndex.Build([1, 0, 1, 0, 1, 0, 0, 1], 2);
        Assert.That(duplicates.Search([1, 0], 3).Select(h => h.Id), Is.EquivalentTo(new[] { 0, 1, 2 }), "equal vectors are all found");
    }

    [Test]
    public void ASavedIndex_ReadsBackToTheSameAnswers_AndDamageIsRefusedByName()
    {
        using var dir = new TempDir();
        const int dim = 12;
        var vectors = RandomVectors(800, dim, seed: 5, clusters: 6);
        var index = HnswIndex.Build(vectors, dim, new HnswOptions { M = 8, Seed = 7 });
        index.Delete(5);
        string path = dir.File("index.ann");
        index.Save(path);
        var loaded = HnswIndex.Load(path);
        Assert.That(loaded.Count, Is.EqualTo(index.Count));
        Assert.That(loaded.Options, Is.EqualTo(index.Options));
        Assert.That(loaded.IsDeleted(5), Is.True);
        var queries = RandomVectors(40, dim, seed: 6, clusters: 6);
        for (int q = 0; q < 40; q++)
            Assert.That(loaded.Search(queries.AsSpan(q * dim, dim), 10), Is.EqualTo(index.Search(queries.AsSpan(q * dim, dim), 10)));
        Assert.That(HnswIndex.Build(vectors, dim, new HnswOptions { M = 8, Seed = 7 }).Search(queries.AsSpan(0, dim), 10),
            Is.EqualTo(HnswIndex.Build(vectors, dim, new HnswOptions { M = 8, Seed = 7 }).Search(queries.AsSpan(0, dim), 10)), "a build is deterministic");
        loaded.Add(vectors.AsSpan(0, dim));
        Assert.That(loaded.Count, Is.EqualTo(801), "a loaded index takes adds");

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(dir.File("truncated.ann"), bytes[..(bytes.Length / 2)]);
        Assert.That(() => HnswIndex.Load(dir.File("truncated.ann")), Throws.InstanceOf<XmrDataException>().With.Message.Contain("truncated.ann").And.Message.Contain("truncated"));
        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 3] ^= 0x40;
        File.WriteAllBytes(dir.File("flipped.ann"), flipped);
        Assert.That(() => HnswIndex.Load(dir.File("flipped.ann")), Throws.InstanceOf<XmrDataException>().With.Message.Contain("flipped.ann"));
        File.WriteAllText(dir.File("text.ann"), "not an index at all, just some text");
        Assert.That(() => HnswIndex.Load(dir.File("text.ann")), Throws.InstanceOf<XmrDataException>().With.Message.Contain("magic"));
    }

    [Test]
    public void ConcurrentSearches_DuringAdds_AreCorrect()
    {
        const int dim = 8;
        var vectors = RandomVectors(3000, dim, seed: 8);
        var index = HnswIndex.Build(vectors.AsSpan(0, 1000 * dim), dim, new HnswOptions { M = 8, EfConstruction = 60 });
        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var readers = Enumerable.Range(0, 3).Select(t => Task.Run(() =>
        {
            var rng = new Random(t);
            while (!stop.IsCancellationRequested)
            {
                int probe = rng.Next(1000);
                var hits = index.Search(vectors.AsSpan(probe * dim, dim), 5, 40);
                if (hits.Length == 0 || hits[0].Similarity < 0.999f) failures.Add($"vector {probe} not found first: {string.Join(",", hits)}");
            }
        })).ToArray();
        for (int r = 1000; r < 3000; r++) index.Add(vectors.AsSpan(r * dim, dim));
        stop.Cancel();
        Task.WaitAll(readers);
        Assert.That(failures, Is.Empty);
        Assert.That(index.Count, Is.EqualTo(3000));
    }
}
