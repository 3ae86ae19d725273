using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Text;
using XmrEngine.Persistence;

namespace XmrEngine.Apps.AutoComplete;

/// <summary>
/// Saves and loads <see cref="QacModel"/> as a directory: <c>qac.json</c> (format, version, settings),
/// <c>labels.tsv</c> (<c>count&lt;TAB&gt;query</c> per label, in label-id order), <c>previous.tfidf</c> and
/// <c>prefix.tfidf</c> (the vectorizers), <c>xlinear.xmr</c> (the XR-Linear model) and, for a model with a fusion
/// ranker, <c>ranker.json</c> (its own format name and version; <c>qac.json</c> names it, so a model saved before
/// fusion existed loads without one and ranks as it did). The files live in a
/// version sub-directory that the pointer file <c>CURRENT</c> names (<see cref="VersionedDirectory"/>): a save
/// writes a complete new version and then replaces the pointer atomically, so a save killed at any moment
/// leaves the old or the new model loadable, never neither. Loading resolves the pointer (falling back to
/// the newest complete version after an interrupted save, and reading models saved with the files directly
/// in the directory), checks every part and names the file (and line) that is wrong.
/// </summary>
internal static class QacModelFile
{
    /// <summary>Format name stored in <c>qac.json</c>.</summary>
    public const string Format = "xmr-qac";

    /// <summary>Format version this build writes and reads.</summary>
    public const int Version = 1;

    internal const string SettingsFile = "qac.json", LabelsFile = "labels.tsv", PreviousFile = "previous.tfidf",
        PrefixFile = "prefix.tfidf", XLinearFile = "xlinear.xmr", RankerFile = "ranker.json";

