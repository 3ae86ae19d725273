using XmrEngine.IO;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Sparse;
using static XmrEngine.Persistence.ModelFileFormat;
using XmrEngine.Models;
using XmrEngine.Training;

namespace XmrEngine.Persistence;

/// <summary>
/// Saves and loads <see cref="XLinearModel"/> in XmrEngine's own binary format: a versioned header,
/// a section table, one section per tree level for the tree and for the weights, optional metadata
/// JSON, a CRC32 per section and an XxHash64 over the whole file, and (by default) each level's weights
/// compiled into the predictor's chunked layout. Arrays sit on 64-byte boundaries so the file can be
/// memory-mapped: <see cref="OpenMapped(string, bool)"/> serves predictions straight from the mapped pages,
/// with no copy and no compile step, while <see cref="Load(string)"/> reads everything into managed arrays.
/// Saving is atomic (temporary file, then rename), so a crash never leaves a half-written model under the
/// target name. Opening checks everything and names the file and the section that is wrong.
/// </summary>
public static partial class XLinearModelFile
{
    /// <summary>
    /// The format version of float32 ensemble files (one-tree float32 files are version 2, quantised files version 4,
    /// see <see cref="SaveQuantized"/>); this build reads every version from 1 to 4.
    /// </summary>
    public const int FormatVersion = ModelFileFormat.Version;

    /// <summary>Writes a one-tree model to <paramref name="path"/> atomically (format version 2, as earlier builds wrote it).</summary>
    /// <param name="path">Target file; replaced if it exists.</param>
    /// <param name="model">The model.</param>
    /// <param name="metadata">Prediction defaults, input preparation and training record stored with the model. Where it
    /// gives no <see cref="ModelMetadata.Training"/>, the record the training API attached to the model
    /// (<see cref="TrainingRecord.Of(XLinearEnsemble)"/>) is saved; null metadata saves that record with the prediction
    /// defaults at the beam the model was trained for (<see cref="TrainingRecord.ManBeamSize"/>), and nothing for a model that has none.</param>
    /// <param name="compiledLayout">Also store each level compiled for prediction (the sections
    /// <see cref="OpenMapped(string, bool)"/> serves from; compiling takes about as long as building an
    /// <see cref="XLinearPredictor"/>, and the file grows by one to three times the size of the CSC weights,
    /// see perf/RESULTS.md). Without them the file is smaller and <see cref="OpenMapped(string, bool)"/>
    /// falls back to read and compile.</param>
    /// <param name="threads">Workers compiling each level [0 = one per processor]; the file does not depend on it.</param>
    public static void Save(string path, XLinearModel model, ModelMetadata? metadata = null, bool compiledLayout = true, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        Save(path, new XLinearEnsemble(model), metadata, compiledLayout, threads);
    }

    /// <summary>
    /// Writes every tree of <paramref name="ensemble"/> into one file atomically: format version 3 when there
    /// are several trees, version 2 (what a one-tree model always was) otherwise.
    /// </summary>
    /// <param name="path">Target file; replaced if it exists.</param>
    /// <param name="ensemble">The trees.</param>
    /// <param name="metadata">See <see cref="Save(string, XLinearModel, ModelMetadata?, bool, int)"/>.</param>
    /// <param name="compiledLayout">See <see cref="Save(string, XLinearModel, ModelMetadata?, bool, int)"/>.</param>
    /// <param name="threads">See <see cref="Save(string, XLinearModel, ModelMetadata?, bool, int)"/>.</param>
    /// <exception cref="InvalidOperationException">A tree was loaded from a quantised file (<see cref="StoredPrecision"/>):
    /// quantisation loses information, so its rounded weights are not saved as float32.</exception>
    public static void Save(string path, XLinearEnsemble ensemble, ModelMetadata? metadata = null, bool compiledLayout = true, int threads = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(ensemble);
        QuantizedModels.CheckSave(ensemble, WeightPrecision.Float32);
        Write(path, ensemble, metadata, compiledLayout, threads, WeightPrecision.Float32);
    }

