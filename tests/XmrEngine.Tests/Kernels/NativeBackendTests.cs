using XmrEngine.Kernels;

namespace XmrEngine.Tests.Kernels;

/// <summary>Loading of libxmr_native: the build must produce it wherever the tools to build it exist.</summary>
public sealed class NativeBackendTests
{
    [Test]
    public void NativeBackend_IsAvailable_WhenCmakeIsOnPath()
    {
        if (!IsOnPath("cmake")) Assert.Ignore("cmake is not on PATH, so the build skipped the native library.");
        Assert.That(KernelRegistry.IsAvailable(KernelBackend.Native, out var reason), Is.True, reason);
        Assert.That(KernelRegistry.Get(KernelBackend.Native).Backend, Is.EqualTo(KernelBackend.Native));
    }

    [Test]
    public void TryLoad_CachesItsOutcome()
    {
        bool first = NativeBackendProvider.TryLoad(out var firstReason);
        bool second = NativeBackendProvider.TryLoad(out var secondReason);
        Assert.That((second, secondReason), Is.EqualTo((first, firstReason)));
        Assert.That(firstReason, first ? Is.Empty : Is.Not.Empty);
    }

    [Test]
    public void Get_WhenUnavailable_ThrowsKernelUnavailable_OtherwiseReturnsNative()
    {
        if (NativeBackendProvider.TryLoad(out _))
            Assert.That(NativeBackendProvider.Get().Backend, Is.EqualTo(KernelBackend.Native));
        else
            Assert.That(() => NativeBackendProvider.Get(), Throws.InstanceOf<KernelUnavailableException>());
    }

    [Test]
    public void Auto_StaysManaged()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(KernelRegistry.EnvironmentVariable)))
            Assert.Ignore($"{KernelRegistry.EnvironmentVariable} overrides Auto in this environment.");
        Assert.That(KernelRegistry.Get(KernelBackend.Auto).Backend, Is.EqualTo(KernelBackend.Managed));
    }

    private static bool IsOnPath(string tool)
    {
        var names = OperatingSystem.IsWindows() ? new[] { tool + ".exe", tool + ".cmd", tool + ".bat" } : [tool];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in names)
                if (File.Exists(Path.Combine(dir, name))) return true;
        return false;
    }
}
