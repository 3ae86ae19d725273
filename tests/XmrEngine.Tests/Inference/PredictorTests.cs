using XmrEngine.Inference;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Inference;

/// <summary>Input validation, batch prediction, concurrency and allocation behaviour of <see cref="XLinearPredictor"/>.</summary>
public class PredictorTests
{
    private static XLinearPredictor Predictor(out XmrEngine.Models.XLinearModel model, int seed = 21)
    {
        model = RandomModels.Model(3, 200, 0.05, seed);
        return new XLinearPredictor(model, new PredictOptions { BeamSize = 4, TopK = 5 });
    }

    [Test]
    public void FeatureIdBeyondDimension_NamesIdAndDimension()
    {
        var p = Predictor(out _);
        var ex = Assert.Throws<ArgumentException>(() => p.Predict([3, 200], [1f, 1f]));
        Assert.That(ex!.Message, Does.Contain("200").And.Contain("dimension 200").And.Contain("position 1"));
        Assert.Throws<ArgumentException>(() => p.Predict([-1], [1f]));
    }

    [Test]
    public void BadValuesAndOrder_AreRejected()
    {
        var p = Predictor(out _);
        Assert.That(() => p.Predict([1, 2], [1f, float.NaN]), Throws.ArgumentException.With.Message.Contains("NaN"));
        Assert.That(() => p.Predict([1], [float.PositiveInfinity]), Throws.ArgumentException);
        Assert.That(() => p.Predict([5, 2], [1f, 1f]), Throws.ArgumentException.With.Message.Contains("increasing"));
        Assert.That(() => p.Predict([5, 5], [1f, 1f]), Throws.ArgumentException.With.Message.Contains("increasing"));
        Assert.That(() => p.Predict([1, 2], [1f]), Throws.ArgumentException);
        Assert.That(() => p.Predict([1], [1f], new ScoredLabel[4]), Throws.ArgumentException.With.Message.Contains("TopK is 5"));
    }

    [Test]
    public void BatchQueriesWiderThanModel_AreRejected()
    {
        var p = Predictor(out _);
        Assert.That(() => p.Predict(CsrMatrix.Empty(2, 201)), Throws.ArgumentException.With.Message.Contains("201").And.Message.Contains("200"));
    }

    [Test]
    public void Batch_EqualsSingleQueries_AnyThreadCount()
    {
        var p = Predictor(out _);
        var x = RandomSparse.Csr(150, 200, 0.04, seed: 2).NormalizeRows();
        var parallel = p.Predict(x);
        var serial = p.Predict(x, maxThreads: 1);
        Assert.That(parallel.Rows, Is.EqualTo(150));
        Assert.That(parallel.Cols, Is.EqualTo(p.LabelCount));
        Assert.That(parallel.Pointers.ToArray(), Is.EqualTo(serial.Pointers.ToArray()));
        Assert.That(parallel.Indices.ToArray(), Is.EqualTo(serial.Indices.ToArray()));
        Assert.That(parallel.Values.ToArray(), Is.EqualTo(serial.Values.ToArray()));
        for (int r = 0; r < x.Rows; r++)
        {
            var single = p.Predict(x.Row(r).Indices, x.Row(r).Values);
            var expected = single.OrderBy(s => s.Label).ToArray();
            Assert.That(parallel.Row(r).Indices.ToArray(), Is.EqualTo(expected.Select(s => s.Label).ToArray()), $"row {r}");
            Assert.That(parallel.Row(r).Values.ToArray(), Is.EqualTo(expected.Select(s => s.Score).ToArray()), $"row {r}");
        }
    }

    [Test]
    public void Batch_OverridesOptions()
    {
        var p = Predictor(out _);
        var x = RandomSparse.Csr(10, 200, 0.05, seed: 3);
        var result = p.Predict(x, new PredictOptions { BeamSize = 2, TopK = 2 });
        for (int r = 0; r < 10; r++) Assert.That(result.RowLength(r), Is.LessThanOrEqualTo(2));
    }

    [Test]
    public void ConcurrentCallers_GetSequentialResults()
    {
        var p = Predictor(out _, seed: 23);
        var rng = new Random(5);
        var queries = Enumerable.Range(0, 64).Select(i => RandomModels.Query(200, 1 + i % 25, rng)).ToArray();
        var expected = queries.Select(q => p.Predict(q.Indices, q.Values)).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var options = new[] { p.Defaults, new PredictOptions { BeamSize = 7, TopK = 3 } };
        var expectedAlt = queries.Select(q => p.Predict(q.Indices, q.Values, options[1])).ToArray();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            var buffer = new ScoredLabel[5];
            for (int round = 0; round < 40; round++)
            {
                int i = (t * 13 + round * 7) % queries.Length;
                bool alt = (t + round) % 3 == 0;
                int n = p.Predict(queries[i].Indices, queries[i].Values, buffer, options[alt ? 1 : 0]);
                var want = alt ? expectedAlt[i] : expected[i];
                if (!buffer.AsSpan(0, n).SequenceEqual(want)) failures.Add($"thread {t} query {i} alt {alt}");
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void SingleQuery_AllocatesNothingInSteadyState()
    {
        var p = Predictor(out _);
        var (idx, val) = RandomModels.Query(200, 30, new Random(9));
        var output = new ScoredLabel[5];
        for (int i = 0; i < 5; i++) p.Predict(idx, val, output); // grow the thread's workspace
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) p.Predict(idx, val, output);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(after - before, Is.EqualTo(0));
    }

    [Test]
    public void EmptyQuery_UsesBiasOnly_AndMatchesReference()
    {
        var p = Predictor(out var model);
        var reference = new XLinearPredictor(model, p.Defaults, WeightLayout.Csc);
        var a = p.Predict([], []);
        var b = reference.Predict([], []);
        Assert.That(a.Length, Is.EqualTo(5));
        Assert.That(a.Select(s => s.Label), Is.EqualTo(b.Select(s => s.Label)));
        Assert.That(a.Select(s => s.Score), Is.EqualTo(b.Select(s => s.Score)).Within(1e-5f));
    }

    [Test]
    public void Properties_DescribeTheModel()
    {
        var p = Predictor(out var model);
        Assert.That(p.FeatureCount, Is.EqualTo(200));
        Assert.That(p.LabelCount, Is.EqualTo(model.LabelCount));
        Assert.That(p.Depth, Is.EqualTo(3));
        Assert.That(p.Bias, Is.EqualTo(1f));
        Assert.That(p.Layout, Is.EqualTo(WeightLayout.Chunked));
    }
}
