using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary><c>xmr spmm</c>: the product of two .npz files, written with the compression asked for.</summary>
public class SpmmCliTests
{
    [TestCase(null, NpzCompression.Fastest)]
    [TestCase("optimal", NpzCompression.Optimal)]
    [TestCase("none", NpzCompression.None)]
    public void TheProductIsWrittenSortedWithTheCompressionAskedFor(string? compression, NpzCompression expected)
    {
        using var dir = new TempDir();
        var a = RandomSparse.Csr(70, 90, 0.2, seed: 1);
        var b = RandomSparse.Csr(90, 130, 0.1, seed: 2);
        NpzFormat.Write(dir.File("a.npz"), a);
        NpzFormat.Write(dir.File("b.npz"), b);
        string[] args = ["spmm", "-a", dir.File("a.npz"), "-b", dir.File("b.npz"), "-o", dir.File("c.npz"), "--threads", "2"];
        var run = Xmr.Run(compression is null ? args : [.. args, "--compression", compression]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Does.Contain($"({expected.ToString().ToLowerInvariant()})"));
        var expectedProduct = ReferenceKernels.Instance.Multiply(a, b);
        var written = NpzFormat.ReadCsr(dir.File("c.npz"));
        Assert.That(written.Pointers.ToArray(), Is.EqualTo(expectedProduct.Pointers.ToArray()));
        Assert.That(written.Indices.ToArray(), Is.EqualTo(expectedProduct.Indices.ToArray()), "rows sorted by column");
        Assert.That(written.Values.ToArray(), Is.EqualTo(expectedProduct.Values.ToArray()).Within(1e-5f));
    }

    [Test]
    public void AnUnknownCompressionIsOneErrorLine()
    {
        using var dir = new TempDir();
        NpzFormat.Write(dir.File("a.npz"), RandomSparse.Csr(3, 3, 0.5, seed: 1));
        var run = Xmr.Run("spmm", "-a", dir.File("a.npz"), "-b", dir.File("a.npz"), "-o", dir.File("c.npz"), "--compression", "best");
        Xmr.AssertUserError(run, "--compression", "best");
    }
}
