using System.Buffers.Binary;
using System.Text;
using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

/// <summary>
/// Damage that keeps the zip structure and the NPY header intact must still be caught by the members'
/// CRC-32, as SciPy (Python's zipfile) does: otherwise a flipped bit silently changes the matrix.
/// </summary>
public class NpzCrcTests
{
    // 1.5 = 0x3FC00000, so flipping the low bit of its top byte gives 0.375: still a valid, finite float.
    private static CsrMatrix Matrix() => new(2, 3, [0, 1, 3], [1, 0, 2], [1.5f, 1.5f, 1.5f]);

    [Test]
    public void AFlippedDataByteInAStoredMemberIsRejectedWithFileAndMemberNamed()
    {
        using var dir = new TempDir();
        string path = dir.File("m.npz");
        NpzFormat.Write(path, Matrix(), compressed: false);
        var bytes = File.ReadAllBytes(path);
        var (start, length) = StoredMemberData(bytes, "data.npy");
        bytes[start + length - 1] ^= 0x01; // the top byte of the last float
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<XmrDataException>(() => NpzFormat.ReadCsr(path))!;
        Assert.That(e.FilePath, Is.EqualTo(path));
        Assert.That(e.Member, Is.EqualTo("data.npy"));
        Assert.That(e.Message, Does.Contain("Bad CRC-32").And.Contain(path).And.Contain("data.npy"));
    }

    [Test]
    public void ACrcMismatchWinsOverTheValueErrorTheDamageCauses()
    {
        using var dir = new TempDir();
        string path = dir.File("m.npz");
        NpzFormat.Write(path, Matrix(), compressed: false);
        var bytes = File.ReadAllBytes(path);
        var (start, length) = StoredMemberData(bytes, "indices.npy");
        bytes[start + length - 1] = 0x7F; // the last column index becomes huge: out of range
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<XmrDataException>(() => NpzFormat.ReadCsr(path))!;
        Assert.That(e.Member, Is.EqualTo("indices.npy"));
        Assert.That(e.Message, Does.Contain("Bad CRC-32"), "the corruption, not its symptom, is reported");
    }

    [Test]
    public void ADeflatedMemberWhoseBytesDoNotMatchItsRecordedCrcIsRejected()
    {
        using var dir = new TempDir();
        string path = dir.File("m.npz");
        NpzFormat.Write(path, Matrix(), compressed: true);
        var bytes = File.ReadAllBytes(path);
        // Flipping a deflate byte mostly breaks the deflate stream itself (already an error); changing the
        // recorded CRC instead leaves data that inflates fine but differs from what was written.
        SetRecordedCrc(bytes, "shape.npy", 0x12345678);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<XmrDataException>(() => NpzFormat.ReadCsr(path))!;
        Assert.That(e.Member, Is.EqualTo("shape.npy"));
        Assert.That(e.Message, Does.Contain("Bad CRC-32").And.Contain(path));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void IntactArchivesStillRead(bool compressed)
    {
        using var dir = new TempDir();
        string path = dir.File("m.npz");
        NpzFormat.Write(path, Matrix(), compressed);
        MatrixAssert.Equal(Matrix(), NpzFormat.ReadCsr(path));
    }

    /// <summary>Where a stored member's bytes are, from its local file header.</summary>
    private static (int Start, int Length) StoredMemberData(byte[] zip, string member)
    {
        int at = FindHeader(zip, 0x04034b50, 30, 26, member);
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 8)), Is.Zero, "the member must be stored");
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 26));
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28));
        int central = FindHeader(zip, 0x02014b50, 46, 28, member);
        int size = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(central + 20)));
        return (at + 30 + nameLength + extraLength, size);
    }

    /// <summary>Overwrites the CRC in the member's central directory record and local header.</summary>
    private static void SetRecordedCrc(byte[] zip, string member, uint crc)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(FindHeader(zip, 0x02014b50, 46, 28, member) + 16), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(FindHeader(zip, 0x04034b50, 30, 26, member) + 14), crc);
    }

    private static int FindHeader(byte[] zip, uint signature, int nameOffset, int nameLengthOffset, string member)
    {
        var name = Encoding.ASCII.GetBytes(member);
        for (int i = 0; i + nameOffset + name.Length <= zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) != signature) continue;
            if (BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + nameLengthOffset)) != name.Length) continue;
            if (zip.AsSpan(i + nameOffset, name.Length).SequenceEqual(name)) return i;
        }
        throw new AssertionException($"no header for {member}");
    }
}
