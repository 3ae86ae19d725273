using Mono.Cecil;
using Mono.Cecil.Cil;

namespace XmrEngine.Tests.Architecture;

/// <summary>One use of a core type by another core type: who (the source-level type), what, and where.</summary>
/// <param name="From">The using type (a compiler-made nested type, such as a lambda's closure, counts as the type it is in).</param>
/// <param name="To">The used type (element type of arrays, pointers and generic instances; their arguments count as uses too).</param>
/// <param name="Site">Where the use is: "base type", "field X", "method M (IL)" and so on.</param>
internal sealed record CoreTypeReference(TypeDefinition From, TypeDefinition To, string Site)
{
    /// <summary>The namespace a nested type is declared in (its outermost declaring type's).</summary>
    public static string NamespaceOf(TypeDefinition type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type.Namespace;
    }

    public override string ToString() => $"{From.FullName} -> {To.FullName} ({Site})";
}

/// <summary>
/// Reads every reference between types of one assembly from its metadata and IL with Mono.Cecil: base types,
/// interfaces, generic constraints, attributes (and their <c>typeof</c> arguments), fields, properties, events,
/// method signatures and overrides, and method bodies (locals, catch clauses and every instruction operand: types,
/// members' declaring types and signatures, generic arguments, function-pointer signatures).
/// </summary>
internal sealed class CoreTypeReferences
{
    private readonly ModuleDefinition _module;
    private readonly List<CoreTypeReference> _found = new();
    private readonly HashSet<(TypeDefinition, TypeDefinition, string)> _seen = new();
    private TypeDefinition _from = null!;
    private string _site = "";

    private CoreTypeReferences(ModuleDefinition module) => _module = module;

    /// <summary>Every distinct (using type, used type, site) between two types of <paramref name="module"/>.</summary>
    public static IReadOnlyList<CoreTypeReference> Read(ModuleDefinition module)
    {
        var reader = new CoreTypeReferences(module);
        foreach (var type in module.GetTypes()) reader.VisitType(type);
        return reader._found;
    }

    /// <summary>The source-level type that <paramref name="type"/> belongs to: compiler-made nested types count as their outer type.</summary>
    public static TypeDefinition SourceType(TypeDefinition type)
    {
        while (type.DeclaringType is not null && IsCompilerGenerated(type)) type = type.DeclaringType;
        return type;
    }

    /// <summary>Types the compiler made: closures, state machines, <c>&lt;Module&gt;</c>, <c>&lt;PrivateImplementationDetails&gt;</c>, embedded attributes.</summary>
    public static bool IsCompilerGenerated(TypeDefinition type) =>
        type.Name.StartsWith('<')
        || type.CustomAttributes.Any(a => a.AttributeType.FullName is "System.Runtime.CompilerServices.CompilerGeneratedAttribute"
            or "Microsoft.CodeAnalysis.EmbeddedAttribute");

    private void VisitType(TypeDefinition type)
    {
        _from = SourceType(type);
        At("base type").Type(type.BaseType);
        foreach (var i in type.Interfaces) At("interface").Type(i.InterfaceType).Attributes(i.CustomAttributes);
        At("attribute").Attributes(type.CustomAttributes);
        GenericParameters(type.GenericParameters, "generic parameter");
        foreach (var f in type.Fields) At($"field {f.Name}").Type(f.FieldType).Attributes(f.CustomAttributes);
        foreach (var p in type.Properties)
        {
            At($"property {p.Name}").Type(p.PropertyType).Attributes(p.CustomAttributes);
            foreach (var parameter in p.Parameters) Type(parameter.ParameterType);
        }
        foreach (var e in type.Events) At($"event {e.Name}").Type(e.EventType).Attributes(e.CustomAttributes);
        foreach (var m in type.Methods) VisitMethod(m);
    }

    private void VisitMethod(MethodDefinition method)
    {
        At($"signature of {method.Name}").Type(method.ReturnType).Attributes(method.CustomAttributes)
            .Attributes(method.MethodReturnType.CustomAttributes);
        foreach (var p in method.Parameters) Type(p.ParameterType).Attributes(p.CustomAttributes);
        GenericParameters(method.GenericParameters, $"generic parameter of {method.Name}");
        foreach (var o in method.Overrides) At($"override in {method.Name}").Method(o);
        if (!method.HasBody) return;
        At($"body of {method.Name} (IL)");
        var body = method.Body;
        foreach (var v in body.Variables) Type(v.VariableType);
        foreach (var h in body.ExceptionHandlers) Type(h.CatchType);
        foreach (var instruction in body.Instructions)
        {
            switch (instruction.Operand)
            {
                case TypeReference t: Type(t); break;
                case MethodReference m: Method(m); break;
                case FieldReference f: Type(f.DeclaringType).Type(f.FieldType); break;
                case CallSite c:
                    Type(c.ReturnType);
                    foreach (var p in c.Parameters) Type(p.ParameterType);
                    break;
            }
        }
    }

    private void GenericParameters(IEnumerable<GenericParameter> parameters, string site)
    {
        foreach (var g in parameters)
        {
            At(site).Attributes(g.CustomAttributes);
            foreach (var c in g.Constraints) Type(c.ConstraintType).Attributes(c.CustomAttributes);
        }
    }

    private CoreTypeReferences At(string site)
    {
        _site = site;
        return this;
    }

    private CoreTypeReferences Method(MethodReference method)
    {
        if (method is GenericInstanceMethod generic)
        {
            foreach (var a in generic.GenericArguments) Type(a);
            method = generic.ElementMethod;
        }
        Type(method.DeclaringType).Type(method.ReturnType);
        foreach (var p in method.Parameters) Type(p.ParameterType);
        return this;
    }

    private CoreTypeReferences Attributes(IEnumerable<CustomAttribute> attributes)
    {
        foreach (var a in attributes)
        {
            Type(a.AttributeType);
            foreach (var argument in a.ConstructorArguments) Argument(argument);
            foreach (var named in a.Fields.Concat(a.Properties)) Argument(named.Argument);
        }
        return this;
    }

    private void Argument(CustomAttributeArgument argument)
    {
        Type(argument.Type);
        switch (argument.Value)
        {
            case TypeReference t: Type(t); break; // typeof(X)
            case CustomAttributeArgument boxed: Argument(boxed); break;
            case CustomAttributeArgument[] array:
                foreach (var element in array) Argument(element);
                break;
        }
    }

    private CoreTypeReferences Type(TypeReference? type)
    {
        switch (type)
        {
            case null:
            case GenericParameter:
                break;
            case GenericInstanceType generic:
                Type(generic.ElementType);
                foreach (var a in generic.GenericArguments) Type(a);
                break;
            case FunctionPointerType pointer:
                Type(pointer.ReturnType);
                foreach (var p in pointer.Parameters) Type(p.ParameterType);
                break;
            case IModifierType modified:
                Type(modified.ModifierType);
                Type(modified.ElementType);
                break;
            case TypeSpecification specification: // arrays, pointers, by-ref, pinned, sentinel
                Type(specification.ElementType);
                break;
            default:
                var definition = type as TypeDefinition
                    ?? (type.Scope == _module ? _module.GetType(type.FullName) : null);
                if (definition is not null && definition.Module == _module)
                {
                    var to = SourceType(definition);
                    if (to != _from && _seen.Add((_from, to, _site))) _found.Add(new CoreTypeReference(_from, to, _site));
                }
                // A nested type's reference names its declaring type too (the C# name Outer.Inner needs Outer).
                if (type.DeclaringType is not null) Type(type.DeclaringType);
                break;
        }
        return this;
    }
}
