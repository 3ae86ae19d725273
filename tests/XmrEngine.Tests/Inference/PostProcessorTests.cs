using XmrEngine.Inference;

namespace XmrEngine.Tests.Inference;

public class PostProcessorTests
{
    [TestCase("l1-hinge", 0.25, 0.75)]
    [TestCase("l2-hinge", 0.5, 0.25)]
    [TestCase("l3-hinge", 0.5, 0.125)]
    [TestCase("l4-hinge", -1.0, 16.0)]
    [TestCase("l3-hinge", 2.0, 0.0)]
    [TestCase("l3-hinge", 1.0, 0.0)]
    [TestCase("l3-hinge", 0.0, 1.0)]
    public void LpHinge_IsExpOfMinusHingePower(string name, double v, double hingePower)
    {
        var post = PostProcessor.Parse(name);
        Assert.That(post.Transform((float)v), Is.EqualTo(Math.Exp(-hingePower)).Within(1e-6));
        Assert.That(PostProcessor.Parse("log-" + name).Transform((float)v), Is.EqualTo(-hingePower).Within(1e-5));
        Assert.That(post.Combine(0.5f, 0.25f), Is.EqualTo(0.125f));
        Assert.That(PostProcessor.Parse("log-" + name).Combine(0.5f, 0.25f), Is.EqualTo(0.75f));
    }

    [Test]
    public void Sigmoids()
    {
        Assert.That(PostProcessor.Sigmoid.Transform(0f), Is.EqualTo(0.5f));
        Assert.That(PostProcessor.Sigmoid.Transform(2f), Is.EqualTo(1 / (1 + Math.Exp(-2))).Within(1e-6));
        Assert.That(PostProcessor.LogSigmoid.Transform(0f), Is.EqualTo(-Math.Log(2)).Within(1e-6));
        Assert.That(PostProcessor.LogSigmoid.Transform(-3f), Is.EqualTo(-Math.Log(1 + Math.Exp(3))).Within(1e-5));
        Assert.That(PostProcessor.LogSigmoid.Transform(-200f), Is.EqualTo(-200f).Within(1e-4), "stays finite where the naive form overflows");
        Assert.That(PostProcessor.LogSigmoid.Transform(200f), Is.EqualTo(0f).Within(1e-6));
        Assert.That(PostProcessor.Sigmoid.Transform(-200f), Is.EqualTo(0f));
        Assert.That(PostProcessor.Sigmoid.Combine(0.5f, 0.5f), Is.EqualTo(0.25f));
        Assert.That(PostProcessor.LogSigmoid.Combine(-1f, -2f), Is.EqualTo(-3f));
    }

    [Test]
    public void Noop_IsIdentityAndKeepsChild()
    {
        Assert.That(PostProcessor.Noop.Transform(-3.5f), Is.EqualTo(-3.5f));
        Assert.That(PostProcessor.Noop.Combine(0.3f, 100f), Is.EqualTo(0.3f));
    }

    [TestCase("noop")]
    [TestCase("sigmoid")]
    [TestCase("log-sigmoid")]
    [TestCase("l3-hinge")]
    [TestCase("log-l2-hinge")]
    [TestCase("l12-hinge")]
    public void Parse_RoundTripsName(string name) => Assert.That(PostProcessor.Parse(name).Name, Is.EqualTo(name));

    [TestCase("")]
    [TestCase("l-hinge")]
    [TestCase("l0-hinge")]
    [TestCase("lx-hinge")]
    [TestCase("log-hinge")]
    [TestCase("L3-hinge")]
    [TestCase("l3-hing")]
    [TestCase("softmax")]
    public void Parse_RejectsUnknownNames(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => PostProcessor.Parse(name));
        Assert.That(ex!.Message, Does.Contain($"'{name}'"));
        Assert.That(PostProcessor.TryParse(name, out _), Is.False);
    }

    [Test]
    public void Default_IsL3Hinge()
    {
        Assert.That(PredictOptions.Default.PostProcessor, Is.EqualTo(PostProcessor.L3Hinge));
        Assert.That(PredictOptions.Default.BeamSize, Is.EqualTo(10));
        Assert.That(PredictOptions.Default.TopK, Is.EqualTo(10));
    }

    [Test]
    public void Options_RejectBadValues()
    {
        Assert.That(() => new PredictOptions { BeamSize = 0 }, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("BeamSize"));
        Assert.That(() => new PredictOptions { TopK = -1 }, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("TopK"));
        Assert.That(() => new PredictOptions { PostProcessor = null! }, Throws.TypeOf<ArgumentNullException>());
    }
}
