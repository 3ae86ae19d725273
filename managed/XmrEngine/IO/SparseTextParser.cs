using System.Globalization;
using System.Text;
using XmrEngine.Common;
using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>Index bounds for one parse, with the words used in error messages to say where they came from.</summary>
/// <param name="Labels">Label ids must be below this.</param>
/// <param name="Features">Feature ids must be below this (after subtracting the index base).</param>
/// <param name="LabelSource">Where the label bound comes from, e.g. "the header's L".</param>
/// <param name="FeatureSource">Where the feature bound comes from.</param>
/// <param name="FeatureIndexBase">Feature id written for column 0 (0 for XMC, often 1 for LIBSVM).</param>
internal readonly record struct RowLimits(int Labels, int Features, string LabelSource, string FeatureSource, int FeatureIndexBase);

/// <summary>
/// Parses one data line of the XMC / LIBSVM family, <c>l1,l2 f:v f:v</c>, straight from UTF-8 bytes.
/// The first token holds the labels unless the line starts with a space or tab (no labels); each label
/// is <c>id</c> or <c>id:weight</c> (weight 1 when absent). Features are <c>id:value</c> tokens separated
/// by spaces or tabs. Ids are unsigned decimal integers; values are finite floats. Rows are sorted by id
/// when out of order; a repeated id within one row is rejected because it is ambiguous.
/// </summary>
internal static class SparseTextParser
{
    /// <summary>Largest id accepted, so that "max id + 1" still fits in an int dimension.</summary>
    public const int MaxId = int.MaxValue - 1;

    public static void ParseRow(ReadOnlySpan<byte> line, CsrAccumulator labels, CsrAccumulator features, in RowLimits limits, string path, long lineNumber)
    {
        int pos = 0;
        if (line.Length > 0 && !IsBlank(line[0]))
        {
            int end = line.IndexOfAny((byte)' ', (byte)'\t');
            if (end < 0) end = line.Length;
            ParseLabels(line[..end], labels, limits, path, lineNumber);
            pos = end;
        }
        while (true)
        {
            while (pos < line.Length && IsBlank(line[pos])) pos++;
            if (pos == line.Length) break;
            int len = line[pos..].IndexOfAny((byte)' ', (byte)'\t');
            if (len < 0) len = line.Length - pos;
            ParseFeature(line.Slice(pos, len), features, limits, path, lineNumber);
            pos += len;
        }
        int dupLabel = labels.FinishRow();
        if (dupLabel >= 0) throw Error(path, lineNumber, "label id", $"label {dupLabel} appears more than once in the row.");
        int dupFeature = features.FinishRow();
        if (dupFeature >= 0)
            throw Error(path, lineNumber, "feature id", $"feature {dupFeature + limits.FeatureIndexBase} appears more than once in the row.");
    }

    public static bool IsBlank(byte b) => b == (byte)' ' || b == (byte)'\t';

