using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Turns one [Differentiable] method into a <see cref="DifferentiableMethodSpec"/> or located diagnostics.
/// The only place (with BodyLowering) that touches symbols and syntax.
/// </summary>
internal static class Parser
{
    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        context.TargetSymbol is IMethodSymbol method && context.TargetNode is MethodDeclarationSyntax syntax && !IsBeingTyped(method, syntax)
            ? Analyze(context.SemanticModel, method, syntax, context.Attributes, cancellationToken)
            : new ParseResult(null, ImmutableArray<Diagnostic>.Empty);

    /// <summary>
    /// A method with syntax errors or unknown types in its signature is being typed: generating for it would only add
    /// confusing errors in a generated file next to the compiler's own. (The analyzer still reports what it can.)
    /// </summary>
    private static bool IsBeingTyped(IMethodSymbol method, MethodDeclarationSyntax syntax) =>
        (syntax.ContainsDiagnostics && syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        || IsBroken(method.ReturnType)
        || method.Parameters.Any(p => IsBroken(p.Type));

    /// <summary>An unknown type, or <c>ReadOnlySpan&lt;&gt;</c> while the type argument is being typed.</summary>
    private static bool IsBroken(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error } => true,
        IArrayTypeSymbol array => IsBroken(array.ElementType),
        INamedTypeSymbol { IsUnboundGenericType: true } => true,
        INamedTypeSymbol named => named.TypeArguments.Any(IsBroken),
        _ => false,
    };

