using System.Buffers.Binary;
using System.Text;
using XmrEngine.Inference;
using XmrEngine.IO;
using static XmrEngine.Persistence.ModelFileFormat;

namespace XmrEngine.Persistence;

/// <summary>
/// The optional calibration section of a model file: the model's <see cref="ScoreCalibration"/>. Files without it load
/// as before; older builds refuse a file that has it (an unknown section kind), which is what a model whose
/// probabilities they could not give should do. Layout, little-endian, unaligned (the section is a few kilobytes and
/// is read, never mapped):
/// <code>
/// [0, 64)   u32 layout version (1), u32 method (0 isotonic, 1 Platt), u32 on-logit flag, u32 knot count n,
///           f64 slope, f64 intercept, u32 post-processor name bytes p, u32 description bytes d, zero to 64
/// then      post-processor name (UTF-8, p bytes), description (UTF-8, d bytes), f64 knot scores [n], f64 knot probabilities [n]
/// </code>
/// Reading validates what <see cref="ScoreCalibration"/> requires (finite, monotone, probabilities in [0, 1]) and names
/// the file and the section when something is wrong.
/// </summary>
internal static class CalibrationSection
{
    private const int LayoutVersion = 1;
    private const int Preamble = 64;

    /// <summary>The section holding <paramref name="calibration"/>.</summary>
    public static ModelFileSection Build(ScoreCalibration calibration)
    {
        var name = Encoding.UTF8.GetBytes(calibration.PostProcessor);
        var description = Encoding.UTF8.GetBytes(calibration.Description);
        int n = calibration.KnotScores.Count;
        var bytes = new byte[Preamble + name.Length + description.Length + 16L * n];
        var b = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(b, LayoutVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], (uint)calibration.Method);
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], calibration.OnLogit ? 1u : 0u);
        BinaryPrimitives.WriteInt32LittleEndian(b[12..], n);
        BinaryPrimitives.WriteDoubleLittleEndian(b[16..], calibration.Slope);
        BinaryPrimitives.WriteDoubleLittleEndian(b[24..], calibration.Intercept);
        BinaryPrimitives.WriteInt32LittleEndian(b[32..], name.Length);
        BinaryPrimitives.WriteInt32LittleEndian(b[36..], description.Length);
        int at = Preamble;
        name.CopyTo(b[at..]);
        at += name.Length;
        description.CopyTo(b[at..]);
        at += description.Length;
        for (int i = 0; i < n; i++, at += 8) BinaryPrimitives.WriteDoubleLittleEndian(b[at..], calibration.KnotScores[i]);
        for (int i = 0; i < n; i++, at += 8) BinaryPrimitives.WriteDoubleLittleEndian(b[at..], calibration.KnotProbabilities[i]);
        return new ModelFileSection(SectionKind.Calibration, -1).Bytes(bytes);
    }

    /// <summary>The calibration stored in <paramref name="bytes"/>, the whole section <paramref name="entry"/> of <paramref name="path"/>.</summary>
    /// <exception cref="XmrDataException">The section is malformed or the map is not a valid calibration (not finite, not monotone,
    /// a probability outside [0, 1]); names the file and the section.</exception>
    public static ScoreCalibration Read(ReadOnlySpan<byte> bytes, string path, SectionEntry entry)
    {
        XmrDataException Bad(string problem, Exception? inner = null) => new(path, null, null, $"section '{entry.Name}'", problem, inner);
        if (bytes.Length < Preamble) throw Bad($"the section has {bytes.Length} bytes, fewer than its {Preamble}-byte preamble.");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (version != LayoutVersion) throw Bad($"unsupported calibration layout {version}; this build reads layout {LayoutVersion}.");
        uint method = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        uint onLogit = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        int n = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        double slope = BinaryPrimitives.ReadDoubleLittleEndian(bytes[16..]), intercept = BinaryPrimitives.ReadDoubleLittleEndian(bytes[24..]);
        int nameLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[32..]), descriptionLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[36..]);
        if (n < 0 || nameLength < 0 || descriptionLength < 0 || onLogit > 1
            || (long)Preamble + nameLength + descriptionLength + 16L * n != bytes.Length)
            throw Bad($"the section records {n} knots, a {nameLength}-byte post-processor name and a {descriptionLength}-byte description, which do not match its length {bytes.Length}.");
        int at = Preamble;
        string name = Encoding.UTF8.GetString(bytes.Slice(at, nameLength));
        at += nameLength;
        string description = Encoding.UTF8.GetString(bytes.Slice(at, descriptionLength));
        at += descriptionLength;
        var scores = new double[n];
        var probabilities = new double[n];
        for (int i = 0; i < n; i++, at += 8) scores[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[at..]);
        for (int i = 0; i < n; i++, at += 8) probabilities[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[at..]);
        try
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("the post-processor name is empty.");
            return (CalibrationMethod)method switch
            {
                CalibrationMethod.Isotonic when onLogit == 0 && slope == 0 && intercept == 0 => ScoreCalibration.Isotonic(scores, probabilities, name, description),
                CalibrationMethod.Platt when n == 0 => ScoreCalibration.Platt(slope, intercept, onLogit == 1, name, description),
                _ => throw new ArgumentException($"method {method} with {n} knots, slope {slope} and intercept {intercept} is not a calibration this build knows."),
            };
        }
        catch (ArgumentException e)
        {
            throw Bad($"the calibration map is not valid: {e.Message}", e);
        }
    }
}
