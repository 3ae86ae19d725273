using System.Net;
using System.Text;
using System.Text.Json;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// Every bad request gets a 4xx problem-details body that names the field at fault; none gets a 500, and none
/// disturbs the models (a good request afterwards still answers).
/// </summary>
public sealed class BadRequestTests
{
    private const string Row = "{\"indices\":[1,2],\"values\":[0.5,0.5]}";
    private TestHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await TestHost.StartAsync(o =>
    {
        o.Limits.MaxTopK = 50;
        o.Limits.MaxBeamSize = 20;
        o.Limits.MaxRows = 3;
        o.Limits.MaxBodyBytes = 4096;
        o.Limits.MaxQueryLength = 100;
        o.Limits.MaxRowNonZeros = 10;
    });

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private static IEnumerable<TestCaseData> PredictBodies()
    {
        TestCaseData Case(string name, string body, int status, string field) => new TestCaseData(body, status, field).SetName("Predict_" + name);
        yield return Case("NotJson", "rows please", 400, "body");
        yield return Case("Empty", "", 400, "body");
        yield return Case("JsonNull", "null", 400, "body");
        yield return Case("Array", "[1,2]", 400, "body");
        yield return Case("Truncated", "{\"rows\":[{\"indices\":[1,2", 400, "rows[0].indices[1]");
        yield return Case("RowsMissing", "{\"topK\":3}", 400, "rows");
        yield return Case("RowsEmpty", "{\"rows\":[]}", 400, "rows");
        yield return Case("RowsNotAList", "{\"rows\":5}", 400, "rows");
        yield return Case("TooManyRows", $"{{\"rows\":[{Row},{Row},{Row},{Row}]}}", 400, "rows");
        yield return Case("RowNull", "{\"rows\":[null]}", 400, "rows[0]");
        yield return Case("IndicesMissing", "{\"rows\":[{\"values\":[1]}]}", 400, "rows[0].indices");
        yield return Case("ValuesMissing", "{\"rows\":[{\"indices\":[1]}]}", 400, "rows[0].values");
        yield return Case("LengthMismatch", "{\"rows\":[{\"indices\":[1,2],\"values\":[1]}]}", 400, "rows[0].values");
        yield return Case("IndexTooLarge", $"{{\"rows\":[{Row},{{\"indices\":[3,{ModelFolder.Features}],\"values\":[1,1]}}]}}", 400, "rows[1].indices[1]");
        yield return Case("IndexNegative", "{\"rows\":[{\"indices\":[-1],\"values\":[1]}]}", 400, "rows[0].indices[0]");
        yield return Case("IndexNotInteger", "{\"rows\":[{\"indices\":[1.5],\"values\":[1]}]}", 400, "rows[0].indices[0]");
        yield return Case("IndexString", "{\"rows\":[{\"indices\":[\"7\"],\"values\":[1]}]}", 400, "rows[0].indices[0]");
        yield return Case("IndexOverflow", "{\"rows\":[{\"indices\":[99999999999],\"values\":[1]}]}", 400, "rows[0].indices[0]");
        yield return Case("DuplicateIndex", "{\"rows\":[{\"indices\":[4,2,4],\"values\":[1,1,1]}]}", 400, "rows[0].indices");
        yield return Case("TooManyNonZeros", "{\"rows\":[{\"indices\":[0,1,2,3,4,5,6,7,8,9,10],\"values\":[1,1,1,1,1,1,1,1,1,1,1]}]}", 400, "rows[0].indices");
        yield return Case("NaNLiteral", "{\"rows\":[{\"indices\":[1],\"values\":[NaN]}]}", 400, "rows[0].values[0]");
        yield return Case("NaNString", "{\"rows\":[{\"indices\":[1],\"values\":[\"NaN\"]}]}", 400, "rows[0].values[0]");
        yield return Case("Infinite", "{\"rows\":[{\"indices\":[1],\"values\":[1e999]}]}", 400, "rows[0].values[0]");
        yield return Case("TopKZero", $"{{\"rows\":[{Row}],\"topK\":0}}", 400, "topK");
        yield return Case("TopKNegative", $"{{\"rows\":[{Row}],\"topK\":-3}}", 400, "topK");
        yield return Case("TopKOverLimit", $"{{\"rows\":[{Row}],\"topK\":51}}", 400, "topK");
        yield return Case("TopKHuge", $"{{\"rows\":[{Row}],\"topK\":2147483648}}", 400, "topK");
        yield return Case("BeamOverLimit", $"{{\"rows\":[{Row}],\"beamSize\":21}}", 400, "beamSize");
        yield return Case("BeamZero", $"{{\"rows\":[{Row}],\"beamSize\":0}}", 400, "beamSize");
        yield return Case("UnknownField", $"{{\"rows\":[{Row}],\"top_k\":3}}", 400, "top_k");
        yield return Case("BodyOverLimit", $"{{\"rows\":[{Row}],\"pad\":\"{new string('x', 5000)}\"}}", 413, "body");
    }

