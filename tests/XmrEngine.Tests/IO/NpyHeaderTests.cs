using System.Text;
using XmrEngine.IO;
using static XmrEngine.Tests.IO.NpzTestArchive;

namespace XmrEngine.Tests.IO;

public class NpyHeaderTests
{
    private static readonly Func<string, string, Exception> Fail = (name, problem) => new XmrDataException("h.npy", null, null, name, problem);

    private static NpyHeader Parse(byte[] npy)
    {
        var (header, length) = NpyHeader.Read(new MemoryStream(npy), Fail);
        Assert.That(length % 16, Is.Zero, "test headers are padded");
        return header;
    }

    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 1)]
    [TestCase("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (3,)}", 1)]
    [TestCase("{ 'shape' : ( 3 , ) , 'fortran_order':False,'descr':'<f4' }", 2)]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (3L,), }", 3)]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': [3], 'extra': None, }", 1)]
    public void ParsesHeaderVariants(string dict, int major)
    {
        var h = Parse(Npy("<f4", "", [], major, dict));
        Assert.That(h.Dtype.Kind, Is.EqualTo(NpyKind.Float));
        Assert.That(h.Dtype.ItemSize, Is.EqualTo(4));
        Assert.That(h.Shape, Is.EqualTo(new long[] { 3 }));
        Assert.That(h.FortranOrder, Is.False);
    }

    [TestCase("()", new long[0])]
    [TestCase("(0,)", new long[] { 0 })]
    [TestCase("(2, 3, 4)", new long[] { 2, 3, 4 })]
    public void ParsesShapes(string shape, long[] expected) =>
        Assert.That(Parse(Npy("<f8", shape, [])).Shape, Is.EqualTo(expected));

    [TestCase("<U3", "Unicode", 12)]
    [TestCase("|S3", "Bytes", 3)]
    [TestCase("|b1", "Bool", 1)]
    [TestCase("=i8", "SignedInt", 8)]
    [TestCase("<u2", "UnsignedInt", 2)]
    [TestCase(">u1", "UnsignedInt", 1)]
    public void ParsesDtypes(string descr, string kind, int size)
    {
        Assert.That(NpyDtype.TryParse(descr, out var d, out string error), Is.True, error);
        Assert.That((d.Kind.ToString(), d.ItemSize), Is.EqualTo((kind, size)));
    }

    [TestCase(new long[0])]
    [TestCase(new long[] { 5 })]
    [TestCase(new long[] { 123456789012, 7 })]
    public void WrittenHeadersAreAlignedAndReadBack(long[] shape)
    {
        byte[] bytes = new NpyHeader(NpyDtype.Float32, false, shape).ToBytes();
        Assert.That(bytes.Length % 64, Is.Zero);
        Assert.That(bytes[^1], Is.EqualTo((byte)'\n'));
        var (h, length) = NpyHeader.Read(new MemoryStream(bytes), Fail);
        Assert.That(length, Is.EqualTo(bytes.Length));
        Assert.That(h.Shape, Is.EqualTo(shape));
        Assert.That(h.Dtype.Descr, Is.EqualTo("<f4"));
    }

    [Test]
    public void OversizedHeaderLengthIsRejectedBeforeReading()
    {
        byte[] bytes = [0x93, .. "NUMPY"u8, 2, 0, 0xFF, 0xFF, 0xFF, 0x7F];
        var e = Assert.Throws<XmrDataException>(() => NpyHeader.Read(new MemoryStream(bytes), Fail))!;
        Assert.That(e.Field, Is.EqualTo("header length"));
    }

    [Test]
    public void RandomHeaderTextNeverEscapesAsAnotherException()
    {
        var rng = new Random(17);
        byte[] alphabet = Encoding.ASCII.GetBytes("{}()[]'\":,-0123456789 LTrueFalseNonedescrshapefortran_order<>|f4i8U3\\");
        for (int trial = 0; trial < 5000; trial++)
        {
            var text = new byte[rng.Next(0, 80)];
            for (int k = 0; k < text.Length; k++) text[k] = alphabet[rng.Next(alphabet.Length)];
            var npy = Npy("<f4", "", [], 1, Encoding.ASCII.GetString(text));
            try
            {
                NpyHeader.Read(new MemoryStream(npy), Fail);
            }
            catch (XmrDataException)
            {
                // Expected for nearly all inputs.
            }
        }
    }
}
