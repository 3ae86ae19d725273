using System.Buffers.Binary;
using System.Text;
using XmrEngine.Inference;
using static XmrEngine.Persistence.ModelFileFormat;
using XmrEngine.IO;
using XmrEngine.Models;

namespace XmrEngine.Persistence;

public static partial class XLinearModelFile
{
    /// <summary>Opens a model file for serving by memory-mapping it; see the overload taking options.</summary>
    /// <exception cref="XmrDataException">See <see cref="Load(string)"/>; also a compiled level that fails validation.</exception>
    public static XLinearPredictor OpenMapped(string path, bool verifyChecksums = true) => OpenMapped(path, null, verifyChecksums, out _);

    /// <summary>
    /// Opens a model file for serving: maps it read-only and builds a predictor that scores straight from
    /// the compiled levels in the mapped pages, with no per-array copy and no compile step. Only the small
    /// parent -> children lists of each tree level are built in managed memory. Dispose the predictor to
    /// unmap the file (safe while other threads predict; see <see cref="XLinearPredictor"/>).
    /// <para>
    /// Checks: the header, the section table and the compiled levels' structure are always validated
    /// (pointers monotone, ids in range, child offsets below the chunk width, an exact feature index), so
    /// no file can make the unchecked scoring loops read out of bounds; this reads the index arrays and the
    /// sparse slots once. With <paramref name="verifyChecksums"/> (the default) every section's CRC32 and
    /// the whole-file XxHash64 are verified too, which reads every page of the file once (they then stay
    /// in the page cache, warm for serving). Turning it off saves that pass on huge models, at the price
    /// of not noticing flipped weight values.
    /// </para>
    /// <para>
    /// A file without compiled levels (format version 1, or saved with <c>compiledLayout: false</c>) is
    /// read and compiled in memory instead; <see cref="XLinearPredictor.IsMemoryMapped"/> then says false.
    /// The file must not be modified in place while mapped (<see cref="Save(string, XLinearEnsemble, ModelMetadata?, bool, int)"/> replaces files by rename,
    /// which leaves an open mapping on the old contents).
    /// </para>
    /// </summary>
    /// <param name="path">An XmrEngine model file.</param>
    /// <param name="defaults">Default beam settings of the predictor; null for the ones saved with the model
    /// (<see cref="ModelMetadata.Prediction"/>; PECOS's when none were saved).</param>
    /// <param name="verifyChecksums">Verify every checksum (reads the whole file once).</param>
    /// <param name="metadata">The metadata saved with the model (<see cref="ModelMetadata.Default"/> when none).</param>
    /// <exception cref="XmrDataException">The file is truncated, corrupt, not a model file, of an unsupported
    /// version, or structurally invalid, or the stored metadata is malformed; the message names the file and
    /// the section or field.</exception>
    public static XLinearPredictor OpenMapped(string path, PredictOptions? defaults, bool verifyChecksums, out ModelMetadata metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Model files are little-endian; big-endian hosts are not supported.");
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var reader = new Reader(handle, path);
        var (header, entries) = reader.ReadHeaderAndTable();
        if (!entries.Any(e => e.Kind is SectionKind.CompiledLevel or SectionKind.QuantizedLevel))
        {
            if (verifyChecksums) reader.VerifyChecksums(header, entries);
            var ensemble = reader.Parse(header, entries, out string? json);
            metadata = WithCalibration(ModelMetadata.Parse(json, path), reader.Calibration);
            return new XLinearPredictor(ensemble, defaults ?? metadata.Prediction);
        }
        var view = MappedFileView.Open(handle, header.FileLength, path);
        try
        {
            if (verifyChecksums) reader.VerifyChecksums(header, entries, view);
            var predictor = reader.ParseMapped(header, entries, view, defaults, path, out metadata);
            return predictor;
        }
        catch
        {
            view.Dispose();
            throw;
        }
    }

