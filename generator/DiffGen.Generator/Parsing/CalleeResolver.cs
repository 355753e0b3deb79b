using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Parsing;

/// <summary>Finds how to differentiate through a call: another [Differentiable] method, or a registered [DerivativeOf] pullback.</summary>
internal static class CalleeResolver
{
    /// <summary>The runtime's <c>DiffGen.DerivativeForm</c> (same values).</summary>
    internal enum DerivativeFormKind
    {
        Pullback = 0,
        Pushforward = 1,
    }

    public static CallSpec? Resolve(IMethodSymbol callee, IMethodSymbol caller, string qualifiedName)
    {
        var parameterTypes = callee.Parameters.Select(p => TypeClassifier.Classify(p.Type)).ToEquatableArray();
        TypeRef returnType = TypeClassifier.Classify(callee.ReturnType);
        string typeName = callee.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

        var variants = new List<CalleeVariant>();
        var pushforwards = new List<PushforwardVariant>();
        var nestedVariants = new List<CalleeVariant>();
        var nestedPushforwards = new List<PushforwardVariant>();
        int output = callee.Parameters.ToList().FindIndex(p => p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypeNames.OutputAttribute));
        foreach (AttributeData attribute in callee.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != KnownTypeNames.DifferentiableAttribute)
            {
                continue;
            }

            string? name = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string;
            var forms = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Generate").Value.Value is int flags ? (DerivativeForms)flags : DerivativeForms.Reverse;
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

            string stem = GeneratedNames.Stem(callee.Name, string.IsNullOrEmpty(name) ? null : name);
            if ((forms & (DerivativeForms.Forward | DerivativeForms.Jacobian)) != 0)
            {
                var forwardSlots = callee.Parameters.Select((p, i) =>
                    i == output ? TangentSlot.OutputVector
                    : !parameterTypes[i].IsReal || (wrt.Count > 0 && !wrt.Contains(p.Name)) ? TangentSlot.None
                    : parameterTypes[i].IsScalar ? TangentSlot.Scalar
                    : TangentSlot.InputVector).ToEquatableArray();
                pushforwards.Add(new PushforwardVariant(typeName + "." + GeneratedNames.Pushforward(stem), forwardSlots));
            }

            if ((forms & DerivativeForms.Nested) != 0 && returnType.IsRealScalar && parameterTypes.All(t => !t.IsReal || t.IsScalar))
            {
                // The nesting helpers' pullback and pushforward differentiate every input: offered after the attribute's own.
                string nested = NestedNames.Stem(stem);
                nestedVariants.Add(new CalleeVariant(typeName + "." + nested + "Pullback", parameterTypes.Select(t => t.IsReal ? AdjointSlot.RefScalar : AdjointSlot.None).ToEquatableArray()));
                nestedPushforwards.Add(new PushforwardVariant(typeName + "." + GeneratedNames.Pushforward(nested), parameterTypes.Select(t => t.IsReal ? TangentSlot.Scalar : TangentSlot.None).ToEquatableArray()));
            }

            if ((forms & (DerivativeForms.Reverse | DerivativeForms.Jacobian)) == 0 && forms != 0)
            {
                continue;
            }

            var slots = callee.Parameters.Select((p, i) =>
                !parameterTypes[i].IsReal || (wrt.Count > 0 && !wrt.Contains(p.Name)) ? AdjointSlot.None
                : parameterTypes[i].IsScalar ? AdjointSlot.RefScalar
                : AdjointSlot.InputVector).ToEquatableArray();
            var variant = new CalleeVariant(typeName + "." + Parser.PullbackName(callee.Name, string.IsNullOrEmpty(name) ? null : name), slots, ReturnsValue: true);

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

        variants.AddRange(nestedVariants);
        pushforwards.AddRange(nestedPushforwards);
        if ((variants.Count > 0 || pushforwards.Count > 0) && returnType.IsRealScalar)
        {
            return new CallSpec(qualifiedName, returnType, EquatableArray<Expr>.Empty, parameterTypes, callee.Parameters.Select(p => p.Name).ToEquatableArray(), variants.ToEquatableArray(), PullbackTakesSeed: true)
            {
                Pushforwards = pushforwards.ToEquatableArray(),
            };
        }

