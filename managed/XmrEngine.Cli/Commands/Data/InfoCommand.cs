using System.CommandLine;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Spectre.Console;
using XmrEngine.Kernels;

namespace XmrEngine.Cli.Commands.Data;

/// <summary><c>xmr info</c>: version, SIMD instruction sets, cores and kernel backends.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the version, SIMD instruction sets in use, core count and which kernel backends are available.");
        command.SetAction(_ =>
        {
            var version = typeof(SparseKernels).Assembly.GetName().Version?.ToString(3) ?? "?";
            var table = new Table().AddColumn("property").AddColumn("value");
            table.AddRow("version", version);
            table.AddRow("runtime", Markup.Escape(RuntimeInformation.FrameworkDescription));
            table.AddRow("os / arch", Markup.Escape($"{RuntimeInformation.OSDescription} / {RuntimeInformation.ProcessArchitecture}"));
            table.AddRow("cores", Environment.ProcessorCount.ToString());
            table.AddRow("SIMD in use", Markup.Escape(ManagedKernels.SimdDescription));
            table.AddRow("SIMD width per kernel", Markup.Escape(SimdWidths()));
            table.AddRow("CPU features", Markup.Escape(CpuFeatures()));
            foreach (var backend in Enum.GetValues<KernelBackend>())
            {
                if (backend == KernelBackend.Auto) continue;
                bool ok = KernelRegistry.IsAvailable(backend, out var why);
                table.AddRow($"backend {backend.ToString().ToLowerInvariant()}", ok ? $"[green]available[/] ({Markup.Escape(KernelRegistry.Get(backend).Name)})" : $"[red]unavailable[/]: {Markup.Escape(why)}");
                if (ok) table.AddRow($"  {backend.ToString().ToLowerInvariant()} delegates", Markup.Escape(Delegations(KernelRegistry.Get(backend))));
            }
            string auto;
            try
            {
                auto = KernelRegistry.Get(KernelBackend.Auto).Name;
            }
            catch (Exception ex) when (ex is ArgumentException or KernelUnavailableException)
            {
                // info is where a user checks the setup: show the bad XMR_BACKEND instead of failing.
                auto = $"error: {ex.Message}";
            }
            table.AddRow("backend auto picks", Markup.Escape(auto));
            CliConsole.Out.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Which vector width each managed SIMD kernel runs at, the widths this CPU offers, and how to choose
    /// (<c>XMR_SIMD</c>); a bad <c>XMR_SIMD</c> is shown here rather than failing.
    /// </summary>
    private static string SimdWidths()
    {
        int bits = (int)SimdSelection.Current;
        string width = bits == 0 ? "scalar" : $"{bits}-bit";
        string text = $"gather-dot (serving, MAN mining) {width}; solver row dot {width}; axpy (chunk scoring) {width}; " +
                      $"SpGEMM and masked product scalar loops; available: {string.Join(", ", SimdSelection.Available.Select(w => w.ToName()))} (XMR_SIMD)";
        return SimdSelection.EnvironmentError is { } error ? $"{text}; error: {error}" : text;
    }

    /// <summary>The operations <paramref name="kernels"/> hands to another backend, with the reason; "nothing" when it runs all of them.</summary>
    private static string Delegations(SparseKernels kernels)
    {
        var rows = new List<string>();
        foreach (var op in Enum.GetValues<KernelOperation>())
        {
            var runsOn = kernels.RunsOn(op);
            if (runsOn != kernels.Backend)
                rows.Add($"{op} -> {runsOn.ToString().ToLowerInvariant()} ({kernels.DelegationReason(op)})");
        }
        return rows.Count == 0 ? "nothing (runs every operation itself)" : string.Join("; ", rows);
    }

    private static string CpuFeatures()
    {
        var f = new List<string>();
        if (Sse42.IsSupported) f.Add("SSE4.2");
        if (Avx.IsSupported) f.Add("AVX");
        if (Avx2.IsSupported) f.Add("AVX2");
        if (Fma.IsSupported) f.Add("FMA");
        if (Avx512F.IsSupported) f.Add("AVX-512F");
        if (System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported) f.Add("AdvSIMD");
        return f.Count == 0 ? "none" : string.Join(", ", f);
    }
}