    private sealed partial class Reader
    {
        /// <summary>Builds a predictor over the mapped compiled levels after validating everything it will read.</summary>
        public XLinearPredictor ParseMapped(Header header, SectionEntry[] entries, MappedFileView view, PredictOptions? defaults, string path, out ModelMetadata metadata)
        {
            string? metadataJson = null;
            int trees = header.TreeCount;
            var chains = new SectionEntry?[trees, header.Depth];
            var weights = new SectionEntry?[trees, header.Depth];
            var compiled = new SectionEntry?[trees, header.Depth];
            bool isQuantized = header.Precision != WeightPrecision.Float32;
            foreach (var e in entries)
            {
                bool inDepth = e.Level >= 0 && e.Level < header.Depth;
                switch (e.Kind)
                {
                    case SectionKind.Metadata when metadataJson is null && e.Length <= int.MaxValue:
                        metadataJson = Encoding.UTF8.GetString(view.Bytes(e.Offset, (int)e.Length));
                        break;
                    case SectionKind.ChainLevel when inDepth && chains[e.Tree, e.Level] is null:
                        chains[e.Tree, e.Level] = e;
                        break;
                    case SectionKind.WeightLevel when inDepth && !isQuantized && weights[e.Tree, e.Level] is null:
                        weights[e.Tree, e.Level] = e;
                        break;
                    // A quantised file's one section per level plays both roles: the weights and their compiled layout.
                    case SectionKind.QuantizedLevel when inDepth && isQuantized && compiled[e.Tree, e.Level] is null:
                        compiled[e.Tree, e.Level] = e;
                        break;
                    case SectionKind.CompiledLevel when inDepth && !isQuantized && compiled[e.Tree, e.Level] is null:
                        compiled[e.Tree, e.Level] = e;
                        break;
                    case SectionKind.Calibration when e.Length <= 1 << 30:
                        ReadCalibration(e, view.Bytes(e.Offset, (int)e.Length));
                        break;
                    default:
                        throw Fail($"unexpected section '{e.Name}' (duplicate, unknown kind, or level outside depth {header.Depth}).");
                }
            }
            if (header.FeatureCount < 0) throw Fail($"the header records {header.FeatureCount} features.");
            var depths = TreeDepths(header, (i, t) => chains[i, t] is not null);
            var scorers = new ILevelScorer[trees][];
            int labels = -1;
            for (int i = 0; i < trees; i++)
            {
                var levels = new ILevelScorer[depths[i]];
                int parents = 1;
                for (int t = 0; t < levels.Length; t++)
                {
                    var chain = chains[i, t]!.Value;
                    var tree = MapTree(view, chain, parents);
                    SectionEntry layout;
                    ChunkedLevelView level;
                    // Both Map calls name the file and the section in their XmrDataException, so nothing needs re-wrapping here.
                    if (isQuantized)
                    {
                        layout = compiled[i, t] ?? throw Fail($"{TreeName(i)}the quantised section for level {t} is missing.");
                        level = QuantizedLevelSection.Map(view, layout, header.Precision);
                    }
                    else
                    {
                        var weight = weights[i, t] ?? throw Fail($"{TreeName(i)}the weights section for level {t} is missing.");
                        layout = compiled[i, t] ?? throw Fail($"{TreeName(i)}the compiled section for level {t} is missing (compiled levels must be present for every level or for none).");
                        CheckWeightShape(view, weight, header.FeatureCount + 1L, tree.NodeCount);
                        level = CompiledLevelSection.Map(view, layout);
                    }
                    level.Validate(tree, header.FeatureCount, path, layout.Name);
                    levels[t] = new ChunkedLevelScorer(tree, level, view);
                    parents = tree.NodeCount;
                }
                if (labels >= 0 && parents != labels)
                    throw Fail($"{TreeName(i)}the tree has {parents} labels but tree 0 has {labels}.");
                labels = parents;
                scorers[i] = levels;
            }
            metadata = WithCalibration(ModelMetadata.Parse(metadataJson, path), Calibration);
            return new XLinearPredictor(scorers, header.FeatureCount, labels, header.Bias, defaults ?? metadata.Prediction, view);
        }

        /// <summary>The parent -> children lists of one level, built from the mapped parent ids.</summary>
        private TreeLevel MapTree(MappedFileView view, SectionEntry e, int expectedParents)
        {
            if (e.Length < PreambleSize) throw Fail($"section '{e.Name}' has {e.Length} bytes, fewer than its {PreambleSize}-byte preamble.");
            var pre = view.Bytes(e.Offset, PreambleSize);
            int nodes = BinaryPrimitives.ReadInt32LittleEndian(pre), parents = BinaryPrimitives.ReadInt32LittleEndian(pre[4..]);
            if (nodes < 0 || nodes > int.MaxValue / 4 || Align(PreambleSize) + 4L * nodes != e.Length)
                throw Fail($"section '{e.Name}' records {nodes} nodes and {parents} parents, which does not match its length {e.Length}.");
            if (parents != expectedParents)
                throw Fail($"section '{e.Name}' records {parents} parents; the level above has {expectedParents} nodes.");
            try
            {
                return new TreeLevel(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(view.Bytes(e.Offset + PreambleSize, 4 * nodes)), parents);
            }
            catch (ArgumentException ex)
            {
                throw Fail($"section '{e.Name}' is invalid: {ex.Message}", ex);
            }
        }

        /// <summary>The CSC weights are not used by a mapped predictor, but their shape must still agree with the tree.</summary>
        private void CheckWeightShape(MappedFileView view, SectionEntry e, long rows, int cols)
        {
            if (e.Length < PreambleSize) throw Fail($"section '{e.Name}' has {e.Length} bytes, fewer than its {PreambleSize}-byte preamble.");
            var pre = view.Bytes(e.Offset, PreambleSize);
            int r = BinaryPrimitives.ReadInt32LittleEndian(pre), c = BinaryPrimitives.ReadInt32LittleEndian(pre[4..]);
            if (r != rows || c != cols)
                throw Fail($"section '{e.Name}' holds a {r}x{c} matrix; the model needs {rows}x{cols} (features + bias by nodes).");
        }
    }
}
