using XmrEngine.Synthetic;

namespace XmrEngine.Tests.Synthetic;

public class SyntheticXmrGeneratorTests
{
    private static readonly SyntheticXmrOptions Small = new() { Instances = 2000, Features = 5000, Labels = 800, Seed = 3 };

    [Test]
    public void SameSeedGivesSameDataForAnyThreadCount()
    {
        var (x1, y1) = SyntheticXmrGenerator.Generate(Small, threads: 1);
        var (x2, y2) = SyntheticXmrGenerator.Generate(Small, threads: 2);
        Assert.That(x2.Indices.ToArray(), Is.EqualTo(x1.Indices.ToArray()));
        Assert.That(x2.Values.ToArray(), Is.EqualTo(x1.Values.ToArray()));
        Assert.That(y2.Indices.ToArray(), Is.EqualTo(y1.Indices.ToArray()));
    }

    [Test]
    public void ShapesRowNormsAndLabelCountsAreAsAsked()
    {
        var (x, y) = SyntheticXmrGenerator.Generate(Small);
        Assert.That((x.Rows, x.Cols, y.Rows, y.Cols), Is.EqualTo((2000, 5000, 2000, 800)));
        for (int r = 0; r < x.Rows; r++)
        {
            double s = 0;
            foreach (float v in x.Row(r).Values) s += v * v;
            Assert.That(s, Is.EqualTo(1.0).Within(1e-4), $"row {r}");
            Assert.That(y.RowLength(r), Is.GreaterThanOrEqualTo(1));
        }
        double meanLabels = (double)y.Nnz / y.Rows;
        Assert.That(meanLabels, Is.InRange(2.5, 3.5));
    }

    [Test]
    public void LabelPopularityIsHeavyTailed()
    {
        var (_, y) = SyntheticXmrGenerator.Generate(Small);
        var freq = new int[y.Cols];
        foreach (int l in y.Indices) freq[l]++;
        Array.Sort(freq);
        Array.Reverse(freq);
        // The 1% most popular labels carry far more than 1% of the positives.
        long head = freq.Take(8).Sum();
        Assert.That(head / (double)y.Nnz, Is.GreaterThan(0.15));
    }

    [Test]
    public void BadOptionsNameTheField()
    {
        var ex = Assert.Throws<ArgumentException>(() => SyntheticXmrGenerator.Generate(Small with { Labels = 0 }));
        Assert.That(ex!.Message, Does.Contain("Labels"));
    }
}
