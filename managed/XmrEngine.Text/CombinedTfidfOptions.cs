using XmrEngine.IO;

namespace XmrEngine.Text;

/// <summary>
/// Settings of a combined vectorizer (PECOS's <c>tfidf</c> with <c>base_vect_configs</c>): several base
/// vectorizers whose rows are placed side by side and then scaled again to <see cref="Norm"/>.
/// </summary>
public sealed record CombinedTfidfOptions
{
    /// <summary>The base vectorizers, in output column order [one word unigram vectorizer].</summary>
    public IReadOnlyList<TfidfOptions> Bases { get; init; } = [new TfidfOptions()];

    /// <summary>Norm of the concatenated row [L2].</summary>
    public TfidfNorm Norm { get; init; } = TfidfNorm.L2;

    /// <summary>Throws when there is no base, a base is invalid or the norm is unknown.</summary>
    /// <exception cref="ArgumentException">The message names the base index and field.</exception>
    public void Validate()
    {
        if (Bases is null || Bases.Count == 0) throw new ArgumentException("CombinedTfidfOptions.Bases: needs at least one base vectorizer.", nameof(Bases));
        if (!Enum.IsDefined(Norm)) throw new ArgumentException($"CombinedTfidfOptions.Norm: unknown norm {(int)Norm}.", nameof(Norm));
        for (int i = 0; i < Bases.Count; i++)
        {
            if (Bases[i] is null) throw new ArgumentException($"CombinedTfidfOptions.Bases[{i}] is null.", nameof(Bases));
            try
            {
                Bases[i].Validate();
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"CombinedTfidfOptions.Bases[{i}]: {ex.Message}", nameof(Bases), ex);
            }
        }
    }

    /// <summary>
    /// Parses PECOS's vectorizer config JSON, e.g.
    /// <c>{"type":"tfidf","kwargs":{"base_vect_configs":[{"ngram_range":[1,2],"analyzer":"word"}],"norm":"l2"}}</c>,
    /// or the single-vectorizer form with base keys directly in <c>kwargs</c>.
    /// </summary>
    /// <exception cref="XmrDataException">Malformed JSON, an unknown or repeated key, a wrong type or an invalid
    /// value; <see cref="XmrDataException.FilePath"/> is <c>vectorizer config</c> (the text has no file) and
    /// <see cref="XmrDataException.Field"/> the JSON path of the offending key.</exception>
    public static CombinedTfidfOptions FromJson(string json) => TfidfConfigJson.Parse(json, TfidfConfigJson.InlineSource);

    /// <summary>Reads <see cref="FromJson"/>'s format from a UTF-8 file.</summary>
    /// <exception cref="XmrDataException">The content is invalid; names the file and the JSON path or line.</exception>
    public static CombinedTfidfOptions FromJsonFile(string path) => TfidfConfigJson.Parse(File.ReadAllText(path), path);

    /// <summary>The settings as PECOS-shaped JSON with every key explicit; <see cref="FromJson"/> reads it back.</summary>
    public string ToJson() => TfidfConfigJson.Write(this);
}