    /// <summary>
    /// Parses one method given its [Differentiable] attributes: shared by the generator and by
    /// <see cref="Analyzers.DifferentiableAnalyzer"/>, so both see the same diagnostics.
    /// </summary>
    public static ParseResult Analyze(
        SemanticModel model,
        IMethodSymbol method,
        MethodDeclarationSyntax syntax,
        ImmutableArray<AttributeData> attributes,
        CancellationToken cancellationToken)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        string qualifiedName = CalleeResolver.QualifiedName(method);
        try
        {
            DifferentiableMethodSpec? spec = ParseMethod(model, attributes, method, syntax, diagnostics, cancellationToken);
            return new ParseResult(diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) ? null : spec is null ? null : spec with { QualifiedName = qualifiedName }, diagnostics.ToImmutable())
            {
                QualifiedName = qualifiedName,
            };
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The generator never throws: report and generate nothing for this method.
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InternalError, syntax.Identifier.GetLocation(), method.Name, ex.GetType().Name + ": " + ex.Message));
            return new ParseResult(null, diagnostics.ToImmutable()) { QualifiedName = qualifiedName };
        }
    }

    private static DifferentiableMethodSpec? ParseMethod(
        SemanticModel model,
        ImmutableArray<AttributeData> attributes,
        IMethodSymbol method,
        MethodDeclarationSyntax syntax,
        ImmutableArray<Diagnostic>.Builder diagnostics,
        CancellationToken cancellationToken)
    {
        string methodName = method.Name;
        // An instance method is fine (its gradient is an instance method too); one whose calls may dispatch elsewhere is not.
        if (method.IsVirtual || method.IsAbstract || method.IsOverride && !method.IsSealed)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.MethodMustNotBeVirtual, syntax.Identifier.GetLocation(), methodName));
        }

        // An instance method in a static class is the compiler's error (CS0708); a gradient beside it would be another.
        if (!method.IsStatic && method.ContainingType.IsStatic)
        {
            return null;
        }

        if (method.IsGenericMethod)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.GenericMethodNotSupported, syntax.Identifier.GetLocation(), methodName));
        }

        if (syntax.Body is null && syntax.ExpressionBody is null)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.MethodHasNoBody, syntax.Identifier.GetLocation(), methodName));
        }

        var containingTypes = new List<ContainingTypeSpec>();
        for (SyntaxNode? node = syntax.Parent; node is not null; node = node.Parent)
        {
            if (node is TypeDeclarationSyntax type)
            {
                if (!type.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.ContainingTypeMustBePartial, type.Identifier.GetLocation(), type.Identifier.Text, methodName));
                }

                string keyword = type switch
                {
                    RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                    _ => type.Keyword.Text,
                };
                containingTypes.Insert(0, new ContainingTypeSpec(keyword, type.Identifier.Text, type.TypeParameterList?.ToString() ?? string.Empty));
            }
        }

        var parameters = new List<ParameterSpec>();
        int output = -1;
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol p = method.Parameters[i];
            TypeRef type = TypeClassifier.Classify(p.Type);
            if (type.Element is ElementKind.Other && !p.Type.IsValueType && p.Type.NullableAnnotation == NullableAnnotation.Annotated)
            {
                // A nullable reference parameter keeps its '?' in the generated signatures (the files are #nullable enable).
                type = type with { OtherName = p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier)) };
            }
            Location location = i < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[i].GetLocation() : syntax.Identifier.GetLocation();
            if (p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypeNames.OutputAttribute))
            {
                if (type.Shape != Shape.Span || !type.IsReal || p.RefKind != RefKind.None)
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.OutputMisused, location, p.Name, methodName, "an [Output] parameter must be a Span<float> or Span<double> passed by value"));
                }
                else if (output >= 0)
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.OutputMisused, location, p.Name, methodName, "a method has at most one [Output] parameter"));
                }
                else
                {
                    output = i;
                }
            }

            if (p.RefKind != RefKind.None && type.IsReal)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedParameter, location, p.Name, methodName, "ref, out and in parameters are not supported; pass it by value"));
            }
            else if (p.RefKind != RefKind.None)
            {
                // The generated methods take the parameters by value: an out or ref result (an argmax, a counter) would be lost.
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedParameter, location, p.Name, methodName,
                    "ref, out and in parameters are not supported; pass it by value, and compute a second result (an argmax, a count) in a method of its own or store it in an object passed in"));
            }
            else if (p.IsParams && !type.IsVector)
            {
                // params T[] is an array like any other (the generated methods take it without params); params spans of other
                // types and collections are not.
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedParameter, location, p.Name, methodName, "params collections other than arrays and spans of numbers are not supported"));
            }

            parameters.Add(new ParameterSpec(p.Name, type));
        }

        // A scalar result is returned; a vector result is written into the [Output] span of a void method.
        TypeRef returnType = TypeClassifier.Classify(method.ReturnType);
        bool vectorResult = method.ReturnsVoid && output >= 0;
        if ((!vectorResult && !returnType.IsRealScalar) || (!method.ReturnsVoid && output >= 0) || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedReturnType, syntax.ReturnType.GetLocation(), methodName, method.ReturnType.ToDisplayString()));
        }

        // Every name the user wrote anywhere in the method is reserved, so generated names never collide.
        var reserved = new HashSet<string>(StringComparer.Ordinal) { methodName };
        foreach (SyntaxToken token in syntax.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken))
            {
                reserved.Add(token.ValueText);
            }
        }

        var wrtSites = new List<DifferentiabilityAdvice.WrtSite>();
        var generateSites = new List<Location>();
        var members = new Dictionary<ISymbol, ParameterSpec>(SymbolEqualityComparer.Default);
        var modelLeaves = new Dictionary<string, ParameterSpec>(StringComparer.Ordinal);
        var context = new WrtContext(model.Compilation, reserved, modelLeaves);
        AddStructArrayViews(method, parameters, context);
        AddRectangularArrayViews(method, attributes, parameters, context);
        List<GradientSpec> gradients = ParseAttributes(attributes, method, parameters, output, members, diagnostics, wrtSites, generateSites, context);
        for (int g = 0; g < gradients.Count && parameters.Any(p => p.IsMember); g++)
        {
            // Members, model leaves and struct-array views are read into locals by the pullback and the pushforward only.
            if ((gradients[g].Forms & ~(DerivativeForms.Reverse | DerivativeForms.Forward | DerivativeForms.PooledPrimal)) != 0)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.GenerateDoesNotFit, generateSites[g], methodName,
                    "Jacobians and second order of a method that reads fields, properties, models, arrays of structs, named multi-dimensional arrays or named arrays of arrays are not generated yet; ask for Reverse and Forward"));
            }
        }

        if (diagnostics.Count > 0)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var names = new NameTable(reserved);
        var wrtNames = new HashSet<string>(gradients.SelectMany(g => g.Wrt).Select(i => parameters[i].Name));
        var lowering = new BodyLowering(model, method, names, wrtNames, diagnostics, cancellationToken, members, modelLeaves, context.StructArrays, context.RectangularArrays);
        Block? body = lowering.LowerMethodBody(syntax);
        if (body is null || diagnostics.Count > 0)
        {
            return null;
        }

        string outputName = output >= 0 ? parameters[output].Name : string.Empty;
        diagnostics.AddRange(DifferentiabilityAdvice.Find(methodName, body, wrtSites, lowering.MathCallSites, outputName));

        string ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
        string hint = string.Join(".", new[] { ns }.Concat(containingTypes.Select(t => t.Name)).Append(methodName).Where(s => s.Length > 0))
            .Replace('`', '_') + OverloadSuffix(method) + ".g.cs";
        var spec = new DifferentiableMethodSpec(
            ns.Length == 0 ? null : ns,
            containingTypes.ToEquatableArray(),
            hint,
            methodName,
            AccessibilityText(method.DeclaredAccessibility),
            returnType,
            parameters.ToEquatableArray(),
            gradients.ToEquatableArray(),
            body,
            names.All.OrderBy(s => s, StringComparer.Ordinal).ToEquatableArray(),
            typeof(Parser).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
            method.IsStatic,
            output)
        {
            Models = context.Models.ToEquatableArray(),
        };

        // What only differentiation would otherwise find, a call whose callee has no pullback for an argument that
        // carries a derivative, is found by a cheap activity check and reported at that call.
        for (int g = 0; g < gradients.Count; g++)
        {
            // Second order through a call needs the callee's second-order form, which is not generated yet.
            if (gradients[g].Has(DerivativeForms.HessianVectorProduct)
                && Differentiation.Forward.ForwardCallCheck.VariedCalls(body, gradients[g].Wrt.Select(i => parameters[i].Name)).FirstOrDefault() is { } call)
            {
                string callee = call.StartsWith("global::", StringComparison.Ordinal) ? call.Substring("global::".Length) : call;
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.GenerateDoesNotFit, generateSites[g], methodName,
                    (gradients[g].Has(DerivativeForms.Nested) ? "nesting helpers (Derivatives.Nested) through a call of '" + callee + "' need" : "a Hessian through a call of '" + callee + "' needs")
                    + " its second-order form, which DiffGen does not generate yet; inline the callee or ask for Reverse and Forward only"));
                return null;
            }
        }

        foreach (GradientSpec gradient in gradients.Where(g => g.Has(DerivativeForms.Forward)))
        {
            foreach (Differentiation.Forward.ForwardCallCheck.Missing missing in Differentiation.Forward.ForwardCallCheck.Find(body, gradient.Wrt.Select(i => parameters[i].Name)))
            {
                Location at = lowering.CallLocations.TryGetValue(missing.Method, out Location? call) ? call : syntax.Identifier.GetLocation();
                string callee = missing.Method.StartsWith("global::", StringComparison.Ordinal) ? missing.Method.Substring("global::".Length) : missing.Method;
                diagnostics.Add(missing.Registered
                    ? Diagnostic.Create(DiagnosticDescriptors.RegisteredPushforwardMissing, at, callee, methodName)
                    : Diagnostic.Create(DiagnosticDescriptors.CalleeHasNoPushforward, at, callee, missing.Parameter ?? "any", methodName));
                return null;
            }
        }

        foreach (GradientSpec gradient in gradients.Where(g => g.Has(DerivativeForms.Reverse)))
        {
            foreach (Differentiation.Analysis.CallAdjointCheck.Missing missing in Differentiation.Analysis.CallAdjointCheck.Find(body, gradient.Wrt.Select(i => parameters[i].Name), outputName))
            {
                Location at = lowering.CallLocations.TryGetValue(missing.Method, out Location? call) ? call : syntax.Identifier.GetLocation();
                string callee = missing.Method.StartsWith("global::", StringComparison.Ordinal) ? missing.Method.Substring("global::".Length) : missing.Method;
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.CalleeNotDifferentiableForArgument, at, callee, missing.Parameter, methodName));
                return null;
            }
        }

        return spec;
    }

    private static List<GradientSpec> ParseAttributes(
        ImmutableArray<AttributeData> attributes,
        IMethodSymbol method,
        List<ParameterSpec> parameters,
        int output,
        Dictionary<ISymbol, ParameterSpec> members,
        ImmutableArray<Diagnostic>.Builder diagnostics,
        List<DifferentiabilityAdvice.WrtSite> wrtSites,
        List<Location> generateSites,
        WrtContext context)
    {
        var gradients = new List<GradientSpec>();
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        bool sawUnnamed = false;
        foreach (AttributeData attribute in attributes)
        {
            var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax;
            Location attributeLocation = attributeSyntax?.GetLocation() ?? Location.None;
            string? name = null;
            bool reassociate = false;
            var forms = DerivativeForms.Reverse;
            Location nameLocation = attributeLocation;
            Location generateLocation = attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Generate")?.GetLocation() ?? attributeLocation;
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                if (named.Key == "Generate" && named.Value.Value is int flags)
                {
                    forms = (DerivativeForms)flags;
                }

                if (named.Key == "AllowReassociation" && named.Value.Value is bool allow)
                {
                    reassociate = allow;
                }

                if (named.Key == "Name" && named.Value.Value is string s && s.Length > 0)
                {
                    name = s;
                    nameLocation = attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Name")?.GetLocation() ?? attributeLocation;
                }
            }

            var wrtNames = new List<string>();
            if (attribute.ConstructorArguments.Length == 1)
            {
                TypedConstant arg = attribute.ConstructorArguments[0];
                if (arg.Kind == TypedConstantKind.Array && !arg.IsNull)
                {
                    wrtNames.AddRange(arg.Values.Select(v => v.Value as string ?? string.Empty));
                }
            }

            var positional = attributeSyntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();
            var wrt = new List<int>();
            bool failed = false;
            for (int i = 0; i < wrtNames.Count; i++)
            {
                Location argLocation = positional is not null && i < positional.Count ? positional[i].GetLocation() : attributeLocation;
                int index = parameters.FindIndex(p => p.Name == wrtNames[i]);
                (string Name, string Collection, ModelTypes.JaggedArray Array)? jaggedSource =
                    index >= 0 && index < method.Parameters.Length && ModelTypes.JaggedArrayOf(method.Parameters[index].Type) is { } jaggedParameter
                        ? (wrtNames[i], wrtNames[i], jaggedParameter)
                        : index < 0 && !method.IsStatic && MemberParameter(method, wrtNames[i]) is { Symbol: { IsStatic: false } jaggedMember }
                            && ModelTypes.JaggedArrayOf(jaggedMember is IFieldSymbol f ? f.Type : ((IPropertySymbol)jaggedMember).Type) is { } jaggedField
                            ? (wrtNames[i], "this." + wrtNames[i], jaggedField)
                            : null;
                if (jaggedSource is { } jagged)
                {
                    // An array of arrays (double[][] w, or the object's field W): its rows packed back to back are the input (docs/supported-csharp.md).
                    ParameterSpec rows = JaggedLeaf(jagged.Name, jagged.Collection, jagged.Array, parameters, context);
                    if (!wrt.Contains(parameters.IndexOf(rows)))
                    {
                        wrt.Add(parameters.IndexOf(rows));
                        wrtSites.Add(new DifferentiabilityAdvice.WrtSite(wrtNames[i], argLocation, new[] { rows.Name }));
                    }

                    continue;
                }

                if (index < 0 && MemberParameter(method, wrtNames[i]) is { } member)
                {
                    if (!members.TryGetValue(member.Symbol, out ParameterSpec? known))
                    {
                        known = member.Spec;
                        members[member.Symbol] = known;
                        parameters.Add(known);
                    }

                    index = parameters.IndexOf(known);
                }

                if (index >= 0 && context.RectangularArrays.TryGetValue(wrtNames[i], out (ParameterSpec View, ModelTypes.RectangularArray Array) rectangular))
                {
                    // A multi-dimensional array: its elements, row-major, are the input.
                    index = parameters.IndexOf(rectangular.View);
                    if (!wrt.Contains(index))
                    {
                        wrt.Add(index);
                        wrtSites.Add(new DifferentiabilityAdvice.WrtSite(wrtNames[i], argLocation, new[] { rectangular.View.Name }));
                    }

                    continue;
                }

                if (index >= 0 && context.StructArrays.TryGetValue(wrtNames[i], out (ParameterSpec View, ModelTypes.StructArray Array) structArray))
                {
                    // An array of structs: its numbers are the input.
                    index = parameters.IndexOf(structArray.View);
                    if (!wrt.Contains(index))
                    {
                        wrt.Add(index);
                        wrtSites.Add(new DifferentiabilityAdvice.WrtSite(wrtNames[i], argLocation, new[] { structArray.View.Name }));
                    }

                    continue;
                }

                bool self = index < 0 && wrtNames[i] == "this" && !method.IsStatic;
                if (self || index >= 0 && index < method.Parameters.Length && !parameters[index].Type.IsReal && ModelTypes.IsCandidate(method.Parameters[index].Type))
                {
                    // A model: every leaf is differentiated (docs/models.md); "this" is the object an instance method runs on.
                    List<int>? leafIndices = self
                        ? ModelLeaves(method, "this", method.ContainingType, parameters, context, argLocation, diagnostics)
                        : ModelLeaves(method, index, parameters, context, argLocation, diagnostics);
                    if (leafIndices is not null)
                    {
                        foreach (int leaf in leafIndices.Where(l => !wrt.Contains(l)))
                        {
                            wrt.Add(leaf);
                        }

                        wrtSites.Add(new DifferentiabilityAdvice.WrtSite(wrtNames[i], argLocation, leafIndices.Select(l => parameters[l].Name).ToList()));
                    }
                    else
                    {
                        failed = true;
                    }

                    continue;
                }

                if (index < 0)
                {
                    string suggestion = Suggest(wrtNames[i], parameters.Select(p => p.Name));
                    diagnostics.Add(Diagnostic.Create(
                        DiagnosticDescriptors.UnknownWrtParameter,
                        argLocation,
                        suggestion.Length > 0 ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.Suggestion, suggestion) : null,
                        method.Name,
                        wrtNames[i],
                        suggestion.Length > 0 ? "; did you mean '" + suggestion + "'?" : string.Empty));
                    failed = true;
                }
                else if (index == output)
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.OutputMisused, argLocation, wrtNames[i], method.Name, "the [Output] parameter is the result, not an input to differentiate with respect to"));
                    failed = true;
                }
                else if (!parameters[index].Type.IsReal)
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.WrtParameterNotDifferentiable, argLocation, wrtNames[i], index < method.Parameters.Length ? method.Parameters[index].Type.ToDisplayString() : parameters[index].Type.CSharp));
                    failed = true;
                }
                else if (!wrt.Contains(index))
                {
                    wrt.Add(index);
                    wrtSites.Add(new DifferentiabilityAdvice.WrtSite(wrtNames[i], argLocation));
                }
            }

            if (wrtNames.Count == 0)
            {
                // Every float/double parameter (DESIGN §1); models and arrays of structs only when named.
                wrt.AddRange(Enumerable.Range(0, parameters.Count).Where(i => parameters[i].Type.IsReal && !parameters[i].IsMember && i != output));
                wrtSites.AddRange(wrt.Select(i => new DifferentiabilityAdvice.WrtSite(parameters[i].Name, attributeLocation)));

                if (wrt.Count == 0)
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.NoDifferentiableParameters, attributeLocation, method.Name));
                    failed = true;
                }
            }

            if (name is null)
            {
                if (sawUnnamed)
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.NameRequiredOnAdditionalAttribute, attributeLocation, method.Name));
                    continue;
                }

                sawUnnamed = true;
            }

            // Jacobians need both sweeps; a dense Hessian is made of Hessian-vector products.
            if ((forms & DerivativeForms.Jacobian) != 0)
            {
                forms |= DerivativeForms.Forward | DerivativeForms.Reverse;
            }

            if ((forms & DerivativeForms.Hessian) != 0)
            {
                forms |= DerivativeForms.HessianVectorProduct;
            }

            string? misfit = Misfit(forms, output >= 0);
            TypeRef result = TypeClassifier.Classify(method.ReturnsVoid && output >= 0 ? method.Parameters[output].Type : method.ReturnType);
            misfit ??= (forms & DerivativeForms.Nested) != 0 ? NestedMisfit(method, parameters, result) : null;
            if (misfit is null && (forms & (DerivativeForms.Hessian | DerivativeForms.Jacobian)) != 0 && wrt.Any(i => parameters[i].Type.Element != result.Element))
            {
                misfit = "a dense Hessian or Jacobian needs every differentiated parameter to have the result's element type (" + result.ElementKeyword + ")";
            }

            if (misfit is not null)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.GenerateDoesNotFit, generateLocation, method.Name, misfit));
                failed = true;
            }

            string gradientName = name ?? method.Name + "Gradient";
            string pullbackName = PullbackName(method.Name, name);
            string stem = GeneratedNames.Stem(method.Name, name);
            List<string> generatedNames = GeneratedMethodNames(forms, output >= 0, gradientName, pullbackName, stem);
            GradientSpec? nested = (forms & DerivativeForms.Nested) != 0 ? NestedSpec(parameters, stem) : null;
            if (nested is not null)
            {
                generatedNames.AddRange(GeneratedMethodNames(nested.Forms, vectorResult: false, nested.GradientName, nested.PullbackName, nested.Stem));
                generatedNames.AddRange(NestedNames.Helpers(nested.Stem));
            }

            if (generatedNames.FirstOrDefault(n => !usedNames.Add(n)) is { } duplicate)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.DuplicateGeneratedName, nameLocation, duplicate, " by another [Differentiable] attribute of '" + method.Name + "'"));
                continue;
            }

            foreach (string generated in generatedNames)
            {
                if (method.ContainingType is { } type && type.GetMembers(generated).Any(m => !IsGeneratedByDiffGen(m)))
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.DuplicateGeneratedName, nameLocation, generated, " by a member of '" + type.Name + "'"));
                    failed = true;
                }
            }

            if (!failed)
            {
                var own = new GradientSpec(gradientName, pullbackName, wrt.ToEquatableArray(), reassociate, forms & ~DerivativeForms.Nested, stem);
                gradients.Add(own);
                generateSites.Add(generateLocation);
                if (nested is not null)
                {
                    gradients.Add(nested with { AllowReassociation = reassociate, NestedFor = own });
                    generateSites.Add(generateLocation);
                }
            }
        }

        return gradients;
    }

    /// <summary>Why the requested derivatives do not fit the method's result, or null.</summary>
    private static string? Misfit(DerivativeForms forms, bool vectorResult)
    {
        if ((forms & (DerivativeForms.Reverse | DerivativeForms.Forward | DerivativeForms.Jacobian | DerivativeForms.HessianVectorProduct | DerivativeForms.Hessian | DerivativeForms.PooledPrimal)) == 0)
        {
            return "it asks for no derivative";
        }

        if (!vectorResult && (forms & DerivativeForms.Jacobian) != 0)
        {
            return "a Jacobian needs a vector result (a void method with an [Output] span); use Reverse for the gradient of a scalar result";
        }

        if (vectorResult && (forms & (DerivativeForms.HessianVectorProduct | DerivativeForms.Hessian)) != 0)
        {
            return "Hessians are for a scalar result; this method's result is the [Output] vector";
        }

        return null;
    }

    /// <summary>Why <c>Derivatives.Nested</c> does not fit the method, or null (the helpers are scalar drivers over a Hessian-vector product).</summary>
    private static string? NestedMisfit(IMethodSymbol method, List<ParameterSpec> parameters, TypeRef result)
    {
        if (!result.IsRealScalar)
        {
            return "nesting helpers (Derivatives.Nested) are for a scalar result";
        }

        if (!method.IsStatic || method.IsGenericMethod)
        {
            return "nesting helpers (Derivatives.Nested) are generated for a static, non-generic method";
        }

        if (parameters.FirstOrDefault(p => p.Type.IsReal && (p.IsMember || !p.Type.IsScalar || p.Type.Element != result.Element)) is { } misfit)
        {
            return "nesting helpers (Derivatives.Nested) need every float/double input to be a scalar parameter of the result's type ('" + misfit.Name + "' is not); pass its elements as scalars";
        }

        return null;
    }

    /// <summary>
    /// The second attribute-like spec <c>Derivatives.Nested</c> adds: every real parameter differentiated (an outer
    /// derivative may vary any of them), with the pullback, pushforward and Hessian-vector product the nesting
    /// helpers (<see cref="NestedNames"/>) are built on.
    /// </summary>
    private static GradientSpec NestedSpec(List<ParameterSpec> parameters, string stem)
    {
        string nestedStem = NestedNames.Stem(stem);
        var all = Enumerable.Range(0, parameters.Count).Where(i => parameters[i].Type.IsReal && !parameters[i].IsMember).ToEquatableArray();
        return new GradientSpec(nestedStem + "Gradient", nestedStem + "Pullback", all, Forms: DerivativeForms.Reverse | DerivativeForms.Forward | DerivativeForms.HessianVectorProduct | DerivativeForms.Nested, Stem: nestedStem);
    }

    /// <summary>The names one attribute generates, for collision checks.</summary>
    private static List<string> GeneratedMethodNames(DerivativeForms forms, bool vectorResult, string gradientName, string pullbackName, string stem)
    {
        var result = new List<string>();
        if ((forms & DerivativeForms.Reverse) != 0)
        {
            if (!vectorResult)
            {
                result.Add(gradientName);
            }

            result.Add(pullbackName);
        }

        if ((forms & DerivativeForms.Forward) != 0)
        {
            result.Add(GeneratedNames.Pushforward(stem));
        }

        if ((forms & DerivativeForms.Jacobian) != 0)
        {
            result.Add(GeneratedNames.Jacobian(stem));
        }

        if ((forms & DerivativeForms.HessianVectorProduct) != 0)
        {
            result.Add(GeneratedNames.HessianVectorProduct(stem));
            result.Add(GeneratedNames.GradientAndHessianVectorProduct(stem));
        }

        if ((forms & DerivativeForms.Hessian) != 0)
        {
            result.Add(GeneratedNames.Hessian(stem));
            result.Add(GeneratedNames.HessianDiagonal(stem));
        }

        if ((forms & DerivativeForms.PooledPrimal) != 0)
        {
            result.Add(GeneratedNames.PooledPrimal(stem));
        }

        return result;
    }

    /// <summary>True for a member DiffGen wrote (the analyzer runs on the compilation with the generated files).</summary>
    internal static bool IsGeneratedByDiffGen(ISymbol member) => member.GetAttributes().Any(a =>
        a.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute"
        && a.ConstructorArguments.Length == 2
        && a.ConstructorArguments[0].Value as string == "DiffGen");

    /// <summary>Overloads that are all [Differentiable] get distinct hint names: "_2", "_3", … by declaration order.</summary>
    private static string OverloadSuffix(IMethodSymbol method)
    {
        var overloads = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>()
            .Where(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypeNames.DifferentiableAttribute))
            .OrderBy(m => m.Locations.FirstOrDefault()?.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(m => m.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
            .ToList();
        int index = overloads.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method));
        return index > 0 ? "_" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
    }

    /// <summary>Pullback name for a gradient: <c>{Method}Pullback</c>, or the Name with a trailing "Gradient" replaced.</summary>
    public static string PullbackName(string methodName, string? name)
    {
        if (name is null)
        {
            return methodName + "Pullback";
        }

        return name.EndsWith("Gradient", StringComparison.Ordinal) && name.Length > "Gradient".Length
            ? name.Substring(0, name.Length - "Gradient".Length) + "Pullback"
            : name + "Pullback";
    }

    /// <summary>
    /// A field or property (not an indexer) of the method's type or its bases that a gradient may name: a float/double
    /// scalar or a one-dimensional array of them, the object's own (instance methods) or static. Null: no such member.
    /// </summary>
    private static (ISymbol Symbol, ParameterSpec Spec)? MemberParameter(IMethodSymbol method, string name)
    {
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (ISymbol member in type.GetMembers(name))
            {
                ITypeSymbol? memberType = member switch
                {
                    IFieldSymbol field => field.Type,
                    IPropertySymbol { IsIndexer: false, GetMethod: not null } property => property.Type,
                    _ => null,
                };
                if (memberType is null || !member.IsStatic && method.IsStatic)
                {
                    continue;
                }

                // A member of another type is still found: DG0005 then says why it cannot be differentiated.
                TypeRef typeRef = TypeClassifier.Classify(memberType);
                if (typeRef.IsVector && typeRef.Shape != Shape.Array)
                {
                    typeRef = new TypeRef(ElementKind.Other, Shape.Scalar, memberType.ToDisplayString());
                }

                string access = member.IsStatic
                    ? member.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + member.Name
                    : "this." + member.Name;
                return (member, new ParameterSpec(member.Name, typeRef, access));
            }
        }

        return null;
    }

    /// <summary>What naming a model parameter needs: the compilation (accessibility), the names in use, the leaves found.</summary>
    private sealed record WrtContext(Compilation Compilation, HashSet<string> Reserved, Dictionary<string, ParameterSpec> Leaves)
    {
        public List<ModelTypeSpec> Models { get; } = new();

        /// <summary>Arrays of structs by parameter name: the view of their numbers (a member input) and the struct.</summary>
        public Dictionary<string, (ParameterSpec View, ModelTypes.StructArray Array)> StructArrays { get; } = new(StringComparer.Ordinal);

        /// <summary>Multi-dimensional arrays a gradient names, by parameter name: the span of their elements and the rank.</summary>
        public Dictionary<string, (ParameterSpec View, ModelTypes.RectangularArray Array)> RectangularArrays { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// An array or span of float/double structs (<c>Vec3[] positions</c>) is read as the span of its numbers
    /// (<c>MemoryMarshal.Cast&lt;Vec3, double&gt;</c>, read once at the top), and differentiating it differentiates that
    /// span; its gradient argument is a <c>Span</c> of the struct (<c>Span&lt;Vec3&gt; dpositions</c>).
    /// </summary>
    private static void AddStructArrayViews(IMethodSymbol method, List<ParameterSpec> parameters, WrtContext context)
    {
        foreach (IParameterSymbol p in method.Parameters)
        {
            if (p.RefKind != RefKind.None || ModelTypes.StructArrayOf(p.Type) is not { } array)
            {
                continue;
            }

            string element = array.Element.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            string number = array.Kind == ElementKind.Double ? "double" : "float";
            string cast = "global::System.Runtime.InteropServices.MemoryMarshal.Cast<" + element + ", " + number + ">";
            string gradient = Unique(context.Reserved, "d" + p.Name);
            var leaf = new ModelLeafSpec(p.Name, string.Empty, cast + "(" + gradient + ")", gradient, "global::System.Span<" + element + ">", ByRef: false, NullChecked: false);
            string view = Unique(context.Reserved, p.Name + "Values");
            var spec = new ParameterSpec(view, new TypeRef(array.Kind, Shape.ReadOnlySpan), cast + "((global::System.ReadOnlySpan<" + element + ">)" + p.Name + ")", leaf);
            parameters.Add(spec);
            context.StructArrays[p.Name] = (spec, array);
        }
    }

    /// <summary>
    /// A multi-dimensional array a gradient names (<c>double[,] w</c>) is read as the span of its elements, row-major
    /// (<c>RectangularArrays.Values</c>, once at the top), and differentiating it differentiates that span; its gradient
    /// argument is an array of the same shape (<c>double[,] dw</c>), checked shape for shape. One no gradient names stays
    /// an object whose elements are constants, as before (DESIGN.md §1: the default differentiates float/double
    /// parameters, scalars, arrays and spans).
    /// </summary>
    private static void AddRectangularArrayViews(IMethodSymbol method, ImmutableArray<AttributeData> attributes, List<ParameterSpec> parameters, WrtContext context)
    {
        var named = new HashSet<string>(attributes
            .Where(a => a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Kind == TypedConstantKind.Array && !a.ConstructorArguments[0].IsNull)
            .SelectMany(a => a.ConstructorArguments[0].Values.Select(v => v.Value as string ?? string.Empty)), StringComparer.Ordinal);
        foreach (IParameterSymbol p in method.Parameters)
        {
            if (p.RefKind != RefKind.None || !named.Contains(p.Name) || ModelTypes.RectangularArrayOf(p.Type) is not { } array)
            {
                continue;
            }

            string helper = "global::DiffGen.CompilerServices.RectangularArrays";
            string gradient = Unique(context.Reserved, "d" + p.Name);
            var leaf = new ModelLeafSpec(p.Name, string.Empty, $"{helper}.Gradient({gradient}, {p.Name}, \"{gradient}\", \"{p.Name}\")", gradient, array.CSharp, ByRef: false, NullChecked: false);
            string view = Unique(context.Reserved, p.Name + "Values");
            var spec = new ParameterSpec(view, new TypeRef(array.Kind, Shape.ReadOnlySpan), $"{helper}.Values({p.Name}, \"{p.Name}\")", leaf);
            parameters.Add(spec);
            context.RectangularArrays[p.Name] = (spec, array);
        }
    }

    /// <summary>
    /// The indices of the leaves of model parameter <paramref name="index"/> (added to <paramref name="parameters"/> the
    /// first time), or null after a diagnostic at <paramref name="at"/>.
    /// </summary>
    private static List<int>? ModelLeaves(IMethodSymbol method, int index, List<ParameterSpec> parameters, WrtContext context, Location at, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        IParameterSymbol parameter = method.Parameters[index];
        if (parameter.RefKind != RefKind.None)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedParameter, at, parameter.Name, method.Name, "a model is passed by value (a class is a reference already; a struct is read, and its gradient argument is passed by ref)"));
            return null;
        }

        return ModelLeaves(method, parameter.Name, parameter.Type, parameters, context, at, diagnostics);
    }

    /// <summary>The leaves of a model named <paramref name="name"/> (a parameter, or <c>this</c>) of type <paramref name="type"/>.</summary>
    private static List<int>? ModelLeaves(IMethodSymbol method, string name, ITypeSymbol type, List<ParameterSpec> parameters, WrtContext context, Location at, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        (List<ModelTypes.Leaf> leaves, ModelTypes.Problem? problem) = ModelTypes.LeavesOf(type, method.ContainingType, context.Compilation);
        if (problem is not null)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedParameter, at, name, method.Name, "its member '" + problem.Member + "' cannot be differentiated: " + problem.Reason));
            return null;
        }

        if (leaves.Count == 0)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.WrtParameterNotDifferentiable, at, name, type.ToDisplayString()));
            return null;
        }

        if (ModelTypeOf(type, leaves) is { } modelType && !context.Models.Contains(modelType))
        {
            context.Models.Add(modelType);
        }

        string gradient = Unique(context.Reserved, "d" + name);
        var indices = new List<int>();
        foreach (ModelTypes.Leaf leaf in leaves)
        {
            if (leaf.Layers is { } layers)
            {
                indices.Add(parameters.IndexOf(PackedLeaf(name, gradient, type, leaf, layers, parameters, context)));
                continue;
            }

            string access = name + "." + leaf.Value;
            if (!context.Leaves.TryGetValue(name + "." + leaf.Path, out ParameterSpec? spec))
            {
                string local = Unique(context.Reserved, name + leaf.Path.Replace(".", string.Empty));
                var where = new ModelLeafSpec(name, leaf.Path, gradient + "." + leaf.Gradient, gradient, TypeClassifier.Classify(type).CSharp, type.IsValueType);
                spec = new ParameterSpec(local, leaf.Type, access, where);
                parameters.Add(spec);
                context.Leaves[name + "." + leaf.Path] = spec;
                if (leaf.IsParameter)
                {
                    // Parameter<T>: the body reads .Value (a span) or .ValueArray.
                    context.Leaves[name + "." + leaf.Path + ".Value"] = spec;
                    context.Leaves[access] = spec;
                }
            }

            indices.Add(parameters.IndexOf(spec));
        }

        return indices;
    }

    /// <summary>
    /// A leaf of every layer of a collection (<c>model.Layers[*].W</c>): the packed vector the body reads (in wrt) and the
    /// offsets of its layers (a constant), both member inputs the generated method fills (docs/models.md). The body finds
    /// it by the path <c>model.Layers[].W</c> (and <c>.W.Value</c>, <c>.W.ValueArray</c> for a <c>Parameter&lt;T&gt;</c>).
    /// </summary>
    private static ParameterSpec PackedLeaf(string name, string gradient, ITypeSymbol type, ModelTypes.Leaf leaf, ModelTypes.LayerCollection layers, List<ParameterSpec> parameters, WrtContext context)
    {
        string path = name + "." + layers.Path + "[]." + leaf.Path;
        if (context.Leaves.TryGetValue(path, out ParameterSpec? known))
        {
            return known;
        }

        string local = Unique(context.Reserved, name + (layers.Path + leaf.Path).Replace(".", string.Empty));
        var packed = new PackedLeafSpec(
            name + "." + layers.Path, gradient + "." + layers.Path, layers.Count, leaf.Value, leaf.Gradient, leaf.Path,
            Unique(context.Reserved, local + "At"), Unique(context.Reserved, "layer"));
        context.Reserved.Add(packed.Buffer(local));
        context.Reserved.Add(packed.Buffer(packed.Offsets));
        context.Reserved.Add("d" + packed.Buffer(local));
        var where = new ModelLeafSpec(name, layers.Path + "[]." + leaf.Path, string.Empty, gradient, TypeClassifier.Classify(type).CSharp, type.IsValueType);
        parameters.Add(new ParameterSpec(packed.Offsets, new TypeRef(ElementKind.Int, Shape.ReadOnlySpan), packed.Collection, Packed: packed));
        var spec = new ParameterSpec(local, new TypeRef(leaf.Type.Element, Shape.ReadOnlySpan), packed.Collection, where, packed);
        parameters.Add(spec);
        context.Leaves[path] = spec;
        if (leaf.IsParameter)
        {
            context.Leaves[path + ".Value"] = spec;
            context.Leaves[name + "." + layers.Path + "[]." + leaf.Value] = spec;
        }

        return spec;
    }

    /// <summary>
    /// An array of float or double arrays a gradient names (<c>double[][] w</c>): its rows are the layers of a collection
    /// whose one leaf is the row itself, packed back to back like a model's layers (<see cref="PackedLeafSpec"/>, empty
    /// chains); the gradient argument is an array of arrays of the same shape (<c>double[][] dw</c>), each row added into.
    /// </summary>
    private static ParameterSpec JaggedLeaf(string name, string collection, ModelTypes.JaggedArray jagged, List<ParameterSpec> parameters, WrtContext context)
    {
        string path = collection + "[].";
        if (context.Leaves.TryGetValue(path, out ParameterSpec? known))
        {
            return known;
        }

        string gradient = Unique(context.Reserved, "d" + name);
        string local = Unique(context.Reserved, name + "Rows");
        var packed = new PackedLeafSpec(collection, gradient, "Length", string.Empty, string.Empty, string.Empty,
            Unique(context.Reserved, local + "At"), Unique(context.Reserved, "row"));
        context.Reserved.Add(packed.Buffer(local));
        context.Reserved.Add(packed.Buffer(packed.Offsets));
        context.Reserved.Add("d" + packed.Buffer(local));
        var where = new ModelLeafSpec(collection, string.Empty, string.Empty, gradient, jagged.CSharp, ByRef: false);
        parameters.Add(new ParameterSpec(packed.Offsets, new TypeRef(ElementKind.Int, Shape.ReadOnlySpan), packed.Collection, Packed: packed));
        var spec = new ParameterSpec(local, new TypeRef(jagged.Kind, Shape.ReadOnlySpan), packed.Collection, where, packed);
        parameters.Add(spec);
        context.Leaves[path] = spec;
        return spec;
    }

    /// <summary>
    /// What <c>IModel&lt;T&gt;</c> needs of a model type declared <c>partial</c> in source (and in partial types), whose leaves
    /// are all buffers (a scalar field is no array an optimizer can hold); null otherwise.
    /// </summary>
    private static ModelTypeSpec? ModelTypeOf(ITypeSymbol type, List<ModelTypes.Leaf> leaves)
    {
        if (type is not INamedTypeSymbol { IsGenericType: false } named || leaves.Any(l => l.Type.IsScalar)
            || named.AllInterfaces.Any(i => i.OriginalDefinition.ToDisplayString() == "DiffGen.IModel<T>"))
        {
            return null;
        }

        var types = new List<ContainingTypeSpec>();
        for (INamedTypeSymbol? t = named; t is not null; t = t.ContainingType)
        {
            if (t.IsGenericType || t.DeclaringSyntaxReferences.Length == 0)
            {
                return null;
            }

            foreach (SyntaxReference reference in t.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is not TypeDeclarationSyntax declaration || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return null;
                }
            }

            string keyword = t.IsRecord ? (t.IsValueType ? "record struct" : "record") : t.IsValueType ? "struct" : "class";
            types.Insert(0, new ContainingTypeSpec(keyword, t.Name, string.Empty));
        }

        string ns = named.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
        string hint = string.Join(".", new[] { ns }.Concat(types.Select(t => t.Name)).Where(s => s.Length > 0)) + ".IModel.g.cs";
        var buffers = leaves.Select(l => new ModelBufferSpec(l.Path, l.Value, l.Gradient, l.Type.Element, l.Layers?.Path, l.Layers?.Count)).ToEquatableArray();
        return new ModelTypeSpec(ns.Length == 0 ? null : ns, types.ToEquatableArray(), hint, buffers);
    }

    private static string Unique(HashSet<string> reserved, string name)
    {
        string candidate = name;
        for (int k = 2; !reserved.Add(candidate); k++)
        {
            candidate = name + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static string Suggest(string wrong, IEnumerable<string> candidates)
    {
        string best = string.Empty;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int d = Distance(wrong.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }

        return bestDistance <= Math.Max(1, wrong.Length / 3) ? best : string.Empty;
    }

    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
