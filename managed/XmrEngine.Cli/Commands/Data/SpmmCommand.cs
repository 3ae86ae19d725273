using System.CommandLine;
using XmrEngine.IO;
using XmrEngine.Kernels;

namespace XmrEngine.Cli.Commands.Data;

/// <summary><c>xmr spmm -a A.npz -b B.npz -o C.npz</c>: the sparse product, for checking against other tools.</summary>
internal static class SpmmCommand
{
    public static Command Create()
    {
        var a = new Option<string>("-a") { Description = "Left matrix (.npz, csr or csc).", Required = true };
        var b = new Option<string>("-b") { Description = "Right matrix (.npz, csr or csc).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Product C = A B (.npz, csr).", Required = true };
        var stored = new Option<bool>("--no-compress") { Description = "Write the output uncompressed (stored); the same as --compression none." };
        var compression = new Option<string>("--compression")
        {
            Description = "How the output's members are stored: fastest (deflate at zlib's fastest level), optimal (save_npz's default level, ~3x slower to write, a few % smaller) or none.",
            DefaultValueFactory = _ => "fastest",
        };
        var backend = CommonOptions.Backend();
        var threads = CommonOptions.Threads();
        var command = new Command("spmm", "Multiply two sparse matrices stored as SciPy .npz files.") { a, b, output, backend, threads, compression, stored };
        command.SetAction(result =>
        {
            OutputPaths.CheckFile(("-o", result.GetRequiredValue(output)), ("-a", result.GetValue(a)), ("-b", result.GetValue(b)));
            var level = result.GetValue(stored) ? NpzCompression.None : result.GetValue(compression) switch
            {
                "fastest" => NpzCompression.Fastest,
                "optimal" => NpzCompression.Optimal,
                "none" => NpzCompression.None,
                var other => throw new ArgumentException($"--compression must be fastest, optimal or none; got '{other}'."),
            };
            var kernels = CommonOptions.Kernels(result, backend);
            int t = CommonOptions.ThreadCount(result, threads);
            var start = StageCounters.Now();
            var left = NpzFormat.ReadCsr(result.GetRequiredValue(a));
            var right = NpzFormat.ReadCsr(result.GetRequiredValue(b));
            var read = StageCounters.Since(start);
            string summary;
            string stages;
            if (level == NpzCompression.None && kernels.Backend == KernelBackend.Managed)
            {
                // Stored output on the managed kernels: the product goes straight to the file a slice of rows at a time
                // and is never held in memory (half the fresh pages of a cold process: see ManagedKernels.MultiplyToNpz).
                start = StageCounters.Now();
                long nnz = ManagedKernels.Instance.MultiplyToNpz(result.GetRequiredValue(output), left, right, t);
                var both = StageCounters.Since(start);
                summary = $"{left.Rows}x{right.Cols} ({nnz:N0} nnz); read {read.WallMs:F0} ms, multiply and write {both.WallMs:F0} ms [{kernels.Name}, streamed] (none)";
                stages = $"{read.Describe("read")}; {both.Describe("multiply and write")}";
            }
            else
            {
                start = StageCounters.Now();
                var c = kernels.Multiply(left, right, t);
                var mul = StageCounters.Since(start);
                start = StageCounters.Now();
                NpzFormat.Write(result.GetRequiredValue(output), c, level);
                var write = StageCounters.Since(start);
                summary = $"{c.Rows}x{c.Cols} ({c.Nnz:N0} nnz); read {read.WallMs:F0} ms, multiply {mul.WallMs:F0} ms [{kernels.Name}], " +
                          $"write {write.WallMs:F0} ms ({level.ToString().ToLowerInvariant()})";
                stages = $"{read.Describe("read")}; {mul.Describe("multiply")}; {write.Describe("write")}";
            }
            CliConsole.OutWriter.WriteLine($"{left.Rows}x{left.Cols} ({left.Nnz:N0} nnz) x {right.Rows}x{right.Cols} ({right.Nnz:N0} nnz) = {summary}");
            // Where a cold process spends each stage: its own CPU (user and kernel), JIT, and the fresh pages it faults in.
            CliConsole.ErrWriter.WriteLine($"spmm stages: {stages}");
            return 0;
        });
        return command;
    }
}
