using System.Globalization;
using XmrEngine.IO;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

/// <summary>
/// Cross-checks <see cref="NpzFormat"/> against SciPy itself: SciPy writes files we read, and SciPy loads
/// files we write. Skipped (with a message) when /usr/bin/python3 cannot import SciPy.
/// </summary>
public class SciPyInteropTests
{
    /// <summary>
    /// Writes one .npz per variant plus "&lt;name&gt;.expected" holding "rows cols" and then the canonical
    /// (sorted, duplicates summed) triplets "r c v" with v the float32 value printed exactly.
    /// </summary>
    private const string SciPyWrites = """
import sys, os
import numpy as np
import scipy.sparse as sp
out = sys.argv[1]
rng = np.random.default_rng(42)

def expected(name, m):
    c = sp.csr_matrix(m, copy=True)
    c.sum_duplicates()
    c.sort_indices()
    coo = c.tocoo()
    with open(os.path.join(out, name + '.expected'), 'w') as f:
        f.write('%d %d\n' % c.shape)
        for r, col, v in zip(coo.row, coo.col, coo.data):
            f.write('%d %d %s\n' % (r, col, repr(float(np.float32(v)))))

variants = []
for fmt in ('csr', 'csc'):
    for dtype in (np.float64, np.float32):
        for idx64 in (False, True):
            for compressed in (True, False):
                variants.append((fmt, dtype, idx64, compressed))
for i, (fmt, dtype, idx64, compressed) in enumerate(variants):
    shape = (int(rng.integers(1, 40)), int(rng.integers(1, 60)))
    m = sp.random(shape[0], shape[1], density=0.15, format=fmt, dtype=np.float64, random_state=i)
    m.data = (m.data * 20 - 10).astype(dtype)
    if idx64:
        m.indices = m.indices.astype(np.int64)
        m.indptr = m.indptr.astype(np.int64)
    name = '%s_%s_%s_%s' % (fmt, np.dtype(dtype).name, 'i64' if idx64 else 'i32', 'z' if compressed else 'stored')
    sp.save_npz(os.path.join(out, name + '.npz'), m, compressed=compressed)
    expected(name, m)

# Unsorted indices with duplicates, saved as-is (save_npz keeps them); values are exact in float32.
data = np.array([0.25, 1.5, 2.0, -0.75, 3.0, 0.5], dtype=np.float32)
indices = np.array([4, 1, 4, 0, 2, 0], dtype=np.int32)
indptr = np.array([0, 3, 3, 6], dtype=np.int32)
messy = sp.csr_matrix((data, indices, indptr), shape=(3, 5))
assert not messy.has_canonical_format
sp.save_npz(os.path.join(out, 'messy_csr.npz'), messy)
expected('messy_csr', messy)

coo = sp.coo_matrix((np.array([1.0, 2.0, 4.0]), (np.array([0, 2, 0]), np.array([1, 1, 1]))), shape=(3, 2))
sp.save_npz(os.path.join(out, 'coo.npz'), coo)
expected('coo', coo)

empty = sp.csr_matrix((0, 0), dtype=np.float32)
sp.save_npz(os.path.join(out, 'empty.npz'), empty)
expected('empty', empty)
print(len(os.listdir(out)))
""";

    /// <summary>Loads every .npz in a folder with load_npz and checks it against "&lt;name&gt;.expected".</summary>
    private const string SciPyReads = """
import sys, os
import numpy as np
import scipy.sparse as sp
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    if not name.endswith('.npz'):
        continue
    stem = name[:-4]
    m = sp.load_npz(os.path.join(folder, name))
    fmt = stem.split('_')[0]
    assert m.format == fmt, (name, m.format)
    assert m.dtype == np.float32, (name, m.dtype)
    assert m.indices.dtype == np.int32 and m.indptr.dtype == np.int32, (name, m.indices.dtype, m.indptr.dtype)
    assert m.has_canonical_format, name
    with np.load(os.path.join(folder, name), allow_pickle=False) as z:
        assert sorted(z.files) == ['data', 'format', 'indices', 'indptr', 'shape'], z.files
        assert z['format'].dtype == np.dtype('|S3') and z['format'].shape == (), z['format'].dtype
        assert z['shape'].dtype == np.int64, z['shape'].dtype
    with open(os.path.join(folder, stem + '.expected')) as f:
        rows, cols = map(int, f.readline().split())
        want = [line.split() for line in f]
    assert m.shape == (rows, cols), (name, m.shape)
    # Compare stored entries bit for bit (toarray() would turn a stored -0.0 into +0.0).
    c = m.tocsr() if fmt == 'csc' else m
    got_rows = np.repeat(np.arange(rows), np.diff(c.indptr))
    assert c.nnz == len(want), (name, c.nnz, len(want))
    for k, (r, col, v) in enumerate(want):
        assert got_rows[k] == int(r) and c.indices[k] == int(col), (name, k)
        assert np.float32(float(v)).view(np.int32) == c.data[k].view(np.int32), (name, k, v, c.data[k])
    print('OK', name)
""";

