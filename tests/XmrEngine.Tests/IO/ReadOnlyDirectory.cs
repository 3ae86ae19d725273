using System.Diagnostics;

namespace XmrEngine.Tests.IO;

/// <summary>
/// Makes a directory refuse new entries until disposed: by file mode for an ordinary user, and with the immutable
/// attribute (<c>chattr +i</c>, which root obeys too) when the tests run as root, as on CI. Ignores the test, saying
/// why, when neither can be had (Windows; root on a file system without the attribute).
/// </summary>
internal sealed class ReadOnlyDirectory : IDisposable
{
    private readonly string _path;
    private readonly bool _immutable;

    private ReadOnlyDirectory(string path, bool immutable) => (_path, _immutable) = (path, immutable);

    public static ReadOnlyDirectory Lock(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("needs Unix file permissions");
            return null!;
        }
        if (Environment.UserName != "root")
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            return new ReadOnlyDirectory(path, immutable: false);
        }
        var (exit, error) = Chattr("+i", path);
        if (exit != 0) Assert.Ignore($"running as root, where only the immutable attribute locks a directory, and chattr +i failed here: {error}");
        return new ReadOnlyDirectory(path, immutable: true);
    }

    public void Dispose()
    {
        if (_immutable) Chattr("-i", _path);
        else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static (int Exit, string Error) Chattr(string flag, string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true, UseShellExecute = false })!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error.Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"chattr cannot be started ({e.Message}); it is in Debian's e2fsprogs");
        }
    }
}
