using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sparse;

namespace XmrEngine.Fuzz;

/// <summary>
/// The readers under fuzzing and the contract each is held to: for any input bytes the reader returns an object
/// that passes the structure validation, or throws <see cref="XmrDataException"/> naming the file and field. Any
/// other exception escapes to the fuzzer as a crash; a hang is caught by the fuzzer's time limit.
/// </summary>
internal static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["npz"] = Npz,
        ["xmc"] = Xmc,
        ["model"] = Model,
    };

    /// <summary>A SciPy .npz archive, read as CSR and as CSC.</summary>
    private static void Npz(byte[] input)
    {
        Expect(() => Check(NpzFormat.ReadCsr(new MemoryStream(input), "fuzz.npz")));
        Expect(() => NpzFormat.ReadCsc(new MemoryStream(input), "fuzz.npz"));
    }

    /// <summary>An XMC repository text file (header, labels, feature:value pairs).</summary>
    private static void Xmc(byte[] input) =>
        Expect(() =>
        {
            var data = XmcTextFormat.Read(new MemoryStream(input), "fuzz.txt");
            Check(data.Features);
            Check(data.Labels);
        });

    /// <summary>Our model file, read into memory and opened memory-mapped (checksums verified, and skipped).</summary>
    private static void Model(byte[] input)
    {
        string path = Path.Combine(Path.GetTempPath(), $"xmr-fuzz-{Environment.ProcessId}.xmr");
        File.WriteAllBytes(path, input);
        try
        {
            Expect(() => XLinearModelFile.Load(path));
            Expect(() => XLinearModelFile.OpenMapped(path).Dispose());
            Expect(() =>
            {
                using var mapped = XLinearModelFile.OpenMapped(path, verifyChecksums: false);
                // The structure validation of the mapped levels must make any query safe, even with unverified pages.
                mapped.Predict([0], [1f]);
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Expect(Action read)
    {
        try
        {
            read();
        }
        catch (XmrDataException)
        {
            // The documented answer to a bad file.
        }
    }

    private static void Check(CsrMatrix m)
    {
        // A returned matrix must be valid: rebuilding it with validation must not throw.
        _ = new CsrMatrix(m.Rows, m.Cols, m.Pointers.ToArray(), m.Indices.ToArray(), m.Values.ToArray());
    }
}
