using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Helpers that return a vector they create (<c>double[] z = MatVec(w, x, rows);</c> with <c>var y = new double[rows];
/// … return y;</c>), called to initialise a vector at the top level of the method. The IR's vectors live at the top
/// level, and so does this call: its body is inlined there, flat, and the vector it creates and returns is the caller's
/// (no copy), so every later pass sees the same code as if the user had written the helper's body in place.
/// </summary>
internal sealed partial class BodyLowering
{
    /// <summary>The local a helper inlined flat creates and returns, by symbol: the caller's vector it becomes.</summary>
    private readonly Dictionary<ISymbol, (Var Into, Location Call)> _returnedVectors = new(SymbolEqualityComparer.Default);

    /// <summary>How many of the helpers being inlined are inlined flat at the top level (their vectors are top-level vectors).</summary>
    private int _flatInlining;

    /// <summary>Inlines the call <paramref name="value"/> at the top level when its method creates the vector it returns; false when it does not have that shape.</summary>
    private bool TryInlineVectorHelper(IVariableDeclaratorOperation declarator, ILocalSymbol local, IOperation value, TypeRef type)
    {
        if (WithoutConversions(value) is not IInvocationOperation call
            || call.Instance is not (null or IInstanceReferenceOperation) || _receiver is not null
            || _inlining.Contains(call.TargetMethod.OriginalDefinition, SymbolEqualityComparer.Default)
            || CalleeResolver.Resolve(call.TargetMethod, _method, CalleeResolver.QualifiedName(call.TargetMethod)) is not null
            || InlinedBody(call.TargetMethod) is not { } body || ReturnedVector(body) is not { } returned
            || TypeClassifier.Classify(returned.Type).Element != type.Element || IsReassigned(declarator, local))
        {
            return false;
        }

        IMethodSymbol function = call.TargetMethod.OriginalDefinition;
        Var into = Claim(local, local.Name, TypeClassifier.Classify(returned.Type));
        _returnedVectors[returned] = (into, declarator.Syntax.GetLocation());
        if (!BindParameters(call, function, body))
        {
            _returnedVectors.Remove(returned);
            return true;
        }

        _inlining.Add(function);
        _flatInlining++;
        foreach (IOperation operation in body.Operations.Take(body.Operations.Length - 1))
        {
            LowerStatement(operation);
        }

        _flatInlining--;
        _inlining.RemoveAt(_inlining.Count - 1);
        _returnedVectors.Remove(returned);
        return true;
    }

    /// <summary>
    /// <c>var h = new double[n];</c> inside a loop or an inlined helper, with n a constant or the length or value of a
    /// parameter of the method that is never reassigned: the vector is created once at the top of the method (the IR's
    /// vectors live there) and zeroed where the user creates it, which is what a fresh array holds. False otherwise.
    /// </summary>
    private bool TryHoistVector(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer, Var into)
    {
        if (!into.Type.IsVector)
        {
            return false;
        }

        // stackalloc T[n] (read from the syntax: it has no IOperation shape of its own in every compiler version) or new T[n].
        IOperation? sizeOperation = null;
        bool stack = false;
        if ((declarator.Syntax as VariableDeclaratorSyntax)?.Initializer?.Value is StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax arrayType, Initializer: null }
            && arrayType.RankSpecifiers.Count == 1 && arrayType.RankSpecifiers[0].Sizes.Count == 1)
        {
            sizeOperation = _model.GetOperation(arrayType.RankSpecifiers[0].Sizes[0], _cancellationToken);
            stack = true;
        }
        else if ((initializer?.Value is { } v ? WithoutConversions(v) : null) is IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: null } creation)
        {
            sizeOperation = creation.DimensionSizes[0];
        }

        if (sizeOperation is null || AtTheTop(LowerExpr(sizeOperation)) is not { } size)
        {
            return false;
        }

        var vectorType = new TypeRef(into.Type.Element, stack ? Shape.Span : Shape.Array);
        _prologue.Add(new Declare(into.Name, vectorType, new NewVector(vectorType, size, Stack: stack)));
        _hoisted.Add(into.Name);
        FillLoop(into, LiteralFormatter.Int(0), new LengthOf(into.Name), DefaultOf(into.Type.ElementType)!);
        return true;
    }

    /// <summary>Int locals declared once and never written again, with their values: a size computed before an allocation.</summary>
    private readonly Dictionary<string, Expr> _fixedInts = new();

    /// <summary>Vectors created at the top by <see cref="TryHoistVector"/>, in order: a later one may take its size from their lengths.</summary>
    private readonly HashSet<string> _hoisted = new();

    /// <summary>
    /// <paramref name="size"/> as it can be computed at the top of the method (constants, the method's parameters and their
    /// lengths, int locals computed once from those, substituted), or null when it depends on anything else.
    /// </summary>
    private Expr? AtTheTop(Expr size, int depth = 0) => size switch
    {
        Literal => size,
        Binary { Type.Element: ElementKind.Int } b when AtTheTop(b.Left, depth) is { } left && AtTheTop(b.Right, depth) is { } right => b with { Left = left, Right = right },
        LengthOf length when IsFixedParameter(length.Array) || _hoisted.Contains(length.Array) => size,
        Var parameter when IsFixedParameter(parameter.Name) => size,
        Var local when depth < 8 && _fixedInts.TryGetValue(local.Name, out Expr? value) => AtTheTop(value, depth + 1),
        _ => null,
    };

    /// <summary>A parameter of the [Differentiable] method itself, never reassigned: its value and length are the same everywhere in the body.</summary>
    private bool IsFixedParameter(string name) =>
        _method.Parameters.Any(p => p.Name == name && _variables.TryGetValue(p, out Var? own) && own.Name == name && !_reassignedParameters.Contains(p));

    /// <summary>
    /// The local a body creates at its top level (<c>var y = new double[n];</c>, never reassigned) and returns in its last
    /// statement, its only return; null for any other shape.
    /// </summary>
    private static ILocalSymbol? ReturnedVector(IBlockOperation body)
    {
        if (body.Operations.LastOrDefault() is not IReturnOperation { ReturnedValue: { } last }
            || WithoutConversions(last) is not ILocalReferenceOperation { Local: var returned }
            || body.Descendants().OfType<IReturnOperation>().Count() != 1
            || body.Descendants().Any(o => o is ILocalFunctionOperation or IAnonymousFunctionOperation))
        {
            return null;
        }

        IVariableDeclaratorOperation? declarator = body.Operations.OfType<IVariableDeclarationGroupOperation>()
            .SelectMany(g => g.Declarations).SelectMany(d => d.Declarators)
            .FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, returned));
        IOperation? created = declarator?.Initializer?.Value ?? declarator?.GetVariableInitializer()?.Value;
        return created is not null && WithoutConversions(created) is IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: null }
            && returned.Type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double or SpecialType.System_Single }
            && !IsReassigned(declarator!, returned)
            ? returned
            : null;
    }
}
