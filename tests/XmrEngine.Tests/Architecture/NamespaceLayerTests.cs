using XmrEngine.Sparse;

namespace XmrEngine.Tests.Architecture;

/// <summary>
/// The core's namespaces are layered as ARCHITECTURE.md lists them: a type uses only types of its own layer and of
/// the layers before it. Checked on the built assembly's metadata and IL (<see cref="NamespaceLayers"/>), so a use
/// in a method body counts as much as one in a signature; every namespace of the core must be placed in the list.
/// </summary>
public sealed class NamespaceLayerTests
{
    /// <summary>
    /// The core's layers, lowest first, named below <c>XmrEngine</c>: the list in ARCHITECTURE.md. A layer may name
    /// a namespace that does not exist (yet); a namespace of the core that no layer names fails the test.
    /// </summary>
    private static readonly string[][] Layers =
    [
        ["Common"],
        ["Sparse"],
        ["Evaluation", "Synthetic"],
        ["IO"],
        ["Ann"],
        ["Kernels"],
        ["Indexing"],
        ["Models"],
        ["Inference"],
        ["Training"],
        ["Persistence"],
        ["Sharding"],
        ["Serving"],
    ];

    private static string CorePath => typeof(CsrMatrix).Assembly.Location;

    [Test]
    public void CoreNamespacesUseOnlyTheirOwnAndEarlierLayers()
    {
        var report = NamespaceLayers.Check(CorePath, "XmrEngine", Layers);
        Assert.Multiple(() =>
        {
            Assert.That(report.Unlisted, Is.Empty,
                "namespaces of the core that the layer list does not place: add each to Layers here and to ARCHITECTURE.md");
            Assert.That(report.Upward.Count, Is.Zero, () => "uses of a type of a later layer (using type -> used type (where)):\n" + Describe(report));
        });
    }

    /// <summary>The check can fail: with the order reversed, every real use points to a later layer.</summary>
    [Test]
    public void ReversedOrderReportsTheUsesAsUpward()
    {
        var reversed = Layers.Reverse().ToArray();
        var report = NamespaceLayers.Check(CorePath, "XmrEngine", reversed);
        var pairs = report.Upward.Select(r => (r.From.FullName, r.To.FullName)).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(report.Unlisted, Is.Empty);
            Assert.That(pairs, Does.Contain(("XmrEngine.IO.NpzFormat", "XmrEngine.Sparse.CsrMatrix")), "IO uses Sparse");
            Assert.That(report.Upward.Any(r => r.Site.EndsWith("(IL)", StringComparison.Ordinal)), "a method-body use");
            Assert.That(Describe(report), Does.Contain("XmrEngine.IO.NpzFormat -> XmrEngine.Sparse.CsrMatrix ("), "the message names both types");
        });
    }

    [Test]
    public void ANamespaceTheListDoesNotPlaceIsReported()
    {
        var withoutSharding = Layers.Select(layer => layer.Where(n => n != "Sharding").ToArray()).ToArray();
        var report = NamespaceLayers.Check(CorePath, "XmrEngine", withoutSharding);
        Assert.That(report.Unlisted, Is.EqualTo(new[] { "XmrEngine.Sharding" }));
    }

    /// <summary>
    /// On the fixture below, where Lower uses Upper in each way C# can: base type, field, signature, attribute, and
    /// only inside method bodies (a call, a generic argument, a lambda's compiler-made closure). Upper using Lower is allowed.
    /// </summary>
    [Test]
    public void EveryKindOfUseCounts()
    {
        var report = NamespaceLayers.Check(typeof(NamespaceLayerTests).Assembly.Location,
            "XmrEngine.Tests.Architecture.LayerFixture", [["Lower"], ["Upper"]]);
        var pairs = report.Upward.Select(r => $"{r.From.Name} -> {r.To.Name}").Distinct().Order(StringComparer.Ordinal);
        Assert.That(pairs, Is.EqualTo(new[]
        {
            "CallsInBody -> UpperCalled",
            "Derived -> UpperBase",
            "GenericArgumentInBody -> UpperGeneric",
            "HasAttribute -> UpperAttribute",
            "HasField -> UpperField",
            "HasParameter -> UpperParameter",
            "LambdaInBody -> UpperMadeInLambda",
        }), Describe(report));
    }

    private static string Describe(NamespaceLayers.Report report) =>
        string.Join("\n", report.Upward
            .GroupBy(r => (From: r.From.FullName, To: r.To.FullName))
            .OrderBy(g => g.Key.From, StringComparer.Ordinal).ThenBy(g => g.Key.To, StringComparer.Ordinal)
            .Select(g => $"  {g.Key.From} -> {g.Key.To} ({string.Join("; ", g.Select(r => r.Site).Distinct())})"));
}
