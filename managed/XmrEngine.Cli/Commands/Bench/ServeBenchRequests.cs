using System.Globalization;
using System.Text;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Hosting;
using XmrEngine.Serving;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands.Bench;

/// <summary>
/// One benchmarked call, made two ways: through the library in this process (lease + call, what the endpoint
/// does minus HTTP) and as the equivalent HTTP request.
/// </summary>
internal sealed record ServeBenchCall(Action<ModelRegistry> InProcess, Func<HttpClient, Task<HttpResponseMessage>> OverHttp);

/// <summary>The request mixes <c>xmr bench serve</c> sends, built from real test data where given.</summary>
internal static class ServeBenchRequests
{
    /// <summary>Single-row predicts from the rows of <paramref name="rows"/> (or seeded random rows when null).</summary>
    public static List<ServeBenchCall> XLinear(string name, XLinearServingModel predictor, CsrMatrix? rows, int count)
    {
        var random = new Random(0);
        var calls = new List<ServeBenchCall>(count);
        for (int i = 0; i < count; i++)
        {
            int[] ids;
            float[] values;
            if (rows is not null && rows.Rows > 0)
            {
                var row = rows.Row(i % rows.Rows);
                ids = row.Indices.ToArray().Where(j => j < predictor.FeatureCount).ToArray();
                values = row.Values.ToArray()[..ids.Length];
            }
            else
            {
                ids = Enumerable.Range(0, 20).Select(_ => random.Next(predictor.FeatureCount)).Distinct().Order().ToArray();
                values = ids.Select(_ => (float)random.NextDouble()).ToArray();
            }
            var json = new StringBuilder("{\"rows\":[{\"indices\":[").AppendJoin(',', ids).Append("],\"values\":[")
                .AppendJoin(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append("]}],\"topK\":10}").ToString();
            calls.Add(new ServeBenchCall(
                registry => Use(registry, name, m => ((XLinearServingModel)m.Instance).Predict(ids, values, ((XLinearServingModel)m.Instance).Options(topK: 10))),
                http => http.PostAsync($"/v1/xlinear/{name}/predict", new StringContent(json, Encoding.UTF8, "application/json"))));
        }
        return calls;
    }

    /// <summary>Searches for <paramref name="queries"/> (cycled).</summary>
    public static List<ServeBenchCall> Products(string name, IReadOnlyList<string> queries, int count) =>
        Enumerable.Range(0, count).Select(i => queries[i % queries.Count]).Select(q => new ServeBenchCall(
            registry => Use(registry, name, m => ((Apps.ProductRetrieval.ProductRetrievalModel)m.Instance).Predict(q, 10)),
            http => http.GetAsync($"/v1/products/{name}/search?q={Uri.EscapeDataString(q)}&topK=10"))).ToList();

    /// <summary>Suggestions for the (previous query, prefix) test cases (cycled).</summary>
    public static List<ServeBenchCall> Qac(string name, IReadOnlyList<QacTestCase> cases, int count) =>
        Enumerable.Range(0, count).Select(i => cases[i % cases.Count]).Select(c => new ServeBenchCall(
            registry => Use(registry, name, m => ((QacModel)m.Instance).Suggest(c.Previous, c.Prefix, 10)),
            http => http.GetAsync($"/v1/qac/{name}/suggest?prev={Uri.EscapeDataString(c.Previous)}&prefix={Uri.EscapeDataString(c.Prefix)}&count=10"))).ToList();

    /// <summary>Test cases from a query log the model's split settings apply to, or made from the model's own labels.</summary>
    public static IReadOnlyList<QacTestCase> QacCases(QacModel model, string? log)
    {
        if (log is not null)
        {
            var cases = model.TestCases(QacSplit.Load(log, model.Settings.Data));
            if (cases.Count > 0) return cases;
        }
        var random = new Random(0);
        var labels = model.Labels;
        return Enumerable.Range(0, 2000).Select(_ =>
        {
            string next = labels[random.Next(labels.Count)];
            return new QacTestCase(labels[random.Next(labels.Count)], next[..Math.Min(next.Length, 1 + random.Next(4))], next);
        }).ToList();
    }

    private static void Use<T>(ModelRegistry registry, string name, Func<ServedModel, T> call)
    {
        if (!registry.TryLease(name, out var lease)) throw new InvalidOperationException($"model {name} is not loaded");
        using (lease) _ = call(lease!.Model);
    }
}