    /// <summary>Writes <paramref name="model"/> to the directory <paramref name="path"/>, replacing the model there if there is one.</summary>
    /// <exception cref="ArgumentException">A label holds a tab or line break (it would not round-trip).</exception>
    /// <exception cref="IOException">The path is a file or a directory that holds something other than a QAC model,
    /// or another save to it is in progress.</exception>
    public static void Save(string path, QacModel model)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        for (int i = 0; i < model.Labels.Count; i++)
            if (model.Labels[i].AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
                throw new ArgumentException($"Label {i} contains a tab or line break; clean labels with QueryText.Clean.", nameof(model));
        string full = Path.GetFullPath(path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (File.Exists(full)) throw new IOException($"{path}: is a file; a QAC model is a directory.");
        Directory.CreateDirectory(Path.GetDirectoryName(full) ?? throw new ArgumentException($"{path}: has no parent directory.", nameof(path)));
        VersionedDirectory.Write(path, SettingsFile, temp =>
        {
            File.WriteAllText(Path.Combine(temp, SettingsFile), SettingsJson(model), new UTF8Encoding(false));
            var labels = new StringBuilder();
            for (int i = 0; i < model.Labels.Count; i++)
                labels.Append(model.Counts[i].ToString(CultureInfo.InvariantCulture)).Append('\t').Append(model.Labels[i]).Append('\n');
            File.WriteAllText(Path.Combine(temp, LabelsFile), labels.ToString(), new UTF8Encoding(false));
            model.Featurizer.Previous.Save(Path.Combine(temp, PreviousFile));
            model.Featurizer.Prefix.Save(Path.Combine(temp, PrefixFile));
            // With the compiled levels, so a load maps them instead of compiling the weights: a server swapping in a
            // new version then allocates a fraction of what compiling would (measured on AOL: 56 -> 17 MB a load).
            XLinearModelFile.Save(Path.Combine(temp, XLinearFile), model.XLinear, compiledLayout: true);
            model.Ranker?.Save(Path.Combine(temp, RankerFile));
        });
    }

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="XmrDataException">A part is missing or malformed; the message names the file and line.</exception>
    public static QacModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path)) throw new DirectoryNotFoundException($"{path}: is a file; a QAC model is a directory.");
        return VersionedDirectory.Load(path, SettingsFile, resolved =>
        {
            var model = LoadFrom(resolved);
            model.Version = Serving.ModelVersions.OfLoadedFolder(path, resolved);
            return model;
        });
    }

    /// <summary>True for a folder whose current version holds <c>qac.json</c>; never throws.</summary>
    public static bool IsModelDirectory(string path) => VersionedDirectory.Holds(path, SettingsFile);

    /// <summary>Loads the files of one model version (or of a model in the flat layout) from <paramref name="path"/>.</summary>
    private static QacModel LoadFrom(string path)
    {
        string Part(string name)
        {
            string p = Path.Combine(path, name);
            if (!File.Exists(p)) throw new XmrDataException(p, null, null, null, "missing (is this a QAC model directory written by xmr qac train?)");
            return p;
        }
        var (settings, rankerFile) = ParseSettings(Part(SettingsFile));
        var (labels, counts) = ReadLabels(Part(LabelsFile));
        TfidfVectorizer previous, prefix;
        try
        {
            previous = TfidfVectorizer.Load(Part(PreviousFile));
            prefix = TfidfVectorizer.Load(Part(PrefixFile));
        }
        catch (ArgumentException e)
        {
            throw new XmrDataException(path, null, null, "vectorizer", e.Message, e);
        }
        var ranker = rankerFile is null ? null : QacRanker.Load(Part(rankerFile));
        string weights = Part(XLinearFile);
        // Mapped (a folder saved before the compiled levels were kept is read and compiled instead); the CSC weights
        // are read only if asked for (QacModel.XLinear). A version folder's files are never rewritten in place.
        var predictor = XLinearModelFile.OpenMapped(weights, null, verifyChecksums: true, out _);
        try
        {
            return new QacModel(new QacFeaturizer(previous, prefix), labels, counts, predictor,
                new Lazy<XLinearModel>(() => XLinearModelFile.Load(weights)), ownsPredictor: true, settings, ranker);
        }
        catch (ArgumentException e)
        {
            predictor.Dispose();
            throw new XmrDataException(path, null, null, null, $"the model's parts do not fit together: {e.Message}", e);
        }
    }

    /// <summary>
    /// The search settings as the typed prediction record: the beam width, and the labels taken from the beam
    /// search (<see cref="QacModelSettings.CandidateCount"/>) as its top-k; the post-processor is the default one
    /// the suggestion search always uses.
    /// </summary>
    private static PredictOptions Search(QacModelSettings s) => new() { BeamSize = s.BeamSize, TopK = s.CandidateCount };

    private static string SettingsJson(QacModel model)
    {
        var s = model.Settings;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteNumber("version", Version);
            w.WriteString("indexer", s.Indexer.ToName());
            w.WriteNumber("trie_depth", s.TrieDepth);
            // beam_size, top_k, post_processor: the fields every model file and app manifest writes the same way.
            ModelMetadata.WritePrediction(w, Search(s));
            w.WriteNumber("prefixes_per_pair", s.PrefixesPerPair);
            w.WriteNumber("min_popular_count", s.MinPopularCount);
            w.WriteNumber("session_gap_minutes", s.Data.SessionGap.TotalMinutes);
            w.WriteNumber("train_fraction", s.Data.TrainFraction);
            w.WriteNumber("seed", s.Data.Seed);
            w.WriteNumber("max_users", s.Data.MaxUsers);
            w.WriteNumber("holdout_users", s.Data.HoldoutUsers);
            w.WriteNumber("labels", model.Labels.Count);
            if (model.Ranker is not null) w.WriteString("ranker", RankerFile);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A malformed settings file, naming it.</summary>
    private static XmrDataException Bad(string file, string problem) => new(file, null, null, "settings", problem);

    /// <summary>The settings, and the ranker's file name when the model has one.</summary>
    private static (QacModelSettings Settings, string? RankerFile) ParseSettings(string file)
    {
        try
        {
            string text = File.ReadAllText(file);
            var root = JsonNode.Parse(text) as JsonObject ?? throw Bad(file, "the top level is not a JSON object");
            T Get<T>(string key) => (root[key] ?? throw Bad(file, $"the key \"{key}\" is missing")).GetValue<T>();
            if (Get<string>("format") != Format) throw Bad(file, $"\"format\" is not \"{Format}\"");
            int version = Get<int>("version");
            if (version != Version) throw Bad(file, $"version {version} is not supported (this build reads version {Version})");
            var data = new QacDataOptions
            {
                SessionGap = TimeSpan.FromMinutes(Get<double>("session_gap_minutes")),
                TrainFraction = Get<double>("train_fraction"),
                Seed = Get<int>("seed"),
                MaxUsers = Get<int>("max_users"),
                // Models saved before user hold-out existed trained on every user.
                HoldoutUsers = root["holdout_users"] is { } holdout ? holdout.GetValue<double>() : 0,
            };
            var search = ReadSearch(root, text, file);
            int beam = search.BeamSize, candidates = search.TopK, depth = Get<int>("trie_depth"), prefixes = Get<int>("prefixes_per_pair");
            if (beam < 1 || candidates < 1 || depth < 1 || prefixes < 1)
                throw Bad(file, "beam_size, candidate_count, trie_depth and prefixes_per_pair must be positive");
            // Models saved before fusion existed have no ranker; the only name this build writes is accepted.
            string? ranker = root["ranker"]?.GetValue<string>();
            if (ranker is not null && ranker != RankerFile) throw Bad(file, $"\"ranker\" is \"{ranker}\"; expected \"{RankerFile}\"");
            // Models saved before the setting existed offered every query on popularity.
            int minPopular = root["min_popular_count"] is { } min ? min.GetValue<int>() : 1;
            if (minPopular < 1) throw Bad(file, $"\"min_popular_count\" is {minPopular}; it must be at least 1");
            var settings = new QacModelSettings(QacIndexerKindNames.Parse(Get<string>("indexer")), depth, beam, candidates, prefixes, data)
            {
                MinPopularCount = minPopular,
            };
            return (settings, ranker);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            // JSON that does not parse, or a value of the wrong type (JsonNode.GetValue).
            throw new XmrDataException(file, null, null, "settings", e.Message, e);
        }
    }

    /// <summary>
    /// The typed search settings. Files written before the typed record have <c>beam_size</c> and
    /// <c>candidate_count</c> and no <c>top_k</c>; the candidate count is their top-k.
    /// </summary>
    private static PredictOptions ReadSearch(JsonObject root, string text, string file)
    {
        if (root["beam_size"] is null) throw Bad(file, "the key \"beam_size\" is missing");
        using var doc = JsonDocument.Parse(text);
        var fallback = PredictOptions.Default;
        if (root["top_k"] is null)
        {
            var legacy = root["candidate_count"] ?? throw Bad(file, "the key \"top_k\" is missing");
            int count = legacy.GetValue<int>();
            if (count < 1) throw Bad(file, "beam_size, candidate_count, trie_depth and prefixes_per_pair must be positive");
            fallback = fallback with { TopK = count };
        }
        var search = ModelMetadata.ReadPrediction(doc.RootElement, fallback, file);
        // The suggestion search has always used the default post-processor; a file asking for another was not written here.
        if (search.PostProcessor.Name != PredictOptions.Default.PostProcessor.Name)
            throw Bad(file, $"\"post_processor\" is \"{search.PostProcessor.Name}\"; QAC models search with \"{PredictOptions.Default.PostProcessor.Name}\"");
        return search;
    }

    private static (string[] Labels, int[] Counts) ReadLabels(string file)
    {
        var labels = new List<string>();
        var counts = new List<int>();
        long lineNo = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNo++;
            int tab = line.IndexOf('\t');
            if (tab < 0) throw new XmrDataException(file, lineNo, null, "label", "expected 'count<TAB>query'");
            if (!int.TryParse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1)
                throw new XmrDataException(file, lineNo, null, "count", $"'{line[..tab]}' is not a positive integer");
            if (tab == line.Length - 1) throw new XmrDataException(file, lineNo, null, "query", "the query is empty");
            labels.Add(line[(tab + 1)..]);
            counts.Add(count);
        }
        if (labels.Count == 0) throw new XmrDataException(file, null, null, null, "holds no labels");
        return (labels.ToArray(), counts.ToArray());
    }
}