    [Test]
    public void WeReadWhatSciPyWrites()
    {
        PythonSciPy.RequireOrIgnore();
        using var dir = new TempDir();
        PythonSciPy.Run(SciPyWrites, dir.Path);
        var files = Directory.GetFiles(dir.Path, "*.npz").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Assert.That(files, Has.Length.EqualTo(19));
        foreach (string file in files)
        {
            var want = ReadExpected(Path.ChangeExtension(file, ".expected"));
            string name = Path.GetFileName(file);
            MatrixAssert.Equal(want, NpzFormat.ReadCsr(file), name + " as CSR");
            MatrixAssert.Equal(want.ToCsc(), NpzFormat.ReadCsc(file), name + " as CSC");
        }
    }

    [Test]
    public void SciPyReadsWhatWeWrite()
    {
        PythonSciPy.RequireOrIgnore();
        using var dir = new TempDir();
        var cases = new List<(string Name, CsrMatrix M, bool Csc, bool Compressed)>
        {
            ("csr_random_z", IoTestData.Features(37, 53, 1), false, true),
            ("csr_random_stored", IoTestData.Features(64, 9, 2), false, false),
            ("csc_random_z", IoTestData.Features(21, 80, 3), true, true),
            ("csc_random_stored", IoTestData.Features(5, 5, 4), true, false),
            ("csr_awkward", IoTestData.AwkwardValues(), false, true),
            ("csr_empty", CsrMatrix.Empty(0, 0), false, true),
            ("csr_norows", CsrMatrix.Empty(0, 4), false, false),
            ("csc_nocols", CsrMatrix.Empty(3, 0), true, true),
            ("csr_labels", IoTestData.Labels(30, 12, 5), false, true),
            ("csr_fastest", IoTestData.Features(300, 700, 6), false, true),
            ("csr_streamed", ManagedKernels.Instance.Multiply(IoTestData.Features(40, 60, 7), IoTestData.Features(60, 50, 8)), false, false),
        };
        foreach (var (name, m, csc, compressed) in cases)
        {
            string path = dir.File(name + ".npz");
            if (csc) NpzFormat.Write(path, m.ToCsc(), compressed);
            else if (name.EndsWith("_fastest", StringComparison.Ordinal)) NpzFormat.Write(path, m, NpzCompression.Fastest);
            else if (name.EndsWith("_streamed", StringComparison.Ordinal))
                ManagedKernels.Instance.MultiplyToNpz(path, IoTestData.Features(40, 60, 7), IoTestData.Features(60, 50, 8));
            else NpzFormat.Write(path, m, compressed);
            WriteExpected(dir.File(name + ".expected"), m);
        }
        string output = PythonSciPy.Run(SciPyReads, dir.Path);
        foreach (var (name, _, _, _) in cases) Assert.That(output, Does.Contain($"OK {name}.npz"));
    }

    private static CsrMatrix ReadExpected(string path)
    {
        var lines = File.ReadAllLines(path);
        var dims = lines[0].Split(' ');
        var b = new CooBuilder(int.Parse(dims[0], CultureInfo.InvariantCulture), int.Parse(dims[1], CultureInfo.InvariantCulture));
        foreach (string line in lines.Skip(1))
        {
            var t = line.Split(' ');
            b.Add(int.Parse(t[0], CultureInfo.InvariantCulture), int.Parse(t[1], CultureInfo.InvariantCulture), float.Parse(t[2], CultureInfo.InvariantCulture));
        }
        return b.ToCsr();
    }

    private static void WriteExpected(string path, CsrMatrix m)
    {
        using var w = new StreamWriter(path);
        w.Write($"{m.Rows} {m.Cols}\n");
        for (int r = 0; r < m.Rows; r++)
        {
            var idx = m.Row(r).Indices;
            var val = m.Row(r).Values;
            for (int k = 0; k < idx.Length; k++)
                w.Write($"{r} {idx[k]} {val[k].ToString("R", CultureInfo.InvariantCulture)}\n");
        }
    }
}
