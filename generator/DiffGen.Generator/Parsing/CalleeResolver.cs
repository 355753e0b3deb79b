using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Parsing;

/// <summary>Finds how to differentiate through a call: another [Differentiable] method, or a registered [DerivativeOf] pullback.</summary>
internal static class CalleeResolver
{
    public static CallSpec? Resolve(IMethodSymbol callee, IMethodSymbol caller, string qualifiedName)
    {
        var parameterTypes = callee.Parameters.Select(p => TypeClassifier.Classify(p.Type)).ToEquatableArray();
        TypeRef returnType = TypeClassifier.Classify(callee.ReturnType);
        string typeName = callee.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

        var variants = new List<CalleeVariant>();
        foreach (AttributeData attribute in callee.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != KnownTypeNames.DifferentiableAttribute)
            {
                continue;
            }

            string? name = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string;
            var wrt = new HashSet<string>();
            if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array)
            {
                foreach (TypedConstant value in attribute.ConstructorArguments[0].Values)
                {
                    if (value.Value is string s)
                    {
                        wrt.Add(s);
                    }
                }
            }

            var slots = callee.Parameters.Select((p, i) =>
                !parameterTypes[i].IsReal || (wrt.Count > 0 && !wrt.Contains(p.Name)) ? AdjointSlot.None
                : parameterTypes[i].IsScalar ? AdjointSlot.RefScalar
                : AdjointSlot.InputVector).ToEquatableArray();
            var variant = new CalleeVariant(typeName + "." + Parser.PullbackName(callee.Name, string.IsNullOrEmpty(name) ? null : name), slots);