    /// <summary>
    /// Writes every tree of <paramref name="ensemble"/> with its weights stored at <paramref name="precision"/>
    /// atomically. Float32 is <see cref="Save(string, XLinearEnsemble, ModelMetadata?, bool, int)"/>. Float16 and Int8
    /// write format version 4: each level's weights once, in the compiled layout at 2 or 1 bytes a value, which
    /// <see cref="OpenMapped(string, bool)"/> scores directly; <see cref="Load(string)"/> rebuilds float CSC weights
    /// from it. Error bounds: <see cref="WeightPrecision"/>.
    /// </summary>
    /// <param name="path">Target file; replaced if it exists.</param>
    /// <param name="ensemble">The trees.</param>
    /// <param name="precision">How the weights are stored.</param>
    /// <param name="metadata">See <see cref="Save(string, XLinearModel, ModelMetadata?, bool, int)"/>.</param>
    /// <param name="threads">See <see cref="Save(string, XLinearModel, ModelMetadata?, bool, int)"/>.</param>
    /// <exception cref="InvalidOperationException">A tree was loaded from a file quantised at another precision
    /// (quantisation loses information; quantise the float32 model instead).</exception>
    /// <exception cref="ArgumentException">A parent has more than 65,536 children, or (Float16) a weight lies outside
    /// half precision's range.</exception>
    public static void SaveQuantized(string path, XLinearEnsemble ensemble, WeightPrecision precision, ModelMetadata? metadata = null, int threads = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(ensemble);
        if (!Enum.IsDefined(precision)) throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown weight precision");
        QuantizedModels.CheckSave(ensemble, precision);
        Write(path, ensemble, metadata, compiledLayout: true, threads, precision);
    }

    /// <summary>
    /// The precision of the file <paramref name="model"/> was loaded from (<see cref="WeightPrecision.Float32"/> for a
    /// float file, or a model not loaded from a file).
    /// </summary>
    public static WeightPrecision StoredPrecision(XLinearModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return QuantizedModels.Of(model);
    }

    private static void Write(string path, XLinearEnsemble ensemble, ModelMetadata? metadata, bool compiledLayout, int threads, WeightPrecision precision)
    {
        string? metadataJson = WithTrainingRecord(metadata, ensemble)?.ToJson();
        int depth = ensemble.Trees.Max(t => t.Chain.Depth);
        var calibration = metadata?.Calibration;
        // A quantised file holds per level the tree and one quantised level; a float file the tree, the CSC weights and
        // (optionally) the compiled level.
        int perLevel = precision != WeightPrecision.Float32 ? 2 : compiledLayout ? 3 : 2;
        int sectionCount = (metadataJson is null ? 0 : 1) + (calibration is null ? 0 : 1) + ensemble.Trees.Sum(t => t.Chain.Depth * perLevel);

        // Temp file + rename (shared with every other writer), so a crash never leaves a torn model behind. Sections
        // are produced while the file is written, so at most one compiled level is in memory at a time.
        AtomicFile.Write(path, stream => ModelFileStreamWriter.Write(stream, sectionCount, BuildSections(ensemble, metadataJson, calibration, compiledLayout, threads, precision),
            (header, fileLength, tableCrc) => new Header(ensemble.FeatureCount, ensemble.Bias, depth, sectionCount, fileLength, tableCrc, ensemble.Trees.Count, precision).Write(header)));
    }

    /// <summary>
    /// <paramref name="metadata"/> with the training record of <paramref name="ensemble"/> where it has none, so a model the
    /// library trained is saved with how it was trained whoever saves it.
    /// </summary>
    private static ModelMetadata? WithTrainingRecord(ModelMetadata? metadata, XLinearEnsemble ensemble)
    {
        if (metadata?.Training is not null || TrainingRecord.Of(ensemble) is not { } record) return metadata;
        // Without metadata, the beam the model was trained for is its prediction default: MAN negatives were mined with it.
        return (metadata ?? new ModelMetadata { Prediction = PredictOptions.Default with { BeamSize = record.ManBeamSize ?? PredictOptions.Default.BeamSize } })
            with { Training = record };
    }

    /// <summary>
    /// Loads a model saved by <see cref="Save(string, XLinearEnsemble, ModelMetadata?, bool, int)"/> (format version 1 or 2; a version-3 file if it holds one tree) into managed arrays, verifying every
    /// checksum. The compiled levels of a version-2 file are checksummed but not read; to serve a file
    /// without copying or compiling it, use <see cref="OpenMapped(string, bool)"/>.
    /// </summary>
    /// <exception cref="XmrDataException">The file is truncated, corrupt (checksum mismatch), not a model
    /// file (bad magic), of an unsupported version, or structurally invalid, or it holds an ensemble of
    /// several trees (load those with <see cref="LoadEnsemble(string, out ModelMetadata)"/>); the message names the file and the problem.</exception>
    public static XLinearModel Load(string path) => Single(LoadEnsemble(path, out string? _, out _), path);

