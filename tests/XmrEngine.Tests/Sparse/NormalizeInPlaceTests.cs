using XmrEngine.Sparse;

namespace XmrEngine.Tests.Sparse;

/// <summary>Row normalisation stays finite at the edges of float's range (a fuzzing finding: subnormal TF-IDF weights).</summary>
public class NormalizeInPlaceTests
{
    [TestCase(RowNorm.L2)]
    [TestCase(RowNorm.L1)]
    public void SubnormalValuesNormaliseToAUnitVector(RowNorm norm)
    {
        float tiny = BitConverter.Int32BitsToSingle(0xfe); // 3.6e-43, subnormal: 1/norm overflows float
        var values = new[] { tiny, 2 * tiny, tiny };
        SparseOps.NormalizeInPlace(values, norm);
        Assert.That(values.All(float.IsFinite), Is.True, string.Join(", ", values));
        double n = norm == RowNorm.L2 ? Math.Sqrt(values.Sum(v => (double)v * v)) : values.Sum(v => (double)Math.Abs(v));
        Assert.That(n, Is.EqualTo(1).Within(1e-6));
    }

    [Test]
    public void OrdinaryValuesAreScaledByTheFloatReciprocalAsBefore()
    {
        var values = new[] { 3f, 4f };
        SparseOps.NormalizeInPlace(values, RowNorm.L2);
        Assert.That(values, Is.EqualTo(new[] { 3f * (float)(1.0 / 5), 4f * (float)(1.0 / 5) }));
    }

    [Test]
    public void AZeroVectorStaysZero()
    {
        var values = new float[3];
        SparseOps.NormalizeInPlace(values, RowNorm.L2);
        Assert.That(values, Is.All.EqualTo(0f));
    }
}
