using Mono.Cecil;

namespace XmrEngine.Tests.Architecture;

/// <summary>
/// Checks an assembly's namespaces against a layer order: a type may use types of its own layer and the layers
/// listed before it, never one listed after it. Namespaces are named below a root (<c>Sparse</c> for
/// <c>XmrEngine.Sparse</c>); a deeper namespace (<c>XmrEngine.Kernels.Mkl</c>) belongs to its first segment's layer.
/// Compiler-made top-level types (<c>&lt;Module&gt;</c>, <c>&lt;PrivateImplementationDetails&gt;</c>, embedded
/// attributes) belong to no layer and are not checked.
/// </summary>
internal static class NamespaceLayers
{
    /// <summary>The outcome: the uses that point to a later layer, and the namespaces the order does not place.</summary>
    /// <param name="Upward">Each use of a type of a later layer (one per using type, used type and site).</param>
    /// <param name="Unlisted">Namespaces of the assembly's types that no layer names.</param>
    internal sealed record Report(IReadOnlyList<CoreTypeReference> Upward, IReadOnlyList<string> Unlisted)
    {
        public bool Holds => Upward.Count == 0 && Unlisted.Count == 0;
    }

    /// <summary>Reads the assembly at <paramref name="path"/> and checks it against <paramref name="layers"/>.</summary>
    public static Report Check(string path, string root, IReadOnlyList<string[]> layers)
    {
        // Reading an attribute's enum argument resolves the enum's assembly: look beside the assembly and in the runtime.
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        resolver.AddSearchDirectory(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory());
        using var module = ModuleDefinition.ReadModule(path, new ReaderParameters { AssemblyResolver = resolver });
        return Check(module, root, layers);
    }

    /// <summary>Checks <paramref name="module"/> against <paramref name="layers"/> (first = lowest: uses nothing after it).</summary>
    public static Report Check(ModuleDefinition module, string root, IReadOnlyList<string[]> layers)
    {
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < layers.Count; i++)
            foreach (string name in layers[i]) rank.Add(name, i);

        int? LayerOf(TypeDefinition type)
        {
            string top = TopNamespace(CoreTypeReference.NamespaceOf(type), root);
            return rank.TryGetValue(top, out int layer) ? layer : null;
        }

        var unlisted = module.Types
            .Where(t => !CoreTypeReferences.IsCompilerGenerated(t) && LayerOf(t) is null)
            .Select(t => t.Namespace)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var upward = CoreTypeReferences.Read(module)
            .Where(r => !IsCompilerMade(r.From) && !IsCompilerMade(r.To)
                && LayerOf(r.From) is int from && LayerOf(r.To) is int to && to > from)
            .ToList();
        return new Report(upward, unlisted);
    }

    /// <summary>The layer name of a namespace: its first segment below <paramref name="root"/> ("" for anything else, which no layer names).</summary>
    public static string TopNamespace(string ns, string root)
    {
        if (!ns.StartsWith(root + ".", StringComparison.Ordinal)) return ns == root ? root : "";
        string below = ns[(root.Length + 1)..];
        int dot = below.IndexOf('.');
        return dot < 0 ? below : below[..dot];
    }

    /// <summary>A type inside a compiler-made top-level type.</summary>
    private static bool IsCompilerMade(TypeDefinition type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return CoreTypeReferences.IsCompilerGenerated(type);
    }
}
