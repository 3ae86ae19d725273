using XmrEngine.IO;
using XmrEngine.Sparse;
using static XmrEngine.Fuzz.FuzzContract;

namespace XmrEngine.Fuzz.Targets;

/// <summary>The data-file readers: SciPy .npz and .npy, XMC repository text and SVMlight/LIBSVM text.</summary>
internal static class SparseDataTargets
{
    public static readonly FuzzTarget Npz = new("npz", input =>
    {
        Expect(() => Check(NpzFormat.ReadCsr(new MemoryStream(input), "fuzz.npz")));
        Expect(() => Check(NpzFormat.ReadCsc(new MemoryStream(input), "fuzz.npz")));
    }, directory =>
    {
        var x = SeedMatrices.Features;
        NpzFormat.Write(Path.Combine(directory, "stored.npz"), x, NpzCompression.None);
        NpzFormat.Write(Path.Combine(directory, "deflated.npz"), x, NpzCompression.Fastest);
        NpzFormat.Write(Path.Combine(directory, "csc.npz"), x.ToCsc(), compressed: false);
    });

    /// <summary>A dense float .npy array (the reader converts other numeric dtypes).</summary>
    public static readonly FuzzTarget Npy = new("npy", input =>
    {
        Expect(() => NpyFormat.ReadMatrix(new MemoryStream(input), "fuzz.npy"));
        // The mapped reader training and prediction use for dense features: header, size and values checked on the file.
        FuzzScratch.WithFile("fuzz.npy", input, path => Expect(() => Check(NpyFormat.ReadCsr(path))));
    }, directory =>
    {
        NpyFormat.Write(Path.Combine(directory, "small.npy"), new float[,] { { 1f, -2.5f, 0f }, { 3e-8f, 7f, 1e30f } });
        NpyFormat.Write(Path.Combine(directory, "empty.npy"), new float[0, 4]);
    });

    /// <summary>An XMC repository text file (header, labels, feature:value pairs).</summary>
    public static readonly FuzzTarget Xmc = new("xmc", input =>
        Expect(() => CheckDataset(XmcTextFormat.Read(new MemoryStream(input), "fuzz.txt"))), directory =>
        XmcTextFormat.Write(Path.Combine(directory, "small.txt"), SeedMatrices.Features, SeedMatrices.Labels));

    /// <summary>An SVMlight/LIBSVM file, with 0- and 1-based feature ids and with the shape given by the caller.</summary>
    public static readonly FuzzTarget Svm = new("svm", input =>
    {
        Expect(() => CheckDataset(LibSvmFormat.Read(new MemoryStream(input), "fuzz.svm")));
        Expect(() => CheckDataset(LibSvmFormat.Read(new MemoryStream(input), "fuzz.svm", featureCount: 12, labelCount: 5, featureIndexBase: 1)));
    }, directory =>
    {
        LibSvmFormat.Write(Path.Combine(directory, "zero-based.svm"), SeedMatrices.Features, SeedMatrices.Labels);
        LibSvmFormat.Write(Path.Combine(directory, "one-based.svm"), SeedMatrices.Features, SeedMatrices.Labels, featureIndexBase: 1);
    });

    /// <summary>
    /// An .xmrd binary data set, read with checksums and without: without them, the per-section structure
    /// checks alone must turn any bytes into valid matrices or an <see cref="XmrDataException"/>.
    /// </summary>
    public static readonly FuzzTarget Xmrd = new("xmrd", input =>
        FuzzScratch.WithFile("fuzz.xmrd", input, path =>
        {
            Expect(() => CheckContent(XmrdFormat.Read(path)));
            Expect(() => CheckContent(XmrdFormat.Read(path, verifyChecksums: false)));
        }), directory =>
    {
        XmrdFormat.Write(Path.Combine(directory, "dataset.xmrd"), SeedMatrices.Features, SeedMatrices.Labels);
        XmrdFormat.Write(Path.Combine(directory, "features.xmrd"), SeedMatrices.Features);
    });

    private static void CheckContent(SparseFileContent content)
    {
        Check(content.Features);
        if (content.Labels is not null) CheckDataset(new XmcDataset(content.Features, content.Labels));
    }

    private static void CheckDataset(XmcDataset data)
    {
        Check(data.Features);
        Check(data.Labels);
        if (data.Features.Rows != data.Labels.Rows)
            throw new InvalidOperationException($"{data.Features.Rows} feature rows but {data.Labels.Rows} label rows");
    }
}
