using System.Net;
using System.Text;
using System.Text.Json;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// What error answers and the model list tell a client, through a real Kestrel server: problem details for a wrong
/// method or route, no .NET type names, and no absolute server paths.
/// </summary>
public sealed class ErrorBodyTests
{
    [Test]
    public async Task AWrongMethodOrRoute_IsAProblemDetailsAnswer()
    {
        await using var host = await TestHost.StartAsync(kestrel: true);
        var wrongMethod = await host.Client.GetAsync("/v1/models/xr/reload");
        await AuthenticationTests.ExpectProblem(wrongMethod, HttpStatusCode.MethodNotAllowed, "POST");
        await AuthenticationTests.ExpectProblem(await host.Client.DeleteAsync("/v1/models"), HttpStatusCode.MethodNotAllowed, "DELETE");
        await AuthenticationTests.ExpectProblem(await host.Client.GetAsync("/v1/nothing/here"), HttpStatusCode.NotFound, "/v1/nothing/here");
    }

    [TestCase("{\"rows\":[{\"indices\":[\"a\"],\"values\":[1]}]}", "rows[0].indices[0]", "a whole number")]
    [TestCase("{\"rows\":[{\"indices\":[1],\"values\":[\"x\"]}]}", "rows[0].values[0]", "a number")]
    [TestCase("{\"rows\":[{\"indices\":[1],\"values\":[1]}],\"topK\":\"ten\"}", "topK", "a whole number")]
    [TestCase("{\"rows\":{\"indices\":[1]}}", "rows", "an array")]
    [TestCase("{\"rows\":[5]}", "rows[0]", "an object")]
    [TestCase("[1,2]", "body", "an object")]
    public async Task MalformedJson_IsDescribedWithoutDotNetTypeNames(string body, string field, string expected)
    {
        await using var host = await TestHost.StartAsync(kestrel: true);
        var response = await host.Client.PostAsync("/v1/xlinear/xr/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        using var doc = JsonDocument.Parse(text);
        Assert.That(doc.RootElement.GetProperty("field").GetString(), Is.EqualTo(field), text);
        string detail = doc.RootElement.GetProperty("detail").GetString()!;
        Assert.That(detail, Does.Contain(expected));
        Assert.That(detail, Does.Not.Contain("System.").And.Not.Contain("XmrEngine.").And.Not.Contain("`1"), "no .NET type names");
    }

    [Test]
    public async Task TheModelList_ShowsNoAbsoluteServerPaths()
    {
        await using var host = await TestHost.StartAsync(kestrel: true,
            prepare: dir => File.WriteAllText(Path.Combine(dir, "broken.xmr"), "not a model"));
        string text = await host.Client.GetStringAsync("/v1/models");
        Assert.That(text, Does.Not.Contain(host.Models), "the models folder is not shown");
        using var doc = JsonDocument.Parse(text);
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.That(models["xr"].GetProperty("path").GetString(), Is.EqualTo("xr.xmr"));
        Assert.That(models["qac"].GetProperty("path").GetString(), Is.EqualTo("qac"));
        var broken = models["broken"];
        Assert.That(broken.GetProperty("loaded").GetBoolean(), Is.False);
        Assert.That(broken.GetProperty("path").GetString(), Is.EqualTo("broken.xmr"));
        Assert.That(broken.GetProperty("lastError").GetString(), Is.Not.Empty.And.Not.Contain(host.Models));

        // The 503 for the model that never loaded quotes the same error, also without the folder.
        var notLoaded = await host.Client.PostAsync("/v1/xlinear/broken/predict",
            new StringContent("{\"rows\":[{\"indices\":[1],\"values\":[1]}]}", Encoding.UTF8, "application/json"));
        string problem = await notLoaded.Content.ReadAsStringAsync();
        Assert.That(notLoaded.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), problem);
        Assert.That(problem, Does.Not.Contain(host.Models));
    }
}
