using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using XmrEngine.Tests.Support;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// The auto-complete page in a real browser (Debian's headless Chromium through ChromeDriver) on a real
/// <c>xmr serve</c> process: typing shows, key by key, exactly the suggestions the API gives.
/// </summary>
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium", Driver = "/usr/bin/chromedriver";

    [Test]
    public async Task TypingShowsTheApisSuggestionsKeyByKeyAndTheKeyboardChoosesOne()
    {
        if (!File.Exists(Chromium) || !File.Exists(Driver))
        {
            // CI installs both (.ci/run); elsewhere the test says what it needs.
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"{Chromium} and {Driver} are required in CI.");
            Assert.Ignore($"needs Debian's chromium and chromium-driver ({Chromium}, {Driver}).");
        }
        using var dir = new TempDir();
        ModelFolder.CopyTo(dir.Path);
        using var server = await LiveServer.StartAsync(dir.Path);
        using var api = new HttpClient { BaseAddress = server.Address };

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=900,760");
        using var browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(15));
        browser.Navigate().GoToUrl(server.Address);
        wait.Until(b => b.FindElements(By.CssSelector("#model option")).Count > 0);
        Assert.That(browser.FindElement(By.Id("model")).GetAttribute("value"), Is.EqualTo("qac"));

        const string previous = "context3 alpha3", typed = "dtarg";
        browser.FindElement(By.Id("prev")).SendKeys(previous);
        var box = browser.FindElement(By.Id("prefix"));
        for (int n = 1; n <= typed.Length; n++)
        {
            box.SendKeys(typed[n - 1].ToString());
            string prefix = typed[..n];
            var expected = await ApiSuggestions(api, previous, prefix);
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
            Assert.That(browser.FindElement(By.Id("status")).Text, Does.Contain("server").And.Contain("ms"));
        }

        string screenshotPath = Path.Combine(TestContext.CurrentContext.WorkDirectory, "autocomplete-page.png");
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(screenshotPath);
        TestContext.AddTestAttachment(screenshotPath, "the page with suggestions");

        var first = Shown(browser)[0].Text;
        box.SendKeys(Keys.ArrowDown);
        Assert.That(browser.FindElement(By.Id("suggestion-0")).GetAttribute("aria-selected"), Is.EqualTo("true"));
        // A reply for the same prefix that lands after the arrow key (a slow network) keeps the choice.
        string? before = browser.FindElement(By.Id("suggestions")).GetAttribute("data-answer");
        ((IJavaScriptExecutor)browser).ExecuteScript("document.getElementById('prefix').dispatchEvent(new Event('input'));");
        wait.Until(b => b.FindElement(By.Id("suggestions")).GetAttribute("data-answer") != before);
        Assert.That(browser.FindElement(By.Id("suggestion-0")).GetAttribute("aria-selected"), Is.EqualTo("true"),
            "a late reply for the same prefix keeps the highlighted suggestion");
        box.SendKeys(Keys.Enter);
        Assert.That(box.GetAttribute("value"), Is.EqualTo(first));
        Assert.That(browser.FindElement(By.Id("chosen")).Text, Is.EqualTo("Searched: " + first));
        Assert.That(browser.FindElement(By.Id("suggestions")).Displayed, Is.False);

        Assert.That(server.Terminate(), Is.EqualTo(0), "SIGTERM stops the server cleanly: " + server.Errors);
    }

    /// <summary>The shown suggestions, read in one script call so a re-render cannot leave half-read elements.</summary>
    private static IReadOnlyList<(string Text, string Source)> Shown(IWebDriver browser)
    {
        var items = (IReadOnlyCollection<object>)((IJavaScriptExecutor)browser).ExecuteScript(
            "return Array.from(document.querySelectorAll('#suggestions li')).map(li => [li.querySelector('.text').textContent, li.querySelector('.source').textContent]);")!;
        return items.Select(i => (IReadOnlyList<object>)i).Select(p => ((string)p[0], (string)p[1])).ToList();
    }

    private static async Task<List<(string Text, string Source)>> ApiSuggestions(HttpClient api, string previous, string prefix)
    {
        using var doc = JsonDocument.Parse(await api.GetStringAsync(
            $"/v1/qac/qac/suggest?prefix={Uri.EscapeDataString(prefix)}&prev={Uri.EscapeDataString(previous)}&count=10"));
        return doc.RootElement.GetProperty("suggestions").EnumerateArray()
            .Select(s => (s.GetProperty("text").GetString()!, s.GetProperty("source").GetString()!)).ToList();
    }
}
