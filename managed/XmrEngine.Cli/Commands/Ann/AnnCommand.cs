using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using XmrEngine.Ann;
using XmrEngine.IO;
using XmrEngine.Sparse;

namespace XmrEngine.Cli.Commands.Ann;

/// <summary>
/// <c>xmr ann build -i VECTORS.npy -o INDEX</c> and <c>xmr ann search -m INDEX -q QUERIES.npy -k K -o OUT.npz</c>: the
/// approximate nearest-neighbour index (<see cref="HnswIndex"/>) over dense vectors, one row a vector. The search
/// writes, per query row, its k hits as a sparse row: the vector ids as columns, the similarities as values.
/// </summary>
internal static class AnnCommand
{
    public static Command Create() => new("ann", "Approximate nearest-neighbour index over dense vectors (HNSW): build, search.") { Build(), Search() };

    private static Command Build()
    {
        var input = new Option<string>("--input", "-i") { Description = "Vectors: a 2-D .npy (rows x dimension, float32 or float64).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The index file to write.", Required = true };
        var m = new Option<int>("--m") { Description = "Neighbours per node on the upper levels (the bottom keeps twice as many).", DefaultValueFactory = _ => new HnswOptions().M };
        var ef = new Option<int>("--ef-construction") { Description = "Candidates examined per insertion.", DefaultValueFactory = _ => new HnswOptions().EfConstruction };
        var efSearch = new Option<int>("--ef-search") { Description = "Default candidates per search, stored with the index.", DefaultValueFactory = _ => new HnswOptions().EfSearch };
        var metric = new Option<string>("--metric") { Description = "cosine | ip (inner product).", DefaultValueFactory = _ => "cosine" };
        var seed = new Option<int>("--seed") { Description = "Seed of the level draws.", DefaultValueFactory = _ => 0 };
        var command = new Command("build", "Build an index from the rows of a .npy matrix (ids = row numbers).") { input, output, m, ef, efSearch, metric, seed };
        command.SetAction(result =>
        {
            string inPath = result.GetRequiredValue(input), outPath = result.GetRequiredValue(output);
            OutputPaths.CheckFile(("-o", outPath), ("-i", inPath));
            var options = new HnswOptions
            {
                M = result.GetValue(m),
                EfConstruction = result.GetValue(ef),
                EfSearch = result.GetValue(efSearch),
                Metric = ParseMetric(result.GetValue(metric)!),
                Seed = result.GetValue(seed),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentException($"--{Flag(e.ParamName)}: {e.Message.Split(" (Parameter")[0]}", e);
            }
            var (vectors, rows, dimension) = ReadVectors(inPath);
            var clock = Stopwatch.StartNew();
            var index = HnswIndex.Build(vectors, dimension, options);
            double seconds = clock.Elapsed.TotalSeconds;
            index.Save(outPath);
            CliConsole.OutWriter.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"built {outPath}: {rows:N0} vectors of {dimension}, {options.Metric.ToString().ToLowerInvariant()}, M {options.M}, ef {options.EfConstruction}, in {seconds:F2} s; {new FileInfo(outPath).Length / 1e6:F1} MB"));
            return 0;
        });
        return command;
    }

    private static Command Search()
    {
        var model = new Option<string>("--model", "-m") { Description = "The index file (xmr ann build).", Required = true };
        var queries = new Option<string>("--queries", "-q") { Description = "Query vectors: a 2-D .npy with the index's dimension.", Required = true };
        var k = new Option<int>("-k") { Description = "Hits per query.", DefaultValueFactory = _ => 10 };
        var ef = new Option<int>("--ef") { Description = "Candidates examined per query (0: the index's default; at least k).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--output", "-o") { Description = "Hits as a sparse .npz: a row per query, the vector ids as columns, the similarities as values.", Required = true };
        var threads = CommonOptions.Threads();
        var command = new Command("search", "Search an index with the rows of a .npy matrix; writes the hits as a sparse .npz.") { model, queries, k, ef, output, threads };
        command.SetAction(result =>
        {
            string indexPath = result.GetRequiredValue(model), queryPath = result.GetRequiredValue(queries), outPath = result.GetRequiredValue(output);
            OutputPaths.CheckFile(("-o", outPath), ("-m", indexPath), ("-q", queryPath));
            int top = result.GetValue(k), beam = result.GetValue(ef);
            if (top < 1) throw new ArgumentException($"-k must be at least 1; got {top}.");
            if (beam < 0) throw new ArgumentException($"--ef must be 0 or more; got {beam}.");
            var index = HnswIndex.Load(indexPath);
            var (vectors, rows, dimension) = ReadVectors(queryPath);
            if (dimension != index.Dimension)
                throw new XmrDataException(queryPath, null, null, "shape", $"queries have {dimension} columns; the index {indexPath} holds {index.Dimension}-dimensional vectors");
            var hits = new AnnHit[rows][];
            var clock = Stopwatch.StartNew();
            Parallel.For(0, rows, new ParallelOptions { MaxDegreeOfParallelism = CommonOptions.ThreadCount(result, threads) is > 0 and var t ? t : -1 },
                r => hits[r] = index.Search(vectors.AsSpan(r * dimension, dimension), top, beam));
            double seconds = clock.Elapsed.TotalSeconds;
            NpzFormat.Write(outPath, ToCsr(hits, index.Count));
            CliConsole.OutWriter.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"searched {rows:N0} queries, k {top}, in {seconds:F3} s ({rows / Math.Max(seconds, 1e-9):F0} queries/s); wrote {outPath}"));
            return 0;
        });
        return command;
    }

    private static AnnMetric ParseMetric(string name) => name.ToLowerInvariant() switch
    {
        "cosine" => AnnMetric.Cosine,
        "ip" or "inner-product" => AnnMetric.InnerProduct,
        _ => throw new ArgumentException($"--metric must be cosine or ip; got '{name}'."),
    };

    private static string Flag(string? option) => option switch
    {
        nameof(HnswOptions.M) => "m",
        nameof(HnswOptions.EfConstruction) => "ef-construction",
        nameof(HnswOptions.EfSearch) => "ef-search",
        _ => "metric",
    };

    /// <summary>A .npy matrix as row-major floats (the reader refuses NaN and infinities, naming the element).</summary>
    private static (float[] Vectors, int Rows, int Dimension) ReadVectors(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        var matrix = NpyFormat.ReadMatrix(path);
        int rows = matrix.GetLength(0), dimension = matrix.GetLength(1);
        if (dimension < 1) throw new XmrDataException(path, null, null, "shape", $"({rows}, {dimension}): vectors need at least one column");
        if (rows == 0) return ([], 0, dimension);
        return (MemoryMarshal.CreateReadOnlySpan(ref matrix[0, 0], rows * dimension).ToArray(), rows, dimension);
    }

    private static CsrMatrix ToCsr(AnnHit[][] hits, int columns)
    {
        var pointers = new long[hits.Length + 1];
        for (int r = 0; r < hits.Length; r++) pointers[r + 1] = pointers[r] + hits[r].Length;
        var ids = new int[pointers[^1]];
        var values = new float[pointers[^1]];
        for (int r = 0; r < hits.Length; r++)
        {
            // Sparse rows are sorted by column; the similarity order is in the values.
            var row = hits[r].OrderBy(h => h.Id).ToArray();
            for (int i = 0; i < row.Length; i++)
            {
                ids[pointers[r] + i] = row[i].Id;
                values[pointers[r] + i] = row[i].Similarity;
            }
        }
        return new CsrMatrix(hits.Length, columns, pointers, ids, values);
    }
}
