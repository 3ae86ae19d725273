using System.Text;
using System.Text.Json;
using XmrEngine.IO;

namespace XmrEngine.Text;

/// <summary>
/// Reads and writes vectorizer settings in PECOS's JSON shape:
/// <c>{"type":"tfidf","kwargs":{"base_vect_configs":[{...},{...}],"norm":"l2"}}</c>, or with a single base
/// vectorizer's keys directly inside <c>kwargs</c>. Base keys are PECOS's (<c>ngram_range</c>,
/// <c>truncate_length</c> or <c>max_length</c>, <c>max_feature</c>, <c>min_df_ratio</c>, <c>max_df_ratio</c>,
/// <c>min_df_cnt</c>, <c>max_df_cnt</c>, <c>binary</c>, <c>use_idf</c>, <c>smooth_idf</c>, <c>sublinear_tf</c>,
/// <c>keep_frequent_feature</c>, <c>norm</c>, <c>norm_p</c>, <c>analyzer</c>, <c>buffer_size</c>,
/// <c>threads</c>) plus five of ours (<c>lowercase</c>, <c>idf_formula</c>, <c>position_weighted</c>,
/// <c>stemmer</c> = "none" | "porter", <c>stop_words</c> = "none" | "english"; the last two default to "none", so
/// settings written before they existed still read the same).
/// <c>buffer_size</c> and <c>threads</c> are accepted for compatibility and ignored: the thread count is an
/// argument of Fit. Unknown or repeated keys, wrong types and out-of-range values are errors that give the
/// JSON path of the offending key.
/// </summary>
internal static class TfidfConfigJson
{
    /// <summary>The name that stands for the file in errors about config JSON given inline, not in a file.</summary>
    public const string InlineSource = "vectorizer config";

    private static readonly string[] BaseKeys =
    [
        "ngram_range", "truncate_length", "max_length", "max_feature", "min_df_ratio", "max_df_ratio", "min_df_cnt",
        "max_df_cnt", "binary", "use_idf", "smooth_idf", "sublinear_tf", "keep_frequent_feature", "norm", "norm_p",
        "analyzer", "buffer_size", "threads", "lowercase", "idf_formula", "position_weighted", "stemmer", "stop_words",
    ];

    private static readonly string[] MetaKeys = ["base_vect_configs", "norm", "norm_p", "buffer_size", "threads"];
    private static readonly string[] RootKeys = ["type", "kwargs"];