    [TestCaseSource(nameof(PredictBodies))]
    public async Task PredictRejects(string body, int status, string field)
    {
        var response = await _host.Client.PostAsync("/v1/xlinear/xr/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblem(response, status, field);
    }

    [Test]
    public async Task PredictRejectsABodyThatIsNotJson()
    {
        var response = await _host.Client.PostAsync("/v1/xlinear/xr/predict", new StringContent($"{{\"rows\":[{Row}]}}", Encoding.UTF8, "text/plain"));
        await AssertProblem(response, 415, "Content-Type");
    }

    [Test]
    public async Task ABodyOverTheLimitWithoutContentLengthIsRejectedWhileReading()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($"{{\"rows\":[{Row}],\"pad\":\"{new string('x', 9000)}\"}}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/xlinear/xr/predict") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await AssertProblem(await _host.Client.SendAsync(request), 413, "body");
    }

    private static IEnumerable<TestCaseData> GetUrls()
    {
        TestCaseData Case(string name, string url, int status, string field) => new TestCaseData(url, status, field).SetName("Get_" + name);
        yield return Case("UnknownQacModel", "/v1/qac/nosuch/suggest?prefix=a", 404, "name");
        yield return Case("UnknownProductModel", "/v1/products/nosuch/search?q=a", 404, "name");
        yield return Case("QacNameOnXLinearModel", "/v1/qac/xr/suggest?prefix=a", 404, "name");
        yield return Case("ProductNameOnQacModel", "/v1/products/qac/search?q=a", 404, "name");
        yield return Case("PrefixMissing", "/v1/qac/qac/suggest?prev=a", 400, "prefix");
        yield return Case("PrefixTwice", "/v1/qac/qac/suggest?prefix=a&prefix=b", 400, "prefix");
        yield return Case("PrefixTooLong", $"/v1/qac/qac/suggest?prefix={new string('a', 101)}", 400, "prefix");
        yield return Case("PrevTooLong", $"/v1/qac/qac/suggest?prefix=a&prev={new string('a', 101)}", 400, "prev");
        yield return Case("CountNotANumber", "/v1/qac/qac/suggest?prefix=a&count=ten", 400, "count");
        yield return Case("CountZero", "/v1/qac/qac/suggest?prefix=a&count=0", 400, "count");
        yield return Case("CountNegative", "/v1/qac/qac/suggest?prefix=a&count=-1", 400, "count");
        yield return Case("CountOverLimit", "/v1/qac/qac/suggest?prefix=a&count=51", 400, "count");
        yield return Case("CountOverflow", "/v1/qac/qac/suggest?prefix=a&count=99999999999999", 400, "count");
        yield return Case("QMissing", "/v1/products/shop/search", 400, "q");
        yield return Case("QBlank", "/v1/products/shop/search?q=%20%20", 400, "q");
        yield return Case("QTooLong", $"/v1/products/shop/search?q={new string('b', 101)}", 400, "q");
        yield return Case("TopKNotANumber", "/v1/products/shop/search?q=a&topK=1e3", 400, "topK");
        yield return Case("TopKOverLimit", "/v1/products/shop/search?q=a&topK=51", 400, "topK");
        yield return Case("ReloadUnknown", "/v1/models/nosuch/reload", 404, "name");
        yield return Case("PredictUnknownModel", "/v1/xlinear/nosuch/predict", 404, "name");
    }

    [TestCaseSource(nameof(GetUrls))]
    public async Task QueryArgumentsAreChecked(string url, int status, string field)
    {
        bool post = url.EndsWith("/reload", StringComparison.Ordinal) || url.EndsWith("/predict", StringComparison.Ordinal);
        var response = post
            ? await _host.Client.PostAsync(url, new StringContent($"{{\"rows\":[{Row}]}}", Encoding.UTF8, "application/json"))
            : await _host.Client.GetAsync(url);
        await AssertProblem(response, status, field);
    }

    [TestCase("")]
    [TestCase("%00%01%02")]
    [TestCase("%F0%9F%98%80%F0%9F%98%80")]
    [TestCase("%ED%A0%80")]
    [TestCase("%22%3Cscript%3E")]
    public async Task OddTextIsAnsweredNotRejected(string text)
    {
        var suggest = await _host.Client.GetAsync($"/v1/qac/qac/suggest?prefix={text}&prev={text}");
        Assert.That(suggest.StatusCode, Is.EqualTo(HttpStatusCode.OK), await suggest.Content.ReadAsStringAsync());
        if (text.Length == 0) return;
        var search = await _host.Client.GetAsync($"/v1/products/shop/search?q={text}");
        Assert.That(search.StatusCode, Is.EqualTo(HttpStatusCode.OK), await search.Content.ReadAsStringAsync());
    }

    [TearDown]
    public async Task GoodRequestsStillWork()
    {
        var ok = await _host.Client.PostAsync("/v1/xlinear/xr/predict", new StringContent($"{{\"rows\":[{Row}]}}", Encoding.UTF8, "application/json"));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static async Task AssertProblem(HttpResponseMessage response, int status, string field)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        using var doc = JsonDocument.Parse(body);
        Assert.That(doc.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(status));
        Assert.That(doc.RootElement.GetProperty("field").GetString(), Is.EqualTo(field), body);
        Assert.That(doc.RootElement.GetProperty("detail").GetString(), Does.StartWith(field + ":"), body);
    }
}
