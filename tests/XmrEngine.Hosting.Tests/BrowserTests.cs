using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenQA.Selenium;
using XmrEngine.Tests.Support;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// The page's three views in a real browser (Debian's headless Chromium through ChromeDriver) on a real <c>xmr serve</c>
/// process over the test models: each view shows exactly what the HTTP API answers for the same raw input, errors
/// included. One server and one browser serve every test; each test opens the page afresh.
/// </summary>
public sealed class BrowserTests
{
    private TempDir _dir = null!;
    private LiveServer _server = null!;
    private HttpClient _api = null!;
    private PageBrowser _page = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _page = PageBrowser.Start();
        _dir = new TempDir();
        ModelFolder.CopyTo(_dir.Path);
        _server = await LiveServer.StartAsync(_dir.Path);
        _api = new HttpClient { BaseAddress = _server.Address };
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _page?.Dispose();
        _api?.Dispose();
        if (_server is not null)
        {
            int code = _server.Terminate();
            string errors = _server.Errors;
            _server.Dispose();
            Assert.That(code, Is.EqualTo(0), "SIGTERM stops the server cleanly: " + errors);
        }
        _dir?.Dispose();
    }

    /// <summary>Loads the page from scratch (a fragment change alone would keep the old page) in one view.</summary>
    private void Open(string view)
    {
        _page.Browser.Navigate().GoToUrl("about:blank");
        _page.Browser.Navigate().GoToUrl(new Uri(_server.Address, "/#" + view));
    }

    [Test]
    public void EachViewOffersOnlyTheModelsOfItsKind()
    {
        Open("search");
        _page.Wait.Until(_ => _page.Options("model").Count > 0 && _page.Options("search-model").Count > 0 && _page.Options("predict-model").Count > 0);
        Assert.That(_page.Options("search-model"), Is.EqualTo(new[] { "shop" }));
        Assert.That(_page.Options("predict-model"), Is.EqualTo(new[] { "xr" }));
        Assert.That(_page.Options("model"), Is.EqualTo(new[] { "qac" }));
        Assert.That(_page.Find("view-search").Displayed, Is.True);
        Assert.That(_page.Find("view-autocomplete").Displayed, Is.False);
        _page.Find("tab-predict").Click();
        Assert.That(_page.Find("view-predict").Displayed, Is.True);
        Assert.That(_page.Find("view-search").Displayed, Is.False);
        Assert.That(_page.Find("tab-predict").GetAttribute("aria-selected"), Is.EqualTo("true"));
    }

    [Test]
    public async Task SearchShowsTheApisProductsForTheSameText()
    {
        Open("search");
        _page.Wait.Until(_ => _page.Options("search-model").Count > 0);
        var catalog = ModelFolder.Catalog;
        string[] texts = [catalog.Queries[0].Text, catalog.CategoryWords[1], catalog.Brand[5] + " " + catalog.CategoryWords[2]];
        foreach (string text in texts)
        {
            var expected = await ApiProducts(text);
            Assert.That(expected, Is.Not.Empty, $"the model finds products for '{text}'");
            var box = _page.Find("search-q");
            box.Clear();
            box.SendKeys(text + Keys.Enter);
            IReadOnlyList<(string Id, string Text, double Score)> shown = [];
            bool same = _page.Wait.Until(_ =>
            {
                shown = ShownRows("search-results", "id", "text");
                return _page.Find("search-results").GetAttribute("data-answers") == text && shown.SequenceEqual(expected);
            });
            Assert.That(same, Is.True, $"for '{text}' the page shows {string.Join(" | ", shown)}");
            Assert.That(_page.Find("search-error").Displayed, Is.False);
            Assert.That(_page.Find("search-status").Text, Does.StartWith($"{expected.Count} results"));
        }
        _page.Screenshot("page-search.png", "product search");

        // The server's refusal shows as its problem details say it, and no results stay from before.
        string detail = await ApiProblem(await _api.GetAsync("/v1/products/shop/search?q=%20%20&topK=10"));
        var input = _page.Find("search-q");
        input.Clear();
        input.SendKeys("  " + Keys.Enter);
        _page.Wait.Until(_ => _page.Find("search-error").Displayed);
        Assert.That(_page.Find("search-error").Text, Is.EqualTo("400 Invalid request: " + detail));
        Assert.That(_page.Find("search-results").Displayed, Is.False);
    }

    [Test]
    public async Task PredictShowsTheApisLabelsForTheSameRows()
    {
        Open("predict");
        _page.Wait.Until(_ => _page.Options("predict-model").Count > 0);
        string[] inputs = ["3:0.5 17:1.2 240:0.8", "240:0.8 3:0.5 17:1.2\n\n5:1 299:0.3 42:2e0\n", "7:-1.5"];
        foreach (string rows in inputs)
        {
            using var response = await ApiPredict(rows);
            Assert.That((int)response.StatusCode, Is.EqualTo(200), rows);
            var expected = await ApiLabels(response);
            Assert.That(expected, Is.Not.Empty);
            Type(rows);
            IReadOnlyList<(string Row, string Label, double Score)> shown = [];
            bool same = _page.Wait.Until(_ =>
            {
                shown = ShownRows("predict-results", "row", "label");
                return _page.Find("predict-results").GetAttribute("data-answers") == rows && shown.SequenceEqual(expected);
            });
            Assert.That(same, Is.True, $"for '{rows}' the page shows {string.Join(" | ", shown)}");
            Assert.That(_page.Find("predict-error").Displayed, Is.False);
            if (rows == inputs[1]) _page.Screenshot("page-predict.png", "XR-Linear prediction of two rows");
        }

        // Ids repeated or out of range are the model's to refuse: the page shows the server's words for them.
        foreach (string rows in new[] { "3:0.5 3:1", "1:1 300:1", "1:1\n2:1 99999999999:1" })
        {
            using var response = await ApiPredict(rows);
            Assert.That((int)response.StatusCode, Is.EqualTo(400), rows);
            string detail = await ApiProblem(response);
            Type(rows);
            _page.Wait.Until(_ => _page.Find("predict-results").GetAttribute("data-answers") == rows && _page.Find("predict-error").Displayed);
            Assert.That(_page.Find("predict-error").Text, Is.EqualTo("400 Invalid request: " + detail));
            Assert.That(_page.Find("predict-results").Displayed, Is.False);
        }

        // Only the page's own notation is checked in the page, and the error names the line and entry.
        Type("1:1\n3=0.5");
        _page.Wait.Until(_ => _page.Find("predict-results").GetAttribute("data-answers") == "1:1\n3=0.5");
        Assert.That(_page.Find("predict-error").Text, Is.EqualTo("line 2: '3=0.5' is not id:value (for example 17:0.5)."));
    }

    [Test]
    public async Task TypingShowsTheApisSuggestionsKeyByKeyAndTheKeyboardChoosesOne()
    {
        Open("autocomplete");
        var browser = _page.Browser;
        var wait = _page.Wait;
        wait.Until(b => b.FindElements(By.CssSelector("#model option")).Count > 0);
        Assert.That(_page.Find("model").GetAttribute("value"), Is.EqualTo("qac"));

        const string previous = "context3 alpha3", typed = "dtarg";
        _page.Find("prev").SendKeys(previous);
        var box = _page.Find("prefix");
        for (int n = 1; n <= typed.Length; n++)
        {
            box.SendKeys(typed[n - 1].ToString());
            string prefix = typed[..n];
            var expected = await ApiSuggestions(previous, prefix);
            Assert.That(expected, Is.Not.Empty, $"the model suggests something for '{prefix}'");
            // The page asks after a short debounce; wait until it shows this prefix's answer (two prefixes
            // can have the same suggestions, so the list must also say which prefix it answers).
            IReadOnlyList<(string, string)> shown = [];
            bool same = wait.Until(b =>
            {
                shown = Shown(b);
                return b.FindElement(By.Id("suggestions")).GetAttribute("data-answers") == prefix && shown.SequenceEqual(expected);
            });
            Assert.That(same, Is.True, $"after '{prefix}' the page shows {string.Join(" | ", shown)}");
            Assert.That(_page.Find("status").Text, Does.Contain("server").And.Contain("ms"));
        }

        _page.Screenshot("page-autocomplete.png", "the page with suggestions");

        var first = Shown(browser)[0].Text;
        box.SendKeys(Keys.ArrowDown);
        Assert.That(_page.Find("suggestion-0").GetAttribute("aria-selected"), Is.EqualTo("true"));
        // A reply for the same prefix that lands after the arrow key (a slow network) keeps the choice.
        string? before = _page.Find("suggestions").GetAttribute("data-answer");
        _page.Script("document.getElementById('prefix').dispatchEvent(new Event('input'));");
        wait.Until(b => b.FindElement(By.Id("suggestions")).GetAttribute("data-answer") != before);
        Assert.That(_page.Find("suggestion-0").GetAttribute("aria-selected"), Is.EqualTo("true"),
            "a late reply for the same prefix keeps the highlighted suggestion");
        box.SendKeys(Keys.Enter);
        Assert.That(box.GetAttribute("value"), Is.EqualTo(first));
        Assert.That(_page.Find("chosen").Text, Is.EqualTo("Searched: " + first));
        Assert.That(_page.Find("suggestions").Displayed, Is.False);
        // The searched query is the session's previous query now, and the old answer's status line is gone.
        Assert.That(_page.Find("prev").GetAttribute("value"), Is.EqualTo(first));
        Assert.That(_page.Find("status").Text, Is.Empty);

        // What is typed next is completed with the chosen query as the previous one.
        box.Clear();
        box.SendKeys("d");
        var next = await ApiSuggestions(first, "d");
        bool nextSame = wait.Until(b => b.FindElement(By.Id("suggestions")).GetAttribute("data-answers") == "d" && Shown(b).SequenceEqual(next));
        Assert.That(nextSame, Is.True);
    }

    [Test]
    public async Task AnAutoCompleteErrorShowsTheServersProblem()
    {
        Open("autocomplete");
        _page.Wait.Until(_ => _page.Options("model").Count > 0);
        string tooLong = new('a', 1001);
        string detail = await ApiProblem(await _api.GetAsync($"/v1/qac/qac/suggest?prefix={tooLong}&count=10"));
        _page.Script("const p = document.getElementById('prefix'); p.value = arguments[0]; p.dispatchEvent(new Event('input'));", tooLong);
        _page.Wait.Until(_ => _page.Find("status").Text.StartsWith("400", StringComparison.Ordinal));
        Assert.That(_page.Find("status").Text, Is.EqualTo("400 Invalid request: " + detail));
        Assert.That(_page.Find("suggestions").Displayed, Is.False);
    }

    private void Type(string rows)
    {
        var box = _page.Find("predict-rows");
        _page.Script("arguments[0].value = arguments[1];", box, rows);
        _page.Find("predict-form").FindElement(By.CssSelector("button[type=submit]")).Click();
    }

    /// <summary>A results table's rows (two cells and the exact score), read in one script call so a re-render cannot leave half-read elements.</summary>
    private IReadOnlyList<(string, string, double)> ShownRows(string table, string first, string second)
    {
        var rows = (IReadOnlyCollection<object>)_page.Script(
            $"return Array.from(document.querySelectorAll('#{table} tbody tr')).map(tr => [tr.dataset.{(first == "row" ? "row" : "id")} ?? '', tr.querySelector('td.{second}').textContent, tr.dataset.score]);")!;
        return rows.Select(r => (IReadOnlyList<object>)r)
            .Select(p => ((string)p[0], (string)p[1], double.Parse((string)p[2], CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>The shown suggestions, read in one script call so a re-render cannot leave half-read elements.</summary>
    private static IReadOnlyList<(string Text, string Source)> Shown(IWebDriver browser)
    {
        var items = (IReadOnlyCollection<object>)((IJavaScriptExecutor)browser).ExecuteScript(
            "return Array.from(document.querySelectorAll('#suggestions li')).map(li => [li.querySelector('.text').textContent, li.querySelector('.source').textContent]);")!;
        return items.Select(i => (IReadOnlyList<object>)i).Select(p => ((string)p[0], (string)p[1])).ToList();
    }

    private async Task<List<(string Text, string Source)>> ApiSuggestions(string previous, string prefix)
    {
        using var doc = JsonDocument.Parse(await _api.GetStringAsync(
            $"/v1/qac/qac/suggest?prefix={Uri.EscapeDataString(prefix)}&prev={Uri.EscapeDataString(previous)}&count=10"));
        return doc.RootElement.GetProperty("suggestions").EnumerateArray()
            .Select(s => (s.GetProperty("text").GetString()!, s.GetProperty("source").GetString()!)).ToList();
    }

    private async Task<List<(string Id, string Text, double Score)>> ApiProducts(string text)
    {
        using var doc = JsonDocument.Parse(await _api.GetStringAsync($"/v1/products/shop/search?q={Uri.EscapeDataString(text)}&topK=10"));
        return doc.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture), r.GetProperty("text").GetString()!, r.GetProperty("score").GetDouble()))
            .ToList();
    }

    /// <summary>The API's answer for rows written as the page's user writes them, sent as JSON built here independently of the page.</summary>
    private async Task<HttpResponseMessage> ApiPredict(string rows)
    {
        var body = new
        {
            rows = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
            {
                var entries = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split(':')).ToArray();
                return new { indices = entries.Select(e => long.Parse(e[0], CultureInfo.InvariantCulture)).ToArray(),
                             values = entries.Select(e => double.Parse(e[1], CultureInfo.InvariantCulture)).ToArray() };
            }).ToArray(),
            topK = 10,
        };
        return await _api.PostAsync("/v1/xlinear/xr/predict", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
    }

    /// <summary>(row number as the page shows it on a row's first label, else empty; label; score) for each label, rows in order.</summary>
    private static async Task<List<(string Row, string Label, double Score)>> ApiLabels(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var shown = new List<(string, string, double)>();
        int r = 0;
        foreach (var row in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            foreach (var l in row.EnumerateArray())
                shown.Add((r.ToString(CultureInfo.InvariantCulture), l.GetProperty("label").GetInt32().ToString(CultureInfo.InvariantCulture), l.GetProperty("score").GetDouble()));
            r++;
        }
        return shown;
    }

    private static async Task<string> ApiProblem(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400));
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return doc.RootElement.GetProperty("detail").GetString()!;
        }
    }
}
