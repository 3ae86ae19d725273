using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
namespace XmrEngine.Tests.Support;

/// <summary>A real <c>xmr serve</c> child process on a free loopback port, stopped with SIGTERM on dispose.</summary>
public sealed class LiveServer : IDisposable
{
    private readonly Process _process;
    private readonly StringWriterLog _stdout = new(), _stderr = new();

    private LiveServer(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => _stdout.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _stderr.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>The server's process id (to sample its memory, as a load test does).</summary>
    public int ProcessId => _process.Id;

    public string Output => _stdout.Text;

    public string Errors => _stderr.Text;

    /// <summary>
    /// Starts <c>xmr serve --models <paramref name="models"/></c> (a real Kestrel server, as a user runs it) and waits
    /// (at most a minute) until <c>/readyz</c> answers 200: every model in the folder has loaded.
    /// </summary>
    public static Task<LiveServer> StartAsync(string models) => StartAsync(models, []);

    /// <summary>
    /// As <see cref="StartAsync(string)"/> with more flags; <paramref name="host"/> is the address to listen on (the
    /// server is reached on 127.0.0.1 whatever it is), and <paramref name="https"/> listens with TLS (the flags must
    /// give the certificate; readiness is checked without validating it).
    /// </summary>
    public static async Task<LiveServer> StartAsync(string models, IEnumerable<string> flags, bool https = false, string host = "127.0.0.1")
    {
        int port = FreePort();
        string scheme = https ? "https" : "http";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { XmrCli.Dll(), "serve", "--models", models, "--urls", $"{scheme}://{host}:{port}", "--poll-seconds", "1" }.Concat(flags))
            info.ArgumentList.Add(a);
        var server = new LiveServer(Process.Start(info)!, new Uri($"{scheme}://127.0.0.1:{port}"));
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !server._process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        server.Dispose();
        throw new AssertionException($"xmr serve did not become ready within a minute; stderr:\n{server.Errors}");
    }

    /// <summary>Sends SIGTERM and returns the exit code (the process is killed if it has not exited in 30 s).</summary>
    public int Terminate()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _process.Kill(entireProcessTree: true);
            throw new AssertionException("xmr serve did not exit within 30 s of SIGTERM");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class StringWriterLog
    {
        private readonly System.Text.StringBuilder _text = new();

        public void Add(string? line)
        {
            if (line is null) return;
            lock (_text) _text.AppendLine(line);
        }

        public string Text
        {
            get
            {
                lock (_text) return _text.ToString();
            }
        }
    }
}