    /// <summary>Whether the line holds only spaces and tabs.</summary>
    public static bool IsBlankLine(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0;

    private static void ParseLabels(ReadOnlySpan<byte> token, CsrAccumulator labels, in RowLimits limits, string path, long lineNumber)
    {
        var rest = token;
        while (true)
        {
            int comma = rest.IndexOf((byte)',');
            var part = comma < 0 ? rest : rest[..comma];
            int colon = part.IndexOf((byte)':');
            var idText = colon < 0 ? part : part[..colon];
            int id = ParseId(idText, "label id", path, lineNumber);
            if (id >= limits.Labels)
                throw Error(path, lineNumber, "label id", $"{id} is out of range [0, {limits.Labels}) set by {limits.LabelSource}.");
            float weight = colon < 0 ? 1f : ParseValue(part[(colon + 1)..], "label weight", path, lineNumber);
            if (labels.IsFull) throw Error(path, lineNumber, "label id", $"more than {Array.MaxLength} labels in total.");
            labels.Add(id, weight);
            if (comma < 0) return;
            rest = rest[(comma + 1)..];
        }
    }

    private static void ParseFeature(ReadOnlySpan<byte> token, CsrAccumulator features, in RowLimits limits, string path, long lineNumber)
    {
        int colon = token.IndexOf((byte)':');
        if (colon < 0)
            throw Error(path, lineNumber, "feature", $"'{Show(token)}' is not an id:value pair.");
        int id = ParseId(token[..colon], "feature id", path, lineNumber);
        int column = id - limits.FeatureIndexBase;
        if (column < 0)
            throw Error(path, lineNumber, "feature id", $"{id} is below the index base {limits.FeatureIndexBase}.");
        if (column >= limits.Features)
            throw Error(path, lineNumber, "feature id",
                $"{id} is out of range [{limits.FeatureIndexBase}, {(long)limits.Features + limits.FeatureIndexBase}) set by {limits.FeatureSource}.");
        float value = ParseValue(token[(colon + 1)..], "feature value", path, lineNumber);
        if (features.IsFull) throw Error(path, lineNumber, "feature", $"more than {Array.MaxLength} features in total.");
        features.Add(column, value);
    }

    private static int ParseId(ReadOnlySpan<byte> text, string field, string path, long lineNumber)
    {
        if (text.Length == 0 || text.Length > 10)
            throw Error(path, lineNumber, field, $"'{Show(text)}' is not a non-negative integer id.");
        long id = 0;
        foreach (byte b in text)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9) throw Error(path, lineNumber, field, $"'{Show(text)}' is not a non-negative integer id.");
            id = id * 10 + digit;
        }
        if (id > MaxId) throw Error(path, lineNumber, field, $"{id} is larger than the supported maximum {MaxId}.");
        return (int)id;
    }

    private static float ParseValue(ReadOnlySpan<byte> text, string field, string path, long lineNumber)
    {
        if (TryParseSimpleDecimal(text, out float fast)) return fast;
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
        {
            // Python and C write "inf"; .NET does not parse it, but the user should hear the real problem.
            var unsigned = text.Length > 0 && text[0] is (byte)'+' or (byte)'-' ? text[1..] : text;
            throw Error(path, lineNumber, field, System.Text.Ascii.EqualsIgnoreCase(unsigned, "inf"u8)
                ? $"'{Show(text)}' is NaN, infinite or outside the float range."
                : $"'{Show(text)}' is not a number.");
        }
        if (!float.IsFinite(value))
            throw Error(path, lineNumber, field, $"'{Show(text)}' is NaN, infinite or outside the float range.");
        return value;
    }

    private static readonly float[] PowersOfTen = [1f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    /// <summary>
    /// Fast exact path for plain decimals such as <c>1</c>, <c>-0.25</c> or <c>0.1234567</c>: when the digits form
    /// an integer m &lt;= 2^24 and there are k &lt;= 10 fraction digits, both m and 10^k are exact floats, so the
    /// single IEEE division m / 10^k is the correctly rounded result (the same float the full parser returns).
    /// Anything else (more digits, exponents, words) returns false and takes the general parser.
    /// </summary>
    private static bool TryParseSimpleDecimal(ReadOnlySpan<byte> text, out float value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }
        int mantissa = 0, fractionDigits = 0, digits = 0;
        bool dot = false;
        for (; i < text.Length; i++)
        {
            byte b = text[i];
            uint d = (uint)(b - '0');
            if (d <= 9)
            {
                mantissa = mantissa * 10 + (int)d;
                if (mantissa > 1 << 24) return false;
                digits++;
                if (dot && ++fractionDigits > 10) return false;
            }
            else if (b == (byte)'.' && !dot)
            {
                dot = true;
            }
            else
            {
                return false;
            }
        }
        if (digits == 0) return false;
        float magnitude = mantissa / PowersOfTen[fractionDigits];
        value = negative ? -magnitude : magnitude;
        return true;
    }

    /// <summary>The token as text for an error message, shortened so a garbage line cannot flood it.</summary>
    private static string Show(ReadOnlySpan<byte> token)
    {
        const int Max = 40;
        string s = Encoding.UTF8.GetString(token.Length > Max ? token[..Max] : token);
        return token.Length > Max ? s + "..." : s;
    }

    public static XmrDataException Error(string path, long lineNumber, string field, string problem) =>
        new(path, lineNumber, null, field, problem);
}
