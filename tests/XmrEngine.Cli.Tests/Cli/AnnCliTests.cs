using XmrEngine.Ann;
using XmrEngine.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// <c>xmr ann build</c> and <c>xmr ann search</c> through the front door: raw .npy vectors in, a sparse .npz of hits out,
/// the same hits as the library gives for the same file; bad inputs are refused naming the file and field.
/// </summary>
public class AnnCliTests
{
    private static float[,] Vectors(int rows, int dim, int seed)
    {
        var rng = new Random(seed);
        var m = new float[rows, dim];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < dim; j++) m[r, j] = (float)(rng.NextDouble() * 2 - 1) + (r % 7) * 0.5f * (j == r % dim ? 1 : 0);
        return m;
    }

    [Test]
    public void BuildThenSearch_GivesTheLibrarysHits_AsASparseMatrix()
    {
        using var dir = new TempDir();
        string vectors = dir.File("vectors.npy"), queries = dir.File("queries.npy"), index = dir.File("vectors.ann"), hits = dir.File("hits.npz");
        var data = Vectors(600, 20, seed: 1);
        var query = Vectors(30, 20, seed: 2);
        NpyFormat.Write(vectors, data);
        NpyFormat.Write(queries, query);

        var (exit, output) = XmrCli.Run("ann", "build", "-i", vectors, "-o", index, "--m", "8", "--ef-construction", "80", "--seed", "3");
        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("600 vectors of 20"));
        (exit, output) = XmrCli.Run("ann", "search", "-m", index, "-q", queries, "-k", "5", "--ef", "40", "-o", hits);
        Assert.That(exit, Is.EqualTo(0), output);

        var found = NpzFormat.ReadCsr(hits);
        Assert.That(found.Rows, Is.EqualTo(30));
        Assert.That(found.Cols, Is.EqualTo(600));
        var flat = new float[600 * 20];
        Buffer.BlockCopy(data, 0, flat, 0, flat.Length * sizeof(float));
        var library = HnswIndex.Build(flat, 20, new HnswOptions { M = 8, EfConstruction = 80, Seed = 3 });
        for (int q = 0; q < 30; q++)
        {
            var row = new float[20];
            for (int j = 0; j < 20; j++) row[j] = query[q, j];
            var expected = library.Search(row, 5, 40).OrderBy(h => h.Id).ToArray();
            Assert.That(found.Row(q).Indices.ToArray(), Is.EqualTo(expected.Select(h => h.Id).ToArray()), $"query {q}");
            Assert.That(found.Row(q).Values.ToArray(), Is.EqualTo(expected.Select(h => h.Similarity).ToArray()), $"query {q}");
        }
    }

    [Test]
    public void BadInputs_AreRefusedByName()
    {
        using var dir = new TempDir();
        string vectors = dir.File("vectors.npy"), index = dir.File("v.ann");
        NpyFormat.Write(vectors, Vectors(50, 8, seed: 1));
        Assert.That(XmrCli.Run("ann", "build", "-i", vectors, "-o", index).Exit, Is.EqualTo(0));

        NpyFormat.Write(dir.File("wide.npy"), Vectors(3, 9, seed: 2));
        var (exit, output) = XmrCli.Run("ann", "search", "-m", index, "-q", dir.File("wide.npy"), "-o", dir.File("h.npz"));
        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(output, Does.Contain("wide.npy").And.Contain("9 columns").And.Contain("8-dimensional"));

        var nan = Vectors(3, 8, seed: 3);
        nan[1, 4] = float.NaN;
        NpyFormat.Write(dir.File("nan.npy"), nan);
        (exit, output) = XmrCli.Run("ann", "build", "-i", dir.File("nan.npy"), "-o", dir.File("nan.ann"));
        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(output, Does.Contain("nan.npy").And.Contain("element 12").And.Contain("NaN"));
        Assert.That(File.Exists(dir.File("nan.ann")), Is.False, "nothing written");

        File.WriteAllBytes(dir.File("cut.ann"), File.ReadAllBytes(index)[..100]);
        (exit, output) = XmrCli.Run("ann", "search", "-m", dir.File("cut.ann"), "-q", vectors, "-o", dir.File("h.npz"));
        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(output, Does.Contain("cut.ann").And.Contain("truncated"));

        (exit, output) = XmrCli.Run("ann", "build", "-i", vectors, "-o", dir.File("x.ann"), "--metric", "l1");
        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(output, Does.Contain("--metric"));
        (exit, output) = XmrCli.Run("ann", "build", "-i", vectors, "-o", dir.File("x.ann"), "--m", "1");
        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(output, Does.Contain("--m"));
        (exit, output) = XmrCli.Run("ann", "search", "-m", index, "-q", vectors, "-o", dir.File("h.npz"), "-k", "0");
        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(output, Does.Contain("-k"));
    }
}
