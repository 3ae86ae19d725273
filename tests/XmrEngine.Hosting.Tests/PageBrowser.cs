using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// Debian's headless Chromium through ChromeDriver, for the page's tests: starts it (or ignores the test when it is not
/// installed, except in CI), waits, runs scripts, and saves screenshots.
/// </summary>
internal sealed class PageBrowser : IDisposable
{
    private const string Chromium = "/usr/bin/chromium", Driver = "/usr/bin/chromedriver";

    /// <summary>
    /// A folder to also write the page's screenshots into, for the documentation: set by hand
    /// (<c>XMR_PAGE_SCREENSHOTS=$PWD/docs dotnet test ... --filter Browser</c>), never in CI, so tests do not write into
    /// the repository.
    /// </summary>
    private static readonly string? ScreenshotFolder = Environment.GetEnvironmentVariable("XMR_PAGE_SCREENSHOTS");

    private PageBrowser(ChromeDriver driver)
    {
        Browser = driver;
        Wait = new WebDriverWait(driver, TimeSpan.FromSeconds(15));
    }

    public ChromeDriver Browser { get; }

    public WebDriverWait Wait { get; }

    /// <summary>Chromium, or an ignored test (a failed one in CI, which installs it).</summary>
    public static PageBrowser Start()
    {
        if (!File.Exists(Chromium) || !File.Exists(Driver))
        {
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"{Chromium} and {Driver} are required in CI.");
            Assert.Ignore($"needs Debian's chromium and chromium-driver ({Chromium}, {Driver}).");
        }
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=900,1000");
        return new PageBrowser(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)));
    }

    public IWebElement Find(string id) => Browser.FindElement(By.Id(id));

    public object? Script(string script, params object[] args) => ((IJavaScriptExecutor)Browser).ExecuteScript(script, args);

    /// <summary>The values of a list's options, in order.</summary>
    public IReadOnlyList<string> Options(string selectId) =>
        ((IReadOnlyCollection<object>)Script($"return Array.from(document.querySelectorAll('#{selectId} option')).map(o => o.value);")!)
            .Cast<string>().ToList();

    /// <summary>Saves the page as a test attachment and, when asked for by hand, into the documentation folder.</summary>
    public void Screenshot(string fileName, string description)
    {
        var shot = ((ITakesScreenshot)Browser).GetScreenshot();
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, fileName);
        shot.SaveAsFile(path);
        TestContext.AddTestAttachment(path, description);
        if (!string.IsNullOrEmpty(ScreenshotFolder)) shot.SaveAsFile(Path.Combine(ScreenshotFolder, fileName));
    }

    public void Dispose() => Browser.Dispose();
}
