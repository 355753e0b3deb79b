using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Differentiation.Preparation;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Helpers nobody annotated (issue #13 item 3): a call of a method whose body is in the compilation — a static or
/// instance method of any type, a local function — is inlined into the IR, recursively, so every later pass
/// (activity, recording, fusion, vectorisation) sees through it as if the user had written the body in place.
/// Parameters become locals (or alias the argument when the body never writes them), <c>out</c>/<c>ref</c>
/// parameters alias the caller's variable, early returns become a result variable and a flag. Recursion is DG0014.
/// </summary>
internal sealed partial class BodyLowering
{
    /// <summary>How deep inlined calls may nest before the generator stops (a guard against pathological code).</summary>
    private const int MaxInliningDepth = 24;

    /// <summary>The body to inline for a call of <paramref name="target"/>, or null when the call stays opaque.</summary>
    private IBlockOperation? InlinedBody(IMethodSymbol target)
    {
        IMethodSymbol definition = target.OriginalDefinition;
        if (definition.MethodKind == MethodKind.LocalFunction)
        {
            return _localFunctions.TryGetValue(definition, out ILocalFunctionOperation? local) ? local.Body : null;
        }

        // Only a body that is the one that runs: no virtual dispatch, no generic substitution.
        if (definition.IsAbstract || definition.IsVirtual || definition.IsOverride && !definition.IsSealed || definition.IsExtern
            || definition.IsGenericMethod || definition.ContainingType is { IsGenericType: true }
            || definition.MethodKind is not (MethodKind.Ordinary or MethodKind.UserDefinedOperator or MethodKind.PropertyGet))
        {
            return null;
        }

        IMethodSymbol implementation = definition.PartialImplementationPart ?? definition;
        foreach (SyntaxReference reference in implementation.DeclaringSyntaxReferences)
        {
            SyntaxNode syntax = reference.GetSyntax(_cancellationToken);
            if (syntax is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or ArrowExpressionClauseSyntax
                && SemanticModelFor(syntax).GetOperation(syntax, _cancellationToken) is { } operation)
            {
                IBlockOperation? body = operation switch
                {
                    IMethodBodyOperation method => method.BlockBody ?? method.ExpressionBody,
                    IBlockOperation block => block,
                    _ => null,
                };
                if (body is not null)
                {
                    return body;
                }
            }
        }

        return null;
    }

    private Expr? InlineCall(IInvocationOperation invocation, IMethodSymbol target, IBlockOperation body, TypeRef type, bool asStatement)
    {
        IMethodSymbol function = target.OriginalDefinition;
        if (_inlining.Contains(function, SymbolEqualityComparer.Default))
        {
            Report(DiagnosticDescriptors.RecursionNotSupported, invocation.Syntax.GetLocation(), function.Name);
            return Dummy(type);
        }

        if (_inlining.Count >= MaxInliningDepth)
        {
            ReportExpression(invocation, "call nested " + MaxInliningDepth + " helpers deep", "; call a [Differentiable] method to cut the nesting");
            return Dummy(type);
        }

        if (_noExtraction is not null && !asStatement)
        {
            Report(DiagnosticDescriptors.CallMustBeHoisted, invocation.Syntax.GetLocation(), function.Name, _method.Name, _noExtraction);
            return Dummy(type);
        }

        Expr? receiver = _receiver;
        StructValue? structReceiver = _structReceiver;
        if (!function.IsStatic && invocation.Instance is { } structInstance && structInstance is not IInstanceReferenceOperation && IsFlat(structInstance.Type))
        {
            structReceiver = LowerStruct(structInstance);
            if (structReceiver is null)
            {
                return Dummy(type);
            }
        }
        else if (!function.IsStatic && invocation.Instance is { } instance && instance is not IInstanceReferenceOperation)
        {
            receiver = LowerOperand(instance);
            if (IsDummy(receiver))
            {
                return Dummy(type);
            }

            if (receiver is not Var)
            {
                // Evaluated once, as the call would.
                string name = _names.Unique(char.ToLowerInvariant(function.Name[0]) + function.Name.Substring(1) + "Target");
                _claimed.Add(name);
                _current.Add(new Declare(name, receiver.Type, receiver));
                receiver = new Var(receiver.Type, name);
            }
        }

        if (!BindParameters(invocation, function, body))
        {
            return Dummy(type);
        }

        Expr? savedReceiver = _receiver;
        StructValue? savedStructReceiver = _structReceiver;
        _receiver = receiver;
        _structReceiver = structReceiver;
        _inlining.Add(function);
        _nestingDepth++;
        Block lowered = LowerBlock(body.Operations);
        _nestingDepth--;
        _inlining.RemoveAt(_inlining.Count - 1);
        _receiver = savedReceiver;
        _structReceiver = savedStructReceiver;

        bool hasValue = type.Element is not ElementKind.Void;
        string? result = hasValue ? _names.Unique(char.ToLowerInvariant(function.Name[0]) + function.Name.Substring(1)) : null;
        if (result is not null)
        {
            _claimed.Add(result);
        }

        _current.AddRange(ControlFlowNormalizer.InlineReturns(lowered, result, type, _names));
        return result is null || asStatement ? null : new Var(type, result);
    }

    /// <summary>Binds each parameter of the inlined method to the caller's argument; false after a diagnostic.</summary>
    private bool BindParameters(IInvocationOperation invocation, IMethodSymbol function, IBlockOperation body)
    {
        var written = new HashSet<ISymbol>(body.Descendants().Select(WrittenParameter).OfType<IParameterSymbol>(), SymbolEqualityComparer.Default);
        var mentioned = new HashSet<ISymbol>(body.Descendants().OfType<IParameterReferenceOperation>().Select(r => r.Parameter), SymbolEqualityComparer.Default);
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IParameterSymbol? parameter = argument.Parameter is null ? null : function.Parameters.ElementAtOrDefault(argument.Parameter.Ordinal);
            if (parameter is null)
            {
                continue;
            }

            // A model, or a part of it, passed to a helper: the helper reads its leaves through the parameter.
            if (parameter.RefKind == RefKind.None && ModelPart(argument.Value) is { } part && !written.Contains(parameter))
            {
                _modelAliases[parameter] = part;
            }
            else if (parameter.RefKind == RefKind.None && LayerOf(argument.Value) is { } layer && !written.Contains(parameter))
            {
                AliasLayer(parameter, layer, body); // a layer passed to a helper: its leaves are read through the parameter
                if (PackedLeafPath(argument.Value) is not null && TypeClassifier.Classify(parameter.Type) is { IsVector: true } rowType)
                {
                    // A row of a differentiated array of arrays (Dot(w[i], x)): its elements are read through the parameter.
                    Var holder = Claim(parameter, parameter.Name, rowType);
                    _current.Add(new Declare(holder.Name, rowType, LowerOpaque(argument.Value, rowType)));
                    _rowHolders.Add(holder.Name);
                    continue;
                }
            }

            if (parameter.RefKind == RefKind.None && IsDataRow(argument.Value)
                && TypeClassifier.Classify(parameter.Type) is { IsVector: true } dataRowType && !ElementsWrittenIn(body, parameter) && !written.Contains(parameter))
            {
                // A row of data (Dot(xs[i], w)): the caller's array, read through the parameter.
                Var holder = Claim(parameter, parameter.Name, dataRowType);
                _current.Add(new Declare(holder.Name, dataRowType, LowerExpr(argument.Value)));
                continue;
            }

            if (IsFlat(parameter.Type) && parameter.RefKind == RefKind.None)
            {
                if (!BindValue(parameter, argument.Value, body))
                {
                    return false;
                }

                continue;
            }

            TypeRef parameterType = TypeClassifier.Classify(parameter.Type);
            if (argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                if (!BindParamsArray(argument, parameter, parameterType, function))
                {
                    return false;
                }

                continue;
            }

            if (parameter.RefKind is RefKind.Out or RefKind.Ref)
            {
                Var? target = argument.Value switch
                {
                    IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } => DeclareOutLocal(declared.Local),
                    ILocalReferenceOperation or IParameterReferenceOperation => LowerExpr(argument.Value) as Var,
                    _ => null,
                };
                if (target is null || target.Type.IsVector != parameterType.IsVector)
                {
                    ReportExpression(argument, "ref or out argument that is not a local", "; pass a local variable");
                    return false;
                }

                _variables[parameter] = target;
                continue;
            }

            if (TryBindViewArgument(parameter, argument.Value))
            {
                continue;
            }

            if (GridOf(argument.Value) is { } grid && ModelTypes.RectangularArrayOf(parameter.Type)?.Rank == grid.Rank)
            {
                _grids[parameter] = grid; // the same elements and extents, as C# passes the array
                continue;
            }

            Expr value = ConvertTo(LowerOperand(argument.Value), parameterType);
            if (IsDummy(value))
            {
                return false;
            }

            if (parameterType.IsVector)
            {
                if (value is not Var vector)
                {
                    ReportExpression(argument, "vector argument that is not a variable", "; pass an array or span variable");
                    return false;
                }

                _variables[parameter] = vector; // the same elements, as C# passes them
                continue;
            }

            if (!mentioned.Contains(parameter))
            {
                continue; // a declared-but-unread local would be CS0219; calls in the argument were already pulled out
            }

            if (value is Var variable && !written.Contains(parameter))
            {
                _variables[parameter] = variable; // never written in the body: read the caller's variable directly
                continue;
            }

            Var local = Claim(parameter, parameter.Name, parameterType);
            var declaration = new Declare(local.Name, parameterType, value);
            _current.Add(declaration);
            if (parameterType.Element is ElementKind.Other)
            {
                RecordObjectDeclaration(parameter, declaration, written.Contains(parameter));
            }
        }

        return true;
    }

    /// <summary>
    /// <c>Helper(a, b, c)</c> with <c>params double[] values</c>: an array of that many elements declared once at the top of
    /// the method (the IR's vectors live there), filled at the call.
    /// </summary>
    private bool BindParamsArray(IArgumentOperation argument, IParameterSymbol parameter, TypeRef parameterType, IMethodSymbol function)
    {
        if (argument.Value is not IArrayCreationOperation { Initializer: { } elements } || !parameterType.IsVector || parameterType.Element is ElementKind.Other)
        {
            ReportExpression(argument, "params argument of the inlined method '" + function.Name + "'", "; pass an array variable");
            return false;
        }

        var arrayType = new TypeRef(parameterType.Element, Shape.Array);
        string name = _names.Unique(parameter.Name);
        _claimed.Add(name);
        _prologue.Add(new Declare(name, arrayType, new NewVector(arrayType, LiteralFormatter.Int(elements.ElementValues.Length), Stack: false)));
        for (int i = 0; i < elements.ElementValues.Length; i++)
        {
            Expr value = ConvertTo(LowerExpr(elements.ElementValues[i]), arrayType.ElementType);
            if (IsDummy(value))
            {
                return false;
            }

            _current.Add(new Assign(new Elem(arrayType.ElementType, name, LiteralFormatter.Int(i)), value));
        }

        _variables[parameter] = new Var(arrayType, name);
        return true;
    }

    private Var DeclareOutLocal(ILocalSymbol local)
    {
        TypeRef type = TypeClassifier.Classify(local.Type);
        Var variable = Claim(local, local.Name, type);
        _current.Add(new Declare(variable.Name, type, type.IsScalar ? DefaultOf(type) : null));
        return variable;
    }

    private static Expr? DefaultOf(TypeRef type) => type.Element switch
    {
        ElementKind.Float or ElementKind.Double => LiteralFormatter.Real(0, type),
        ElementKind.Int => LiteralFormatter.Int(0),
        ElementKind.Bool => new Literal(TypeRef.Bool, "false"),
        _ => new DefaultValue(type),
    };

    private static ISymbol? WrittenParameter(IOperation operation) => (WrittenTarget(operation) as IParameterReferenceOperation)?.Parameter;
}
