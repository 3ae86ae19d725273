// Types for NamespaceLayerTests.EveryKindOfUseCounts: Lower may not use Upper, and uses it in every way.

namespace XmrEngine.Tests.Architecture.LayerFixture.Upper
{
    internal class UpperBase;

    internal sealed class UpperField;

    internal sealed class UpperParameter;

    [AttributeUsage(AttributeTargets.Class)]
    internal sealed class UpperAttribute : Attribute;

    internal static class UpperCalled
    {
        public static int Value() => 1;
    }

    internal sealed class UpperGeneric;

    internal sealed class UpperMadeInLambda;

    /// <summary>The allowed direction.</summary>
    internal sealed class UsesLower
    {
        public Lower.Plain Field { get; } = new();
    }
}

namespace XmrEngine.Tests.Architecture.LayerFixture.Lower
{
    internal sealed class Plain;

    internal sealed class Derived : Upper.UpperBase;

    internal sealed class HasField
    {
        public Upper.UpperField? Field = null;
    }

    internal static class HasParameter
    {
        public static string Take(Upper.UpperParameter p) => p.ToString()!;
    }

    [Upper.Upper]
    internal sealed class HasAttribute;

    internal static class CallsInBody
    {
        public static int Run() => Upper.UpperCalled.Value();
    }

    internal static class GenericArgumentInBody
    {
        public static int Count() => new List<Upper.UpperGeneric>().Count;
    }

    internal static class LambdaInBody
    {
        public static Func<object> Make() => () => new Upper.UpperMadeInLambda();
    }
}