    /// <summary>Loads a model and the metadata stored with it (<see cref="ModelMetadata.Default"/> when none was saved).</summary>
    /// <exception cref="XmrDataException">See <see cref="Load(string)"/>; also stored metadata that is malformed
    /// (names the file and the field).</exception>
    public static XLinearModel Load(string path, out ModelMetadata metadata) => Single(LoadEnsemble(path, out metadata), path);

    /// <summary>
    /// Loads every tree of a model file (a one-tree file gives a one-tree ensemble) and its metadata,
    /// verifying every checksum.
    /// </summary>
    /// <exception cref="XmrDataException">See <see cref="Load(string)"/>.</exception>
    public static XLinearEnsemble LoadEnsemble(string path, out ModelMetadata metadata)
    {
        var ensemble = LoadEnsemble(path, out string? json, out var calibration);
        metadata = WithCalibration(ModelMetadata.Parse(json, path), calibration);
        return ensemble;
    }

    /// <summary>The parsed metadata with the calibration section's map; the very same object when the file has none (so a file without metadata still gives <see cref="ModelMetadata.Default"/>).</summary>
    private static ModelMetadata WithCalibration(ModelMetadata metadata, ScoreCalibration? calibration) =>
        calibration is null ? metadata : metadata with { Calibration = calibration };

    private static XLinearModel Single(XLinearEnsemble ensemble, string path) => ensemble.Trees.Count == 1
        ? ensemble.Trees[0]
        : throw new XmrDataException(path, null, null, null,
            $"the file holds an ensemble of {ensemble.Trees.Count} trees; load it with LoadEnsemble (or OpenMapped) to predict with all of them.");

