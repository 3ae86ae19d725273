using System.Buffers.Binary;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Serving;
using XmrEngine.Tests.Inference;
using XmrEngine.Tests.Models;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Calibration;

/// <summary>
/// The model file's optional calibration section: saved and read back (read and mapped), absent from files saved
/// without a calibration (which load as before), and validated on reading with the file and the section named.
/// </summary>
public class CalibrationFileTests
{
    private const uint CalibrationKind = 6;
    private TempDir _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDir();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static readonly ScoreCalibration Isotonic = ScoreCalibration.Isotonic([0.01, 0.2, 0.2, 0.6, 0.95], [0.0, 0.1, 0.3, 0.7, 0.99], "l3-hinge", "isotonic chosen for the test");
    private static readonly ScoreCalibration Platt = ScoreCalibration.Platt(1.7, -0.4, onLogit: true, "l3-hinge", "Platt chosen for the test");

    private string Save(ScoreCalibration? calibration, string name = "model.xmr", bool compiled = true)
    {
        var model = RandomModels.Model(2, 80, 0.1, seed: 9);
        string path = _temp.File(name);
        XLinearModelFile.Save(path, model, new ModelMetadata { Calibration = calibration }, compiledLayout: compiled);
        return path;
    }

    private static readonly double[] Grid = Enumerable.Range(-5, 121).Select(i => i / 100.0).ToArray();

    [TestCase(true, true)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(false, false)]
    public void RoundTrip_ReadAndMapped_GivesTheSameMap(bool isotonic, bool compiled)
    {
        var saved = isotonic ? Isotonic : Platt;
        string path = Save(saved, compiled: compiled);
        XLinearModelFile.Load(path, out var metadata);
        using var served = XLinearServingModel.Open(path);
        foreach (var loaded in new[] { metadata.Calibration!, served.Calibration! })
        {
            Assert.That(loaded.Method, Is.EqualTo(saved.Method));
            Assert.That((loaded.Slope, loaded.Intercept, loaded.OnLogit, loaded.PostProcessor, loaded.Description),
                Is.EqualTo((saved.Slope, saved.Intercept, saved.OnLogit, saved.PostProcessor, saved.Description)));
            Assert.That(loaded.KnotScores, Is.EqualTo(saved.KnotScores));
            Assert.That(Grid.Select(loaded.Probability), Is.EqualTo(Grid.Select(saved.Probability)));
        }
        Assert.That(served.Probability(0.6f), Is.EqualTo((float)saved.Probability(0.6f)));
        Assert.That(served.Probability(0.6f, served.Options(postProcessor: PostProcessor.Sigmoid)), Is.Null, "another post-processor's scores have no probability");
    }

    [Test]
    public void AFileWithoutCalibration_HasNoSection_AndLoadsWithNone()
    {
        string plain = Save(null, "plain.xmr");
        string calibrated = Save(Platt, "calibrated.xmr");
        var plainBytes = File.ReadAllBytes(plain);
        Assert.That(ModelFileSurgery.Sections(plainBytes).Select(s => s.Kind), Has.None.EqualTo(CalibrationKind), "the file format of uncalibrated models is unchanged");
        Assert.That(ModelFileSurgery.Sections(File.ReadAllBytes(calibrated)).Count(s => s.Kind == CalibrationKind), Is.EqualTo(1));
        XLinearModelFile.Load(plain, out var metadata);
        Assert.That(metadata.Calibration, Is.Null);
        using var served = XLinearServingModel.Open(plain);
        Assert.That(served.Calibration, Is.Null);
        Assert.That(served.Probability(0.5f), Is.Null);
        Assert.That(() => served.Probabilities(XmrEngine.Sparse.CsrMatrix.Empty(1, served.LabelCount)), Throws.InvalidOperationException.With.Message.Contains("no calibration"));
    }

    [Test]
    public void AFileSavedByAnEarlierBuild_StillLoads()
    {
        // An earlier build's file is a version-2 file without the section; byte-for-byte what this build writes without a
        // calibration, so rewriting the version word and resealing gives the oldest readable layout (version 1) as well.
        string path = Save(null, compiled: false);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 1);
        ModelFileSurgery.Reseal(bytes);
        File.WriteAllBytes(path, bytes);
        XLinearModelFile.Load(path, out var metadata);
        Assert.That(metadata.Calibration, Is.Null);
    }

    private static int CalibrationOffset(byte[] bytes) => (int)ModelFileSurgery.Sections(bytes).Single(s => s.Kind == CalibrationKind).Offset;

    [TestCase("probability", TestName = "ACorruptedCalibration_ProbabilityAboveOne_IsRefused_NamingTheFileAndSection")]
    [TestCase("decreasing", TestName = "ACorruptedCalibration_DecreasingMap_IsRefused_NamingTheFileAndSection")]
    [TestCase("nan", TestName = "ACorruptedCalibration_NaNScore_IsRefused_NamingTheFileAndSection")]
    [TestCase("length", TestName = "ACorruptedCalibration_WrongKnotCount_IsRefused_NamingTheFileAndSection")]
    public void ACorruptedCalibration_IsRefused(string damage)
    {
        string path = Save(Isotonic);
        var bytes = File.ReadAllBytes(path);
        int at = CalibrationOffset(bytes);
        int nameLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 32)), descriptionLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 36));
        int scores = at + 64 + nameLength + descriptionLength, probabilities = scores + 8 * Isotonic.KnotScores.Count;
        string expected = damage switch
        {
            "probability" => Write(bytes, probabilities + 8 * 4, 1.5, "not in [0, 1]"),
            "decreasing" => Write(bytes, probabilities + 8 * 2, 0.05, "monotone"),
            "nan" => Write(bytes, scores + 8, double.NaN, "not finite"),
            _ => WriteCount(bytes, at + 12, Isotonic.KnotScores.Count + 1),
        };
        ModelFileSurgery.Reseal(bytes);
        File.WriteAllBytes(path, bytes);
        Assert.That(() => XLinearModelFile.Load(path), Throws.TypeOf<XmrDataException>()
            .With.Message.Contains(path).And.Message.Contains("section 'calibration'").And.Message.Contains(expected));
        Assert.That(() => XLinearServingModel.Open(path), Throws.TypeOf<XmrDataException>()
            .With.Message.Contains(path).And.Message.Contains("section 'calibration'").And.Message.Contains(expected), "the mapped reader checks it too");
    }

    [Test]
    public void AFlippedCalibrationByte_FailsItsChecksum()
    {
        string path = Save(Platt);
        var bytes = File.ReadAllBytes(path);
        bytes[CalibrationOffset(bytes) + 17] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.That(() => XLinearModelFile.Load(path), Throws.TypeOf<XmrDataException>().With.Message.Contains("checksum mismatch in section 'calibration'"));
    }

    private static string Write(byte[] bytes, int offset, double value, string problem)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(offset), value);
        return problem;
    }

    private static string WriteCount(byte[] bytes, int offset, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
        return "do not match its length";
    }
}
