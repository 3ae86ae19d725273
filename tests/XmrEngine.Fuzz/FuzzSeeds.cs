using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Fuzz;

/// <summary>Small valid inputs for each target, made by the engine's own writers: the fuzzer mutates from these.</summary>
internal static class FuzzSeeds
{
    public static void Write(string target, string directory)
    {
        Directory.CreateDirectory(directory);
        var x = Matrix(6, 9, 3, seed: 1);
        var y = Matrix(6, 4, 1, seed: 2);
        switch (target)
        {
            case "npz":
                NpzFormat.Write(Path.Combine(directory, "stored.npz"), x, NpzCompression.None);
                NpzFormat.Write(Path.Combine(directory, "deflated.npz"), x, NpzCompression.Fastest);
                NpzFormat.Write(Path.Combine(directory, "csc.npz"), x.ToCsc(), compressed: false);
                break;
            case "xmc":
                XmcTextFormat.Write(Path.Combine(directory, "small.txt"), x, y);
                break;
            case "model":
                var model = XLinearTrainer.Train(x.NormalizeRows(), y, new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 2 } });
                XLinearModelFile.Save(Path.Combine(directory, "compiled.xmr"), model);
                XLinearModelFile.Save(Path.Combine(directory, "plain.xmr"), model, compiledLayout: false);
                break;
            default:
                throw new ArgumentException($"no seeds for target '{target}'");
        }
    }

    private static CsrMatrix Matrix(int rows, int cols, int perRow, int seed)
    {
        var rng = new Random(seed);
        var b = new CooBuilder(rows, cols);
        for (int r = 0; r < rows; r++)
            foreach (int c in Enumerable.Range(0, cols).OrderBy(_ => rng.Next()).Take(perRow))
                b.Add(r, c, (float)rng.NextDouble() + 0.1f);
        return b.ToCsr();
    }
}