    private static XLinearEnsemble LoadEnsemble(string path, out string? metadataJson, out ScoreCalibration? calibration)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Model files are little-endian; big-endian hosts are not supported.");
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var reader = new Reader(handle, path);
        var (header, entries) = reader.ReadHeaderAndTable();
        reader.VerifyChecksums(header, entries);
        var ensemble = reader.Parse(header, entries, out metadataJson);
        calibration = reader.Calibration;
        return ensemble;
    }

    /// <summary>Every section in file order, produced lazily (a compiled level is built when it is reached).</summary>
    private static IEnumerable<ModelFileSection> BuildSections(XLinearEnsemble ensemble, string? metadataJson, ScoreCalibration? calibration, bool compiledLayout, int threads,
        WeightPrecision precision)
    {
        if (metadataJson is not null)
            yield return new ModelFileSection(SectionKind.Metadata, -1).Bytes(Encoding.UTF8.GetBytes(metadataJson));
        if (calibration is not null)
            yield return CalibrationSection.Build(calibration);
        for (int i = 0; i < ensemble.Trees.Count; i++)
            foreach (var section in TreeSections(ensemble.Trees[i], compiledLayout, threads, precision))
                yield return section.ForTree(i);
    }

    private static IEnumerable<ModelFileSection> TreeSections(XLinearModel model, bool compiledLayout, int threads, WeightPrecision precision)
    {
        for (int t = 0; t < model.Chain.Depth; t++)
        {
            var level = model.Chain.Levels[t];
            var preamble = new byte[PreambleSize];
            BinaryPrimitives.WriteInt32LittleEndian(preamble, level.Rows);
            BinaryPrimitives.WriteInt32LittleEndian(preamble.AsSpan(4), level.Cols);
            yield return new ModelFileSection(SectionKind.ChainLevel, t).Bytes(preamble).Array(level.Indices.ToArray(), level.Rows);
        }
        if (precision != WeightPrecision.Float32)
        {
            for (int t = 0; t < model.Chain.Depth; t++)
                yield return QuantizedLevelSection.Build(QuantizedLevelArrays.Quantize(new TreeLevel(model.Chain.Levels[t]), model.Weights[t], precision, threads), t);
            yield break;
        }
        for (int t = 0; t < model.Weights.Count; t++)
        {
            var w = model.Weights[t];
            var preamble = new byte[PreambleSize];
            BinaryPrimitives.WriteInt32LittleEndian(preamble, w.Rows);
            BinaryPrimitives.WriteInt32LittleEndian(preamble.AsSpan(4), w.Cols);
            BinaryPrimitives.WriteInt64LittleEndian(preamble.AsSpan(8), w.Nnz);
            yield return new ModelFileSection(SectionKind.WeightLevel, t)
                .Bytes(preamble)
                .Array(w.ColPtrArray, w.Cols + 1L)
                .Array(w.RowIdxArray, w.Nnz)
                .Array(w.ValuesArray, w.Nnz);
        }
        if (!compiledLayout) yield break;
        for (int t = 0; t < model.Chain.Depth; t++)
            yield return CompiledLevelSection.Build(ChunkedLevelArrays.Compile(new TreeLevel(model.Chain.Levels[t]), model.Weights[t], threads), t);
    }

    /// <summary>Reads and checks one model file; every error names the file.</summary>
    private sealed partial class Reader(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path)
    {
        private readonly long _actualLength = RandomAccess.GetLength(handle);

        private XmrDataException Fail(string problem, Exception? inner = null) => new(path, null, null, null, problem, inner);

        /// <summary>The calibration section's map, once <see cref="Parse"/> or <see cref="ParseMapped"/> has read it; null when the file has none.</summary>
        public ScoreCalibration? Calibration { get; private set; }

        /// <summary>Reads the calibration section (at most one per file).</summary>
        private void ReadCalibration(SectionEntry e, ReadOnlySpan<byte> bytes)
        {
            if (Calibration is not null || e.Level != -1) throw Fail($"unexpected section '{e.Name}' (a second one, or at level {e.Level}).");
            Calibration = CalibrationSection.Read(bytes, path, e);
        }


        /// <summary>The weight precision of a version-4 header (Float16 or Int8); earlier versions are float32.</summary>
        private WeightPrecision ReadPrecision(ReadOnlySpan<byte> head, uint version)
        {
            if (version < QuantizedVersion) return WeightPrecision.Float32;
            int code = BinaryPrimitives.ReadInt32LittleEndian(head[52..]);
            return code is (int)WeightPrecision.Float16 or (int)WeightPrecision.Int8
                ? (WeightPrecision)code
                : throw Fail($"unknown weight precision code {code} in a version-{version} header; this build reads 1 (f16) and 2 (i8).");
        }

        public (Header Header, SectionEntry[] Entries) ReadHeaderAndTable()
        {
            var head = new byte[HeaderSize];
            int got = ReadAt(head, 0);
            int magicBytes = Math.Min(got, Magic.Length);
            if (!head.AsSpan(0, magicBytes).SequenceEqual(Magic[..magicBytes]))
                throw Fail($"bad magic: expected \"XMRMODEL\", found \"{Describe(head.AsSpan(0, magicBytes))}\"; this is not an XmrEngine model file.");
            if (got < HeaderSize)
                throw Fail($"truncated: the file has {_actualLength} bytes, fewer than the {HeaderSize}-byte header.");
            uint version = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(8));
            if (version < OldestReadableVersion || version > NewestReadableVersion)
                throw Fail($"unsupported format version {version}; this build reads versions {OldestReadableVersion} to {NewestReadableVersion}.");
            if (Crc32.HashToUInt32(head.AsSpan(0, 60)) != BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(60)))
                throw Fail("header checksum mismatch; the file is corrupt.");
            var header = new Header(
                BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(16)),
                BinaryPrimitives.ReadSingleLittleEndian(head.AsSpan(20)),
                BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(24)),
                BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(28)),
                BinaryPrimitives.ReadInt64LittleEndian(head.AsSpan(32)),
                BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(56)),
                version >= 3 ? BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(48)) : 1,
                ReadPrecision(head, version));
            if (_actualLength < header.FileLength)
                throw Fail($"truncated: the file has {_actualLength} bytes but the header records {header.FileLength}.");
            if (_actualLength > header.FileLength)
                throw Fail($"{_actualLength - header.FileLength} unexpected bytes after the recorded end of the model ({header.FileLength} bytes).");
            long maxSections = (header.FileLength - HeaderSize - TrailerSize) / TableEntrySize;
            if (header.SectionCount <= 0 || header.SectionCount > maxSections || header.Depth <= 0 || header.Depth > header.SectionCount)
                throw Fail($"header field out of range: {header.SectionCount} sections, depth {header.Depth}.");
            if (header.TreeCount <= 0 || header.TreeCount > header.SectionCount / 2)
                throw Fail($"header field out of range: {header.TreeCount} trees for {header.SectionCount} sections.");
            var table = new byte[header.SectionCount * TableEntrySize];
            ReadAt(table, HeaderSize);
            if (Crc32.HashToUInt32(table) != header.TableCrc)
                throw Fail("section table checksum mismatch; the file is corrupt.");
            var entries = new SectionEntry[header.SectionCount];
            long minOffset = HeaderSize + table.Length;
            for (int i = 0; i < entries.Length; i++)
            {
                var e = SectionEntry.Read(table.AsSpan(i * TableEntrySize), version);
                if (e.Tree < 0 || e.Tree >= header.TreeCount)
                    throw Fail($"section {i} ({e.Name}) belongs to tree {e.Tree}; the header records {header.TreeCount} trees.");
                if (e.Offset < minOffset || e.Length < 0 || e.Offset % Alignment != 0 || e.Offset + e.Length > header.FileLength - TrailerSize)
                    throw Fail($"section {i} ({e.Name}) has offset {e.Offset} and length {e.Length}, outside the file's data area or overlapping the previous section.");
                minOffset = e.Offset + e.Length;
                entries[i] = e;
            }
            return (header, entries);
        }

        /// <summary>
        /// One streaming pass: CRC32 of every section, then the XxHash64 of the whole file. Reads the file
        /// through <paramref name="mapped"/> when given (no copy; the pages it touches stay cached for serving).
        /// </summary>
        public void VerifyChecksums(Header header, SectionEntry[] entries, MappedFileView? mapped = null)
        {
            const int window = 1 << 20;
            var buffer = mapped is null ? new byte[window] : [];
            var whole = new XxHash64();
            var crcs = entries.Select(_ => new Crc32()).ToArray();
            long end = header.FileLength - TrailerSize;
            for (long pos = 0; pos < end;)
            {
                int n = (int)Math.Min(window, end - pos);
                ReadOnlySpan<byte> chunk;
                if (mapped is null)
                {
                    ReadAt(buffer.AsSpan(0, n), pos);
                    chunk = buffer.AsSpan(0, n);
                }
                else
                {
                    chunk = mapped.Bytes(pos, n);
                }
                whole.Append(chunk);
                for (int i = 0; i < entries.Length; i++)
                {
                    long from = Math.Max(pos, entries[i].Offset), to = Math.Min(pos + n, entries[i].Offset + entries[i].Length);
                    if (from < to) crcs[i].Append(chunk.Slice((int)(from - pos), (int)(to - from)));
                }
                pos += n;
            }
            for (int i = 0; i < entries.Length; i++)
                if (crcs[i].GetCurrentHashAsUInt32() != entries[i].Crc)
                    throw Fail($"checksum mismatch in section '{entries[i].Name}'; the file is corrupt.");
            Span<byte> trailer = stackalloc byte[TrailerSize];
            ReadAt(trailer, end);
            if (!trailer[8..].SequenceEqual(EndMagic))
                throw Fail("the end marker is missing; the file is truncated or corrupt.");
            if (BinaryPrimitives.ReadUInt64LittleEndian(trailer) != whole.GetCurrentHashAsUInt64())
                throw Fail("whole-file checksum mismatch; the file is corrupt.");
        }

        public XLinearEnsemble Parse(Header header, SectionEntry[] entries, out string? metadataJson)
        {
            metadataJson = null;
            int trees = header.TreeCount;
            var levels = new CsrMatrix?[trees, header.Depth];
            var weights = new CscMatrix?[trees, header.Depth];
            var compiled = new bool[trees, header.Depth];
            var quantized = new SectionEntry?[trees, header.Depth];
            bool isQuantized = header.Precision != WeightPrecision.Float32;
            foreach (var e in entries)
            {
                bool inDepth = e.Level >= 0 && e.Level < header.Depth;
                try
                {
                    switch (e.Kind)
                    {
                        case SectionKind.Metadata when metadataJson is null:
                            var text = new byte[e.Length];
                            ReadAt(text, e.Offset);
                            metadataJson = Encoding.UTF8.GetString(text);
                            break;
                        case SectionKind.ChainLevel when inDepth && levels[e.Tree, e.Level] is null:
                            levels[e.Tree, e.Level] = ReadChainLevel(e);
                            break;
                        case SectionKind.WeightLevel when inDepth && !isQuantized && weights[e.Tree, e.Level] is null:
                            weights[e.Tree, e.Level] = ReadWeights(e);
                            break;
                        // Decoded once the tree levels are known (ReadQuantizedLevel needs the level's children).
                        case SectionKind.QuantizedLevel when inDepth && isQuantized && quantized[e.Tree, e.Level] is null:
                            quantized[e.Tree, e.Level] = e;
                            break;
                        case SectionKind.Calibration when e.Length <= 1 << 30:
                            var calibration = new byte[e.Length];
                            ReadAt(calibration, e.Offset);
                            ReadCalibration(e, calibration);
                            break;
                        // Only a mapped predictor uses the compiled levels; their checksums were verified.
                        case SectionKind.CompiledLevel when inDepth && !isQuantized && !compiled[e.Tree, e.Level]:
                            compiled[e.Tree, e.Level] = true;
                            break;
                        default:
                            throw Fail($"unexpected section '{e.Name}' (duplicate, unknown kind, or level outside depth {header.Depth}).");
                    }
                }
                catch (ArgumentException ex)
                {
                    throw Fail($"section '{e.Name}' is invalid: {ex.Message}", ex);
                }
            }
            var models = new XLinearModel[trees];
            var depths = TreeDepths(header, (i, t) => levels[i, t] is not null);
            for (int i = 0; i < trees; i++)
            {
                int depth = depths[i];
                var chain = new CsrMatrix[depth];
                var w = new CscMatrix[depth];
                for (int t = 0; t < depth; t++)
                {
                    chain[t] = levels[i, t]!;
                    w[t] = isQuantized
                        ? ReadQuantizedLevel(quantized[i, t] ?? throw Fail($"{TreeName(i)}the quantised section for level {t} is missing."), header.Precision, chain[t])
                        : weights[i, t] ?? throw Fail($"{TreeName(i)}the weights section for level {t} is missing.");
                }
                try
                {
                    models[i] = new XLinearModel(new ClusterChain(chain), w, header.FeatureCount, header.Bias);
                    if (isQuantized) QuantizedModels.Mark(models[i], header.Precision);
                }
                catch (ArgumentException ex)
                {
                    throw Fail($"{TreeName(i)}the sections do not form a valid model: {ex.Message}", ex);
                }
            }
            try
            {
                return new XLinearEnsemble(models);
            }
            catch (ArgumentException ex)
            {
                throw Fail($"the trees do not form a valid ensemble: {ex.Message}", ex);
            }
        }

        /// <summary>
        /// The depth of every tree: a tree's tree-level sections must be levels 0..d-1 with no gap. Trees may differ
        /// in depth; the header records the deepest, which some tree must reach.
        /// </summary>
        private int[] TreeDepths(Header header, Func<int, int, bool> hasLevel)
        {
            var depths = new int[header.TreeCount];
            for (int i = 0; i < depths.Length; i++)
            {
                int tree = i;
                depths[i] = TreeDepth(tree, header.Depth, t => hasLevel(tree, t));
            }
            if (depths.Max() != header.Depth) throw Fail($"the tree section for level {depths.Max()} is missing.");
            return depths;
        }

        private int TreeDepth(int tree, int headerDepth, Func<int, bool> hasLevel)
        {
            int depth = 0;
            while (depth < headerDepth && hasLevel(depth)) depth++;
            if (depth == 0) throw Fail($"{TreeName(tree)}the tree section for level 0 is missing.");
            for (int t = depth; t < headerDepth; t++)
                if (hasLevel(t)) throw Fail($"{TreeName(tree)}the tree section for level {depth} is missing.");
            return depth;
        }

        private static string TreeName(int tree) => tree == 0 ? "" : $"tree {tree}: ";

        private CsrMatrix ReadChainLevel(SectionEntry e)
        {
            var pre = new byte[PreambleSize];
            ReadAt(pre, e.Offset);
            int nodes = BinaryPrimitives.ReadInt32LittleEndian(pre), parents = BinaryPrimitives.ReadInt32LittleEndian(pre.AsSpan(4));
            long expected = Align(PreambleSize) + 4L * nodes;
            if (nodes < 0 || parents <= 0 || expected != e.Length)
                throw Fail($"section '{e.Name}' records {nodes} nodes and {parents} parents, which does not match its length {e.Length}.");
            var parentIds = ReadArray<int>(e.Offset + PreambleSize, nodes);
            return ClusterChain.LevelFromParents(parentIds, parents);
        }

        /// <summary>A quantised level read into managed arrays, checked as a mapped one is, and decoded to CSC weights.</summary>
        private unsafe CscMatrix ReadQuantizedLevel(SectionEntry e, WeightPrecision precision, CsrMatrix chainLevel)
        {
            var pre = new byte[PreambleSize];
            ReadAt(pre, e.Offset);
            var l = QuantizedLevelSection.Plan(pre, e, precision, path);
            var tree = new TreeLevel(chainLevel);
            var arrays = new QuantizedLevelArrays
            {
                Precision = precision,
                BiasRow = l.BiasRow,
                ChunkRowStart = ReadArray<int>(l.ChunkRowStartAt, l.Parents + 1),
                DenseChunk = ReadArray<byte>(l.DenseAt, l.Parents),
                RowIds = ReadArray<int>(l.RowIdsAt, l.Rows),
                RowPtr = ReadArray<long>(l.RowPtrAt, l.Rows + 1),
                Entries = ReadArray<byte>(l.EntriesAt, (int)l.EntryBytes),
                FeatureRowStart = ReadArray<int>(l.FeatureRowStartAt, l.BiasRow + 1),
                FeatureRows = ReadArray<long>(l.FeatureRowsAt, (int)l.FeatureRows),
            };
            // The same structural checks as a mapped open, so decoding cannot index outside the arrays.
            fixed (int* chunkRowStart = arrays.ChunkRowStart, rowIds = arrays.RowIds, featureRowStart = arrays.FeatureRowStart)
            fixed (byte* dense = arrays.DenseChunk, entries = arrays.Entries)
            fixed (long* rowPtr = arrays.RowPtr, featureRows = arrays.FeatureRows)
            {
                new ChunkedLevelView(l.BiasRow, l.Parents, l.Rows, l.EntryBytes, l.FeatureRows, chunkRowStart, dense, rowIds, rowPtr, (int*)entries,
                    featureRowStart, featureRows, precision).Validate(tree, l.BiasRow, path, e.Name);
            }
            return arrays.ToCsc(tree);
        }

        private CscMatrix ReadWeights(SectionEntry e)
        {
            var pre = new byte[PreambleSize];
            ReadAt(pre, e.Offset);
            int rows = BinaryPrimitives.ReadInt32LittleEndian(pre), cols = BinaryPrimitives.ReadInt32LittleEndian(pre.AsSpan(4));
            long nnz = BinaryPrimitives.ReadInt64LittleEndian(pre.AsSpan(8));
            long ptrAt = e.Offset + PreambleSize;
            long idxAt = Align(ptrAt + 8L * (cols + 1L));
            long valAt = Align(idxAt + 4L * nnz);
            if (rows < 0 || cols < 0 || nnz < 0 || nnz > Array.MaxLength || valAt + 4L * nnz != e.Offset + e.Length)
                throw Fail($"section '{e.Name}' records a {rows}x{cols} matrix with {nnz} non-zeros, which does not match its length {e.Length}.");
            var colPtr = ReadArray<long>(ptrAt, cols + 1);
            var rowIdx = ReadArray<int>(idxAt, (int)nnz);
            var values = ReadArray<float>(valAt, (int)nnz);
            return new CscMatrix(rows, cols, colPtr, rowIdx, values);
        }

        private T[] ReadArray<T>(long offset, int count) where T : unmanaged
        {
            var data = new T[count];
            const int chunk = 1 << 24;
            int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            for (int start = 0; start < count; start += chunk)
            {
                int n = Math.Min(chunk, count - start);
                ReadAt(MemoryMarshal.AsBytes(data.AsSpan(start, n)), offset + (long)start * size);
            }
            return data;
        }

        private int ReadAt(Span<byte> buffer, long offset) => PositionalRead.Fill(handle, buffer, offset);
    }
}