        IMethodSymbol? pullback = FindRegistered(callee, caller, DerivativeFormKind.Pullback);
        IMethodSymbol? pushforward = FindRegistered(callee, caller, DerivativeFormKind.Pushforward);
        if (pullback is null && pushforward is null)
        {
            return null;
        }

        var opSlots = parameterTypes.Select(t =>
            !t.IsReal ? AdjointSlot.None
            : t.IsScalar ? AdjointSlot.RefScalar
            : t.Shape == Shape.Span ? AdjointSlot.OutputVector
            : AdjointSlot.InputVector).ToEquatableArray();
        var tangentSlots = parameterTypes.Select(t =>
            !t.IsReal ? TangentSlot.None
            : t.IsScalar ? TangentSlot.Scalar
            : t.Shape == Shape.Span ? TangentSlot.OutputVector
            : TangentSlot.InputVector).ToEquatableArray();
        var registeredVariants = pullback is null
            ? EquatableArray<CalleeVariant>.Empty
            : new[] { new CalleeVariant(QualifiedName(pullback), opSlots) }.ToEquatableArray();
        return new CallSpec(qualifiedName, returnType, EquatableArray<Expr>.Empty, parameterTypes, callee.Parameters.Select(p => p.Name).ToEquatableArray(),
            registeredVariants, PullbackTakesSeed: returnType.IsRealScalar, IsRegisteredPullback: true)
        {
            Pushforwards = pushforward is null
                ? EquatableArray<PushforwardVariant>.Empty
                : new[] { new PushforwardVariant(QualifiedName(pushforward), tangentSlots) }.ToEquatableArray(),
        };
    }

    /// <summary>How generated code names a method: <c>global::Ns.Type.Method</c> (the form of <see cref="CallSpec.Method"/>).</summary>
    internal static string QualifiedName(IMethodSymbol method) => method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + method.Name;

    /// <summary>The form a [DerivativeOf] method declares (its <c>Form</c>; a pullback when unset).</summary>
    internal static DerivativeFormKind FormOf(IMethodSymbol method)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == KnownTypeNames.DerivativeOfAttribute)
            {
                return attribute.NamedArguments.FirstOrDefault(a => a.Key == "Form").Value.Value is int form ? (DerivativeFormKind)form : DerivativeFormKind.Pullback;
            }
        }

        return DerivativeFormKind.Pullback;
    }

    /// <summary>True when <paramref name="derivative"/> follows the convention of <paramref name="form"/> for <paramref name="primal"/>.</summary>
    internal static bool Matches(IMethodSymbol derivative, IMethodSymbol primal, DerivativeFormKind form) =>
        form == DerivativeFormKind.Pushforward ? MatchesPushforwardConvention(derivative, primal) : MatchesConvention(derivative, primal);

    /// <summary>
    /// Looks for <c>[DerivativeOf(typeof(T), nameof(T.M))]</c> next to the callee (also in referenced assemblies), next
    /// to the caller, then anywhere in the caller's own assembly.
    /// </summary>
    private static IMethodSymbol? FindRegistered(IMethodSymbol callee, IMethodSymbol caller, DerivativeFormKind form, bool anySignature = false)
    {
        var searched = new List<INamedTypeSymbol> { callee.ContainingType };
        if (!SymbolEqualityComparer.Default.Equals(caller.ContainingType, callee.ContainingType))
        {
            searched.Add(caller.ContainingType);
        }

        foreach (INamedTypeSymbol type in searched)
        {
            if (FindIn(type, callee, form, anySignature) is { } found)
            {
                return found;
            }
        }

        foreach (INamedTypeSymbol type in AllTypes(caller.ContainingAssembly.GlobalNamespace))
        {
            if (!searched.Contains(type, SymbolEqualityComparer.Default) && FindIn(type, callee, form, anySignature) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>True when some [DerivativeOf] names the callee, even with a signature that does not match (DG0018).</summary>
    public static bool HasRegistration(IMethodSymbol callee, IMethodSymbol caller) =>
        FindRegistered(callee, caller, DerivativeFormKind.Pullback, anySignature: true) is not null
        || FindRegistered(callee, caller, DerivativeFormKind.Pushforward, anySignature: true) is not null;

    private static IMethodSymbol? FindIn(INamedTypeSymbol type, IMethodSymbol callee, DerivativeFormKind form, bool anySignature)
    {
        foreach (IMethodSymbol candidate in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (TargetOf(candidate) is { } target
                && SymbolEqualityComparer.Default.Equals(target.Type, callee.ContainingType)
                && target.Name == callee.Name
                && FormOf(candidate) == form
                && (anySignature || Matches(candidate, callee, form)))
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

    /// <summary>The pushforward signature the convention expects for <paramref name="primal"/>, for messages.</summary>
    internal static string ExpectedPushforwardSignature(IMethodSymbol primal)
    {
        var parts = primal.Parameters.Select(p => p.Type.ToDisplayString() + " " + p.Name).ToList();
        foreach (IParameterSymbol p in primal.Parameters)
        {
            TypeRef t = TypeClassifier.Classify(p.Type);
            if (t.IsReal)
            {
                string type = t.IsScalar ? t.ElementKeyword : (t.Shape == Shape.Span ? "Span<" : "ReadOnlySpan<") + t.ElementKeyword + ">";
                parts.Add(type + " d" + p.Name);
            }
        }

        TypeRef returnType = TypeClassifier.Classify(primal.ReturnType);
        if (returnType.IsRealScalar)
        {
            parts.Add("out " + primal.ReturnType.ToDisplayString() + " tangent");
        }

        return "static " + primal.ReturnType.ToDisplayString() + " " + primal.Name + "Pushforward(" + string.Join(", ", parts) + ")";
    }

    /// <summary>
    /// Pushforward = returns the primal's result; primal parameters, then one tangent per real parameter (passed as the
    /// parameter is: <c>T</c>, <c>ReadOnlySpan&lt;T&gt;</c> for an input vector, <c>Span&lt;T&gt;</c> for a span), then
    /// <c>out R</c> for a real result.
    /// </summary>
    internal static bool MatchesPushforwardConvention(IMethodSymbol pushforward, IMethodSymbol primal)
    {
        if (!pushforward.IsStatic || !SymbolEqualityComparer.Default.Equals(pushforward.ReturnType, primal.ReturnType))
        {
            return false;
        }

        var expected = new List<(ITypeSymbol? Type, TypeRef Ref, RefKind Kind)>();
        foreach (IParameterSymbol p in primal.Parameters)
        {
            expected.Add((p.Type, default!, RefKind.None));
        }

        foreach (IParameterSymbol p in primal.Parameters)
        {
            TypeRef t = TypeClassifier.Classify(p.Type);
            if (t.IsReal)
            {
                expected.Add((null, t.IsScalar ? t : new TypeRef(t.Element, t.Shape == Shape.Span ? Shape.Span : Shape.ReadOnlySpan), RefKind.None));
            }
        }

        TypeRef returnType = TypeClassifier.Classify(primal.ReturnType);
        if (returnType.IsRealScalar)
        {
            expected.Add((null, returnType, RefKind.Out));
        }

        return HasParameters(pushforward, expected);
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

        return HasParameters(pullback, expected);
    }

    /// <summary>The method's parameters are, in order, the expected ones: an exact type, or a shape with a ref kind.</summary>
    private static bool HasParameters(IMethodSymbol method, List<(ITypeSymbol? Type, TypeRef Ref, RefKind Kind)> expected)
    {
        if (method.Parameters.Length != expected.Count)
        {
            return false;
        }

        for (int i = 0; i < expected.Count; i++)
        {
            IParameterSymbol actual = method.Parameters[i];
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