    /// <summary>Parses PECOS's combined or single vectorizer config.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">The file it came from, or a name for inline text (<see cref="InlineSource"/>).</param>
    /// <exception cref="XmrDataException">Malformed JSON (with its line), or a bad key or value (the JSON path is the field).</exception>
    public static CombinedTfidfOptions Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            return ParseCore(json);
        }
        catch (ConfigError e)
        {
            // The text is a file of its own (or inline text), so its line number is the line to report.
            throw e.Line is long line
                ? new XmrDataException(source, line, null, null, $"malformed JSON at byte {e.Byte}: {e.Message}", e.InnerException)
                : new XmrDataException(source, null, null, e.JsonPath, e.Message, e.InnerException);
        }
    }

    private static CombinedTfidfOptions ParseCore(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ConfigError(null, ex.Message, ex, ex.LineNumber + 1, ex.BytePositionInLine + 1);
        }
        using (doc)
        {
            var root = doc.RootElement;
            ExpectObject(root, "$");
            var keys = CheckKeys(root, "$", RootKeys);
            if (!keys.TryGetValue("type", out var type)) throw Error("$", "missing key 'type' (expected \"tfidf\")");
            string typeName = GetString(type, "$.type");
            if (typeName != "tfidf") throw Error("$.type", $"unsupported vectorizer type \"{typeName}\"; only \"tfidf\" is supported");
            if (!keys.TryGetValue("kwargs", out var kwargs)) return new CombinedTfidfOptions();
            ExpectObject(kwargs, "$.kwargs");
            return ParseKwargs(kwargs, "$.kwargs");
        }
    }

    /// <summary>Parses one base vectorizer's settings from a JSON object in PECOS's base shape.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">The file holding it.</param>
    /// <param name="where">Where in <paramref name="source"/> the text is (for example "the settings of base 1"); it
    /// starts the exception's field.</param>
    /// <exception cref="XmrDataException">Malformed JSON, or a bad key or value.</exception>
    public static TfidfOptions ParseBase(string json, string source, string where)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            ExpectObject(doc.RootElement, "$");
            return ParseBase(doc.RootElement, "$");
        }
        catch (JsonException ex)
        {
            // The text is embedded in a binary file, so its own line number goes into the problem, not LineNumber.
            throw new XmrDataException(source, null, null, where,
                $"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}", ex);
        }
        catch (ConfigError e)
        {
            throw new XmrDataException(source, null, null, $"{where}, {e.JsonPath}", e.Message, e.InnerException);
        }
    }

    private static CombinedTfidfOptions ParseKwargs(JsonElement kwargs, string path)
    {
        bool combined = false;
        foreach (var p in kwargs.EnumerateObject()) combined |= p.Name == "base_vect_configs";
        if (!combined)
        {
            var single = ParseBase(kwargs, path);
            return new CombinedTfidfOptions { Bases = [single], Norm = single.Norm };
        }

        var keys = CheckKeys(kwargs, path, MetaKeys);
        var list = keys["base_vect_configs"];
        string listPath = path + ".base_vect_configs";
        if (list.ValueKind != JsonValueKind.Array) throw Error(listPath, $"expected an array of objects, got {Show(list)}");
        var bases = new List<TfidfOptions>();
        int i = 0;
        foreach (var item in list.EnumerateArray())
        {
            string itemPath = $"{listPath}[{i++}]";
            ExpectObject(item, itemPath);
            bases.Add(ParseBase(item, itemPath));
        }
        if (bases.Count == 0) throw Error(listPath, "needs at least one base vectorizer config");
        var norm = TfidfNorm.L2;
        if (keys.TryGetValue("norm", out var n)) norm = ParseNorm(n, path + ".norm");
        if (keys.TryGetValue("norm_p", out var np)) norm = ParseNorm(np, path + ".norm_p");
        if (keys.TryGetValue("buffer_size", out var bs)) GetNonNegativeInt(bs, path + ".buffer_size");
        if (keys.TryGetValue("threads", out var th)) GetInt(th, path + ".threads");
        return new CombinedTfidfOptions { Bases = bases, Norm = norm };
    }

    private static TfidfOptions ParseBase(JsonElement obj, string path)
    {
        var o = new TfidfOptions();
        foreach (var (key, v) in CheckKeys(obj, path, BaseKeys))
        {
            string p = path + "." + key;
            switch (key)
            {
                case "ngram_range":
                    if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 2)
                        throw Error(p, $"expected [min_ngram, max_ngram], got {Show(v)}");
                    o = o with { MinNgram = GetInt(v[0], p + "[0]"), MaxNgram = GetInt(v[1], p + "[1]") };
                    break;
                case "truncate_length": case "max_length": o = o with { TruncateLength = GetInt(v, p) }; break;
                case "max_feature": o = o with { MaxFeatures = GetInt(v, p) }; break;
                case "min_df_ratio": o = o with { MinDfRatio = GetDouble(v, p) }; break;
                case "max_df_ratio": o = o with { MaxDfRatio = GetDouble(v, p) }; break;
                case "min_df_cnt": o = o with { MinDfCount = GetInt(v, p) }; break;
                case "max_df_cnt": o = o with { MaxDfCount = GetInt(v, p) }; break;
                case "binary": o = o with { Binary = GetBool(v, p) }; break;
                case "use_idf": o = o with { UseIdf = GetBool(v, p) }; break;
                case "smooth_idf": o = o with { SmoothIdf = GetBool(v, p) }; break;
                case "sublinear_tf": o = o with { SublinearTf = GetBool(v, p) }; break;
                case "keep_frequent_feature": o = o with { KeepFrequentFeatures = GetBool(v, p) }; break;
                case "norm": case "norm_p": o = o with { Norm = ParseNorm(v, p) }; break;
                case "analyzer": o = o with { Analyzer = ParseAnalyzer(v, p) }; break;
                case "buffer_size": GetNonNegativeInt(v, p); break;
                case "threads": GetInt(v, p); break;
                case "lowercase": o = o with { Lowercase = GetBool(v, p) }; break;
                case "position_weighted": o = o with { PositionWeighted = GetBool(v, p) }; break;
                case "stemmer":
                    o = o with
                    {
                        Stemmer = GetString(v, p) switch
                        {
                            "none" => WordStemmer.None,
                            "porter" => WordStemmer.Porter,
                            var s => throw Error(p, $"expected \"none\" or \"porter\", got \"{s}\""),
                        },
                    };
                    break;
                case "stop_words":
                    o = o with
                    {
                        StopWords = GetString(v, p) switch
                        {
                            "none" => StopWordList.None,
                            "english" => StopWordList.English,
                            var s => throw Error(p, $"expected \"none\" or \"english\", got \"{s}\""),
                        },
                    };
                    break;
                case "idf_formula":
                    o = o with
                    {
                        IdfFormula = GetString(v, p) switch
                        {
                            "pecos" => IdfFormula.Pecos,
                            "smooth" => IdfFormula.Smooth,
                            var s => throw Error(p, $"expected \"pecos\" or \"smooth\", got \"{s}\""),
                        },
                    };
                    break;
            }
        }
        try
        {
            o.Validate();
        }
        catch (ArgumentException ex)
        {
            throw Error(path, ex.Message);
        }
        return o;
    }

    /// <summary>Writes settings in PECOS's combined shape, every key explicit.</summary>
    public static string Write(CombinedTfidfOptions options)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("type", "tfidf");
            w.WriteStartObject("kwargs");
            w.WriteStartArray("base_vect_configs");
            foreach (var b in options.Bases) WriteBase(w, b);
            w.WriteEndArray();
            w.WriteString("norm", NormName(options.Norm));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes one base vectorizer's settings as a JSON object, every key explicit.</summary>
    public static string WriteBase(TfidfOptions options)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) WriteBase(w, options);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteBase(Utf8JsonWriter w, TfidfOptions o)
    {
        w.WriteStartObject();
        w.WriteStartArray("ngram_range");
        w.WriteNumberValue(o.MinNgram);
        w.WriteNumberValue(o.MaxNgram);
        w.WriteEndArray();
        w.WriteNumber("truncate_length", o.TruncateLength);
        w.WriteNumber("max_feature", o.MaxFeatures);
        w.WriteNumber("min_df_ratio", o.MinDfRatio);
        w.WriteNumber("max_df_ratio", o.MaxDfRatio);
        w.WriteNumber("min_df_cnt", o.MinDfCount);
        w.WriteNumber("max_df_cnt", o.MaxDfCount);
        w.WriteBoolean("binary", o.Binary);
        w.WriteBoolean("use_idf", o.UseIdf);
        w.WriteBoolean("smooth_idf", o.SmoothIdf);
        w.WriteBoolean("sublinear_tf", o.SublinearTf);
        w.WriteBoolean("keep_frequent_feature", o.KeepFrequentFeatures);
        w.WriteString("norm", NormName(o.Norm));
        w.WriteString("analyzer", o.Analyzer switch
        {
            TextAnalyzer.Word => "word",
            TextAnalyzer.Char => "char",
            _ => "char_wb",
        });
        w.WriteBoolean("lowercase", o.Lowercase);
        w.WriteString("idf_formula", o.IdfFormula == IdfFormula.Pecos ? "pecos" : "smooth");
        w.WriteBoolean("position_weighted", o.PositionWeighted);
        w.WriteString("stemmer", o.Stemmer == WordStemmer.Porter ? "porter" : "none");
        w.WriteString("stop_words", o.StopWords == StopWordList.English ? "english" : "none");
        w.WriteEndObject();
    }

    private static string NormName(TfidfNorm n) => n switch
    {
        TfidfNorm.L1 => "l1",
        TfidfNorm.L2 => "l2",
        _ => "none",
    };

    private static TfidfNorm ParseNorm(JsonElement v, string path)
    {
        if (v.ValueKind == JsonValueKind.Number)
        {
            return GetInt(v, path) switch
            {
                1 => TfidfNorm.L1,
                2 => TfidfNorm.L2,
                var k => throw Error(path, $"expected 1 or 2, got {k}"),
            };
        }
        return GetString(v, path) switch
        {
            "l1" => TfidfNorm.L1,
            "l2" => TfidfNorm.L2,
            "none" => TfidfNorm.None,
            var s => throw Error(path, $"expected \"l1\", \"l2\" or \"none\", got \"{s}\""),
        };
    }

    private static TextAnalyzer ParseAnalyzer(JsonElement v, string path) => GetString(v, path) switch
    {
        "word" => TextAnalyzer.Word,
        "char" => TextAnalyzer.Char,
        "char_wb" => TextAnalyzer.CharWordBounded,
        var s => throw Error(path, $"expected \"word\", \"char\" or \"char_wb\", got \"{s}\""),
    };

    /// <summary>Collects an object's properties, rejecting unknown and repeated keys.</summary>
    private static Dictionary<string, JsonElement> CheckKeys(JsonElement obj, string path, string[] allowed)
    {
        var seen = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, p.Name) < 0)
            {
                string hint = Suggest(p.Name, allowed) is { } s ? $" (did you mean '{s}'?)" : "";
                throw Error(path, $"unknown key '{p.Name}'{hint}; known keys: {string.Join(", ", allowed)}");
            }
            if (!seen.TryAdd(p.Name, p.Value)) throw Error(path, $"key '{p.Name}' appears more than once");
        }
        return seen;
    }

    /// <summary>
    /// The known key a misspelt one most likely meant: one that extends or shortens it (e.g. "ngram" for
    /// "ngram_range"), else the closest within two edits.
    /// </summary>
    private static string? Suggest(string key, string[] allowed)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var a in allowed)
        {
            if (key.Length < 3 || !(a.StartsWith(key, StringComparison.Ordinal) || key.StartsWith(a, StringComparison.Ordinal))) continue;
            int d = Math.Abs(a.Length - key.Length);
            if (d < bestDistance)
            {
                best = a;
                bestDistance = d;
            }
        }
        if (best is not null) return best;
        bestDistance = 3;
        foreach (var a in allowed)
        {
            int d = EditDistance(key, a);
            if (d < bestDistance)
            {
                best = a;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int EditDistance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }

    private static void ExpectObject(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, got {Show(v)}");
    }

    private static int GetInt(JsonElement v, string path)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)) return i;
        throw Error(path, $"expected an integer, got {Show(v)}");
    }

    private static int GetNonNegativeInt(JsonElement v, string path)
    {
        int i = GetInt(v, path);
        return i >= 0 ? i : throw Error(path, $"expected a non-negative integer, got {i}");
    }

    private static double GetDouble(JsonElement v, string path)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d)) return d;
        throw Error(path, $"expected a number, got {Show(v)}");
    }

    private static bool GetBool(JsonElement v, string path) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error(path, $"expected true or false, got {Show(v)}"),
    };

    private static string GetString(JsonElement v, string path) =>
        v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error(path, $"expected a string, got {Show(v)}");

    private static string Show(JsonElement v)
    {
        string raw = v.GetRawText();
        return raw.Length > 60 ? raw[..60] + "..." : raw;
    }

    private static ConfigError Error(string path, string what) => new(path, what);

    /// <summary>
    /// A bad key or value found deep in the parse, where the source name is not known; the public entry points
    /// turn it into an <see cref="XmrDataException"/>, so it never escapes this class.
    /// </summary>
    private sealed class ConfigError(string? jsonPath, string problem, Exception? inner = null, long? line = null, long? bytePosition = null)
        : Exception(problem, inner)
    {
        /// <summary>The JSON path of the offending key (for example <c>$.kwargs.norm</c>), or null for malformed JSON.</summary>
        public string? JsonPath { get; } = jsonPath;

        /// <summary>The 1-based line of malformed JSON, or null.</summary>
        public long? Line { get; } = line;

        /// <summary>The 1-based byte in <see cref="Line"/> of malformed JSON, or null.</summary>
        public long? Byte { get; } = bytePosition;
    }
}