            // The default attribute (no Name) is preferred.
            if (string.IsNullOrEmpty(name))
            {
                variants.Insert(0, variant);
            }
            else
            {
                variants.Add(variant);
            }
        }

        if (variants.Count > 0 && returnType.IsRealScalar)
        {
            return new CallSpec(qualifiedName, returnType, EquatableArray<Expr>.Empty, parameterTypes, callee.Parameters.Select(p => p.Name).ToEquatableArray(), variants.ToEquatableArray(), PullbackTakesSeed: true);
        }

        IMethodSymbol? pullback = FindRegisteredPullback(callee, caller);
        if (pullback is null)
        {
            return null;
        }

        var opSlots = parameterTypes.Select(t =>
            !t.IsReal ? AdjointSlot.None
            : t.IsScalar ? AdjointSlot.RefScalar
            : t.Shape == Shape.Span ? AdjointSlot.OutputVector
            : AdjointSlot.InputVector).ToEquatableArray();
        string pullbackName = pullback.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + pullback.Name;
        return new CallSpec(qualifiedName, returnType, EquatableArray<Expr>.Empty, parameterTypes, callee.Parameters.Select(p => p.Name).ToEquatableArray(),
            new[] { new CalleeVariant(pullbackName, opSlots) }.ToEquatableArray(), PullbackTakesSeed: returnType.IsRealScalar, IsRegisteredPullback: true);
    }

    /// <summary>
    /// Looks for <c>[DerivativeOf(typeof(T), nameof(T.M))]</c> next to the callee (also in referenced assemblies), next
    /// to the caller, then anywhere in the caller's own assembly.
    /// </summary>
    private static IMethodSymbol? FindRegisteredPullback(IMethodSymbol callee, IMethodSymbol caller, bool anySignature = false)
    {
        var searched = new List<INamedTypeSymbol> { callee.ContainingType };
        if (!SymbolEqualityComparer.Default.Equals(caller.ContainingType, callee.ContainingType))
        {
            searched.Add(caller.ContainingType);
        }

        foreach (INamedTypeSymbol type in searched)
        {
            if (FindIn(type, callee, anySignature) is { } found)
            {
                return found;
            }
        }

        foreach (INamedTypeSymbol type in AllTypes(caller.ContainingAssembly.GlobalNamespace))
        {
            if (!searched.Contains(type, SymbolEqualityComparer.Default) && FindIn(type, callee, anySignature) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>True when some [DerivativeOf] names the callee, even with a signature that does not match (DG0018).</summary>
    public static bool HasRegistration(IMethodSymbol callee, IMethodSymbol caller) =>
        FindRegisteredPullback(callee, caller, anySignature: true) is not null;

    private static IMethodSymbol? FindIn(INamedTypeSymbol type, IMethodSymbol callee, bool anySignature)
    {
        foreach (IMethodSymbol candidate in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (TargetOf(candidate) is { } target
                && SymbolEqualityComparer.Default.Equals(target.Type, callee.ContainingType)
                && target.Name == callee.Name
                && (anySignature || MatchesConvention(candidate, callee)))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The (type, method name) a [DerivativeOf] method registers itself for, or null.</summary>
    internal static (INamedTypeSymbol Type, string Name)? TargetOf(IMethodSymbol method)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == KnownTypeNames.DerivativeOfAttribute
                && attribute.ConstructorArguments.Length == 2
                && attribute.ConstructorArguments[0].Value is INamedTypeSymbol target
                && attribute.ConstructorArguments[1].Value is string name)
            {
                return (target, name);
            }
        }

        return null;
    }

    internal static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol root)
    {
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            INamespaceOrTypeSymbol current = pending.Pop();
            foreach (ISymbol member in current.GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    pending.Push(ns);
                }
                else if (member is INamedTypeSymbol type)
                {
                    yield return type;
                    pending.Push(type);
                }
            }
        }
    }

    /// <summary>The pullback signature the convention expects for <paramref name="primal"/>, for messages and code fixes.</summary>
    internal static string ExpectedSignature(IMethodSymbol primal)
    {
        var parts = primal.Parameters.Select(p => p.Type.ToDisplayString() + " " + p.Name).ToList();
        TypeRef returnType = TypeClassifier.Classify(primal.ReturnType);
        if (returnType.IsRealScalar)
        {
            parts.Add(primal.ReturnType.ToDisplayString() + " seed");
        }

        foreach (IParameterSymbol p in primal.Parameters)
        {
            TypeRef t = TypeClassifier.Classify(p.Type);
            if (t.IsReal)
            {
                string type = t.IsScalar ? "ref " + t.ElementKeyword : (t.Shape == Shape.Span ? "ReadOnlySpan<" : "Span<") + t.ElementKeyword + (t.IsScalar ? string.Empty : ">");
                parts.Add(type + " d" + p.Name);
            }
        }

        return "static void " + primal.Name + "Pullback(" + string.Join(", ", parts) + ")";
    }

    /// <summary>Pullback = primal parameters, then the seed (real result), then one adjoint per real parameter.</summary>
    internal static bool MatchesConvention(IMethodSymbol pullback, IMethodSymbol primal)
    {
        if (!pullback.IsStatic || !pullback.ReturnsVoid)
        {
            return false;
        }

        var expected = new List<(ITypeSymbol? Type, TypeRef Ref, RefKind Kind)>();
        foreach (IParameterSymbol p in primal.Parameters)
        {
            expected.Add((p.Type, default!, RefKind.None));
        }

        TypeRef returnType = TypeClassifier.Classify(primal.ReturnType);
        if (returnType.IsRealScalar)
        {
            expected.Add((primal.ReturnType, default!, RefKind.None));
        }

        foreach (IParameterSymbol p in primal.Parameters)
        {
            TypeRef t = TypeClassifier.Classify(p.Type);
            if (!t.IsReal)
            {
                continue;
            }

            TypeRef adjoint = t.IsScalar ? t : new TypeRef(t.Element, t.Shape == Shape.Span ? Shape.ReadOnlySpan : Shape.Span);
            expected.Add((null, adjoint, t.IsScalar ? RefKind.Ref : RefKind.None));
        }

        if (pullback.Parameters.Length != expected.Count)
        {
            return false;
        }

        for (int i = 0; i < expected.Count; i++)
        {
            IParameterSymbol actual = pullback.Parameters[i];
            bool ok = expected[i].Type is { } exact
                ? SymbolEqualityComparer.Default.Equals(actual.Type, exact) && actual.RefKind == RefKind.None
                : TypeClassifier.Classify(actual.Type) == expected[i].Ref && actual.RefKind == expected[i].Kind;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
