using XmrEngine.Ann;
using XmrEngine.IO;
using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Tests.Support;
using static XmrEngine.Fuzz.FuzzContract;

namespace XmrEngine.Fuzz.Targets;

/// <summary>The XR-Linear model readers: our model file read into memory or opened memory-mapped, and PECOS directories.</summary>
internal static class ModelFileTargets
{
    /// <summary>Our model file (one tree or an ensemble) read into memory; every tree must then serve a query.</summary>
    public static readonly FuzzTarget Model = new("model", input =>
        FuzzScratch.WithFile("model.xmr", input, path => Expect(() =>
        {
            using var predictor = new XLinearPredictor(XLinearModelFile.LoadEnsemble(path, out _));
            Query(predictor);
        })), WriteModelSeeds);

    /// <summary>
    /// Our model file opened memory-mapped, with checksums verified and skipped; without checksums the structure
    /// validation of the mapped levels alone must make a query safe on whatever bytes the pages hold.
    /// </summary>
    public static readonly FuzzTarget Mapped = new("mapped", input =>
        FuzzScratch.WithFile("mapped.xmr", input, path =>
        {
            Expect(() =>
            {
                using var verified = XLinearModelFile.OpenMapped(path);
                Query(verified);
            });
            Expect(() =>
            {
                using var unverified = XLinearModelFile.OpenMapped(path, verifyChecksums: false);
                Query(unverified);
            });
        }), WriteModelSeeds);

    private static readonly ModelDirectoryFuzz PecosDirectory = new("pecos",
        dir => PecosLayout.Write(dir, SeedModels.XLinear, beam: 3, topK: 4, "l3-hinge", (path, m) => NpzFormat.Write(path, m)),
        dir => dir);

    /// <summary>A PECOS XLinearModel directory (param.json files and W/C npz per level), one file replaced per input.</summary>
    public static readonly FuzzTarget Pecos = new("pecos", input => PecosDirectory.Run(input, dir => Expect(() =>
    {
        var pecos = PecosModelDirectory.Load(dir, NpzFormat.ReadCsc);
        Use(pecos.Model, pecos.Options);
    })), PecosDirectory.Seed, PecosDirectory.Prepare);

    /// <summary>The ANN index file; an index that reads must then answer a search of its dimension.</summary>
    public static readonly FuzzTarget Ann = new("ann", input =>
        FuzzScratch.WithFile("index.ann", input, path => Expect(() =>
        {
            var index = HnswIndex.Load(path);
            var query = new float[index.Dimension];
            query[0] = 1;
            foreach (var hit in index.Search(query, 3))
                if ((uint)hit.Id >= (uint)index.Count || index.IsDeleted(hit.Id)) throw new InvalidOperationException($"hit {hit.Id} is not a live vector");
        })), WriteAnnSeeds);

    private static void WriteAnnSeeds(string directory)
    {
        var rng = new Random(0);
        var vectors = new float[60 * 4];
        for (int i = 0; i < vectors.Length; i++) vectors[i] = (float)(rng.NextDouble() * 2 - 1);
        var index = HnswIndex.Build(vectors, 4, new HnswOptions { M = 4, EfConstruction = 16 });
        index.Delete(7);
        index.Save(Path.Combine(directory, "small.ann"));
        HnswIndex.Build(vectors.AsSpan(0, 4), 4, new HnswOptions { Metric = AnnMetric.InnerProduct }).Save(Path.Combine(directory, "one.ann"));
    }

    private static void WriteModelSeeds(string directory)
    {
        XLinearModelFile.Save(Path.Combine(directory, "compiled.xmr"), SeedModels.XLinear);
        XLinearModelFile.Save(Path.Combine(directory, "plain.xmr"), SeedModels.XLinear, compiledLayout: false);
        // Format version 3: two trees, so the tree-index fields of the header and the section table are fuzzed too.
        var ensemble = new XLinearEnsemble([SeedModels.XLinear, SeedModels.XLinear]);
        XLinearModelFile.Save(Path.Combine(directory, "ensemble.xmr"), ensemble);
        XLinearModelFile.Save(Path.Combine(directory, "ensemble-plain.xmr"), ensemble, compiledLayout: false);
        // Format version 4: quantised levels (half values; 8-bit values led by each row's scale).
        XLinearModelFile.SaveQuantized(Path.Combine(directory, "f16.xmr"), new XLinearEnsemble(SeedModels.XLinear), WeightPrecision.Float16);
        XLinearModelFile.SaveQuantized(Path.Combine(directory, "i8.xmr"), ensemble, WeightPrecision.Int8);
    }
}
