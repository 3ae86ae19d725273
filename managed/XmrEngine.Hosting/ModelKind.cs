namespace XmrEngine.Hosting;

/// <summary>What a served model answers, which decides the endpoint that reaches it.</summary>
public enum ModelKind
{
    /// <summary>An XR-Linear model (an XmrEngine <c>.xmr</c> file or a PECOS XLinearModel directory): sparse rows in, labels out.</summary>
    XLinear,

    /// <summary>A product-retrieval directory (<c>xmr text2text train</c>): query text in, products out.</summary>
    ProductRetrieval,

    /// <summary>A session-aware auto-complete directory (<c>xmr qac train</c>): previous query and prefix in, queries out.</summary>
    AutoComplete,
}

/// <summary>The names of <see cref="ModelKind"/> used in JSON and metrics.</summary>
public static class ModelKindNames
{
    /// <summary>"xlinear", "products" or "qac": the kind's path segment in the endpoints.</summary>
    public static string ToName(this ModelKind kind) => kind switch
    {
        ModelKind.XLinear => "xlinear",
        ModelKind.ProductRetrieval => "products",
        ModelKind.AutoComplete => "qac",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown model kind."),
    };
}
