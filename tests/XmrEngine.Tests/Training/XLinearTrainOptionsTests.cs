using XmrEngine.Kernels;
using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

public class XLinearTrainOptionsTests
{
    [Test]
    public void DefaultsArePecos()
    {
        var o = new XLinearTrainOptions();
        Assert.That((o.Solver, o.Cp, o.Cn, o.Eps, o.MaxIterations, o.Bias, o.Threshold, o.MaxNonzerosPerNode, o.Negatives, o.ManBeamSize),
            Is.EqualTo((SolverType.L2Hinge, 1.0, 1.0, 0.1, 100, 1f, 0.1f, 0, NegativeSampling.Tfn, 10)));
        Assert.That(o.Indexer.NrSplits, Is.EqualTo(16));
    }

    private static IEnumerable<TestCaseData> BadValues()
    {
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { Cp = 0 }), "Cp", "0");
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { Cn = -1 }), "Cn", "-1");
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { Eps = double.NaN }), "Eps", "NaN");
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { MaxIterations = 0 }), "MaxIterations", "0");
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { Bias = -0.5f }), "Bias", "-0.5");
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { Threshold = float.PositiveInfinity }), "Threshold", "Infinity");
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { MaxNonzerosPerNode = -1 }), "MaxNonzerosPerNode", "-1");
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { Threads = -2 }), "Threads", "-2");
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { ManBeamSize = 0 }), "ManBeamSize", "0");
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { Solver = (SolverType)9 }), "Solver", "9");
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { Negatives = 0 }), "Negatives", "0");
        yield return new TestCaseData((Func<XLinearTrainOptions>)(() => new() { Indexer = null! }), "Indexer", "null");
    }

    [TestCaseSource(nameof(BadValues))]
    public void BadValuesNameFieldAndValue(Func<XLinearTrainOptions> make, string field, string value)
    {
        var ex = Assert.Catch<ArgumentException>(() => make());
        Assert.That(ex!.Message, Does.Contain(field));
        if (value != "null") Assert.That(ex.Message, Does.Contain(value));
    }

    [Test]
    public void NamesRoundTrip()
    {
        foreach (var s in Enum.GetValues<SolverType>()) Assert.That(SolverTypeNames.Parse(s.ToName().ToUpperInvariant()), Is.EqualTo(s));
        foreach (var n in new[] { NegativeSampling.Tfn, NegativeSampling.Man, NegativeSampling.TfnMan })
            Assert.That(NegativeSamplingNames.Parse(n.ToName()), Is.EqualTo(n));
        Assert.That(NegativeSamplingNames.Parse(" man+tfn "), Is.EqualTo(NegativeSampling.TfnMan));
        Assert.That(() => SolverTypeNames.Parse("l3-hinge"), Throws.ArgumentException.With.Message.Contains("l3-hinge"));
        Assert.That(() => NegativeSamplingNames.Parse("usn"), Throws.ArgumentException.With.Message.Contains("usn"));
    }
}
