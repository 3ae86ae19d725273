using System.IO.Compression;
using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Kernels;

/// <summary>
/// <see cref="ManagedKernels.MultiplyToNpz"/> streams the product into a stored .npz a slice of rows at a time; the file
/// must read back as the product does when held in memory and written by <see cref="NpzFormat"/>, whatever the slicing.
/// </summary>
public class NpzProductWriterTests
{
    [TestCase(1 << 20, 1)]
    [TestCase(1, 1)] // every row a slice of its own
    [TestCase(97, 2)] // slices cut between rows, several blocks per slice
    public void TheStreamedProductReadsBackAsTheReferenceProduct(int sliceEntries, int threads)
    {
        var a = RandomSparse.Csr(150, 80, 0.08, seed: 3); // with empty rows
        var b = RandomSparse.Csr(80, 130, 0.1, seed: 4);
        using var dir = new TempDir();
        long nnz = NpzProductWriter.Write(dir.File("c.npz"), a, b, threads, sliceEntries);
        var expected = ReferenceKernels.Instance.Multiply(a, b);
        var written = NpzFormat.ReadCsr(dir.File("c.npz")); // checks every member's CRC
        Assert.That(nnz, Is.EqualTo(expected.Nnz));
        Assert.That(written.Pointers.ToArray(), Is.EqualTo(expected.Pointers.ToArray()));
        Assert.That(written.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()), "rows sorted by column");
        Assert.That(written.Values.ToArray(), Is.EqualTo(expected.Values.ToArray()).Within(1e-5f));
        Assert.That(written.Values.ToArray(), Is.EqualTo(ManagedKernels.Instance.Multiply(a, b).Values.ToArray()), "the managed product, bit for bit");
    }

    [Test]
    public void TheMembersAreStoredInSaveNpzOrder()
    {
        using var dir = new TempDir();
        var a = RandomSparse.Csr(20, 30, 0.2, seed: 5);
        ManagedKernels.Instance.MultiplyToNpz(dir.File("c.npz"), a, RandomSparse.Csr(30, 25, 0.2, seed: 6));
        using var zip = ZipFile.OpenRead(dir.File("c.npz"));
        Assert.That(zip.Entries.Select(e => e.FullName), Is.EqualTo(new[] { "indices.npy", "indptr.npy", "format.npy", "shape.npy", "data.npy" }));
        Assert.That(zip.Entries.All(e => e.CompressedLength == e.Length), "stored, not deflated");
    }

    [TestCase(0, 5, 0)]
    [TestCase(4, 0, 3)]
    [TestCase(3, 5, 0)]
    public void EmptyProductsAreWritten(int rows, int inner, int cols)
    {
        using var dir = new TempDir();
        var a = CsrMatrix.Empty(rows, inner);
        var b = CsrMatrix.Empty(inner, cols);
        Assert.That(ManagedKernels.Instance.MultiplyToNpz(dir.File("c.npz"), a, b), Is.Zero);
        var written = NpzFormat.ReadCsr(dir.File("c.npz"));
        Assert.That((written.Rows, written.Cols, written.Nnz), Is.EqualTo((rows, cols, 0L)));
    }

    [Test]
    public void MismatchedShapesAreRefusedBeforeAFileIsWritten()
    {
        using var dir = new TempDir();
        Assert.Throws<ArgumentException>(() => ManagedKernels.Instance.MultiplyToNpz(dir.File("c.npz"), CsrMatrix.Empty(2, 3), CsrMatrix.Empty(4, 2)));
        Assert.That(Directory.GetFiles(dir.Path), Is.Empty);
    }
}
