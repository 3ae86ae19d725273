using XmrEngine.IO;
using System.Text;

namespace XmrEngine.Text;

/// <summary>
/// Binary file format of fitted vectorizers (little-endian). Strings are length-prefixed UTF-8 (the
/// BinaryWriter 7-bit length), so terms may hold tabs, newlines, quotes or any Unicode (PECOS's tab- and
/// newline-separated vocabulary file breaks on such terms, pecos issue #263).
/// <code>
/// "XMRTFIDF"  int32 version=1  byte kind (1 single, 2 combined)
/// combined:   byte norm  int32 baseCount
/// per base:   string optionsJson  int64 documentCount  int32 featureCount  featureCount x (string term, float32 idf)
/// "XMRTFEND"
/// </code>
/// Terms are stored in feature-id order. Saving is atomic; loading checks every field and reports the file,
/// the place and the problem.
/// </summary>
internal static class TfidfModelFile
{
    private static ReadOnlySpan<byte> Magic => "XMRTFIDF"u8;
    private static ReadOnlySpan<byte> Trailer => "XMRTFEND"u8;
    private const int Version = 1;
    private const byte KindSingle = 1, KindCombined = 2;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Save(string path, ITextVectorizer vectorizer) => AtomicFile.Write(path, stream =>
    {
        using var w = new BinaryWriter(stream, StrictUtf8, leaveOpen: true);
        w.Write(Magic);
        w.Write(Version);
        if (vectorizer is CombinedTfidfVectorizer c)
        {
            w.Write(KindCombined);
            w.Write((byte)c.Norm);
            w.Write(c.Bases.Count);
            foreach (var b in c.Bases) WriteBase(w, b);
        }
        else
        {
            w.Write(KindSingle);
            WriteBase(w, (TfidfVectorizer)vectorizer);
        }
        w.Write(Trailer);
    });

    private static void WriteBase(BinaryWriter w, TfidfVectorizer v)
    {
        w.Write(TfidfConfigJson.WriteBase(v.Options));
        w.Write(v.DocumentCount);
        w.Write(v.FeatureCount);
        var idf = v.Idf;
        for (int i = 0; i < v.FeatureCount; i++)
        {
            w.Write(v.Terms[i]);
            w.Write(idf[i]);
        }
    }

    public static ITextVectorizer Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var r = new BinaryReader(fs, StrictUtf8);
        string where = "the header";
        try
        {
            Span<byte> magic = stackalloc byte[8];
            r.BaseStream.ReadExactly(magic);
            if (!magic.SequenceEqual(Magic)) throw Bad(path, "not an XmrEngine TF-IDF vectorizer file (wrong magic bytes)");
            int version = r.ReadInt32();
            if (version != Version) throw Bad(path, $"format version {version} is not supported (expected {Version})");
            byte kind = r.ReadByte();
            ITextVectorizer result;
            if (kind == KindSingle)
            {
                result = ReadBase(r, path, "the vectorizer", ref where);
            }
            else if (kind == KindCombined)
            {
                where = "the combined header";
                byte norm = r.ReadByte();
                if (!Enum.IsDefined((TfidfNorm)norm)) throw Bad(path, $"unknown combined norm code {norm}");
                int count = r.ReadInt32();
                if (count <= 0 || count > 1024) throw Bad(path, $"base count {count} is out of range [1, 1024]");
                var bases = new TfidfVectorizer[count];
                for (int b = 0; b < count; b++) bases[b] = ReadBase(r, path, $"base {b}", ref where);
                where = "the combined vectorizer";
                result = new CombinedTfidfVectorizer(bases, (TfidfNorm)norm);
            }
            else
            {
                throw Bad(path, $"unknown vectorizer kind {kind}");
            }
            where = "the trailer";
            r.BaseStream.ReadExactly(magic);
            if (!magic.SequenceEqual(Trailer)) throw Bad(path, "the trailer is missing or damaged");
            if (fs.Position != fs.Length) throw Bad(path, $"{fs.Length - fs.Position} unexpected bytes after the trailer");
            return result;
        }
        catch (EndOfStreamException)
        {
            throw Bad(path, $"the file ends early, while reading {where}");
        }
        catch (DecoderFallbackException ex)
        {
            throw Bad(path, $"invalid UTF-8 in {where}: {ex.Message}");
        }
        catch (IOException ex) when (ex.GetType() == typeof(IOException))
        {
            // BinaryReader.ReadString raises a plain IOException for a corrupt length prefix (found by fuzzing a QAC
            // directory's vectorizer file): the file's content is damaged, not the file system.
            throw Bad(path, $"{where}: {ex.Message}");
        }
        catch (FormatException ex)
        {
            throw Bad(path, $"{where}: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            throw Bad(path, $"{where}: {ex.Message}");
        }
    }

    private static TfidfVectorizer ReadBase(BinaryReader r, string path, string name, ref string where)
    {
        where = $"the settings of {name}";
        var options = TfidfConfigJson.ParseBase(r.ReadString(), path, where);
        where = $"the counts of {name}";
        long documents = r.ReadInt64();
        if (documents <= 0) throw Bad(path, $"{name}: document count {documents} must be positive");
        int features = r.ReadInt32();
        long remaining = r.BaseStream.Length - r.BaseStream.Position;
        // Each feature takes at least 5 bytes (length byte + idf), which bounds a damaged count before allocating.
        if (features < 0 || features > remaining / 5) throw Bad(path, $"{name}: feature count {features} needs more than the {remaining} bytes left (the file ends early or the count is damaged)");
        // A fitted term has df >= 1, so no idf can exceed the one of a term seen once. A larger value (found by fuzzing:
        // idf 3e38 times a term frequency of 2 overflows float, and the row turns into inf and NaN) is damage.
        float maxIdf = VocabularyBuilder.Idf(documents, 1, options);
        var terms = new string[features];
        var idf = new float[features];
        for (int i = 0; i < features; i++)
        {
            where = $"{name}, feature {i}";
            terms[i] = r.ReadString();
            idf[i] = r.ReadSingle();
            if (!float.IsFinite(idf[i]) || idf[i] < 0) throw Bad(path, $"{name}, feature {i} (\"{terms[i]}\"): idf {idf[i]} is not a finite non-negative number");
            if (idf[i] > maxIdf)
                throw Bad(path, $"{name}, feature {i} (\"{terms[i]}\"): idf {idf[i]} exceeds {maxIdf}, the largest a term can have in {documents} documents with these settings");
        }
        where = $"the vocabulary of {name}";
        return new TfidfVectorizer(options, terms, idf, documents);
    }

    private static XmrDataException Bad(string path, string what) => new(path, null, null, null, $"{what}.");
}
