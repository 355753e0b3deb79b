using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Spans that view part of a vector: <c>ReadOnlySpan&lt;double&gt; row = w.Slice(i * n, n)</c>, <c>x[1..^1]</c>,
/// <c>x.AsSpan(start, length)</c>, or <c>ReadOnlySpan&lt;double&gt; s = x</c>. The view is no vector of its own: it is its
/// start and length, held in int locals where the user declared it (inside a loop, too), and <c>row[j]</c> is element
/// <c>start + j</c> of the vector it views, so every pass sees the same elements the user's code touches. Declaring or
/// rebinding it makes the bounds check <c>Slice</c> makes.
/// </summary>
internal sealed partial class BodyLowering
{
    private readonly Dictionary<ISymbol, SpanView> _views = new(SymbolEqualityComparer.Default);

    /// <summary>A window of <paramref name="Vector"/>: elements Start … Start + Length − 1.</summary>
    private sealed record SpanView(Var Vector, Expr Start, Expr Length);

    /// <summary>A slice, range or conversion to a span of a vector (or of another view); null for anything else.</summary>
    private SpanView? ViewSlice(IOperation operation)
    {
        while (operation is IConversionOperation { Operand: var operand } conversion && IsSpanLike(conversion.Type) && IsSpanLike(operand.Type))
        {
            operation = operand;
        }

        switch (operation)
        {
            case ILocalReferenceOperation l when _views.TryGetValue(l.Local, out SpanView? view):
                return view;
            case IParameterReferenceOperation p when _views.TryGetValue(p.Parameter, out SpanView? view):
                return view;
            case ILocalReferenceOperation or IParameterReferenceOperation when GridOf(operation) is null && LowerExpr(operation) is Var { Type.IsVector: true } vector:
                return new SpanView(vector, LiteralFormatter.Int(0), new LengthOf(vector.Name));
            case IInvocationOperation { TargetMethod.Name: "Slice", Instance: { } instance, Arguments.Length: 1 or 2 } slice when ViewSlice(instance) is { } source:
                return Window(source, slice.Arguments[0].Value, slice.Arguments.Length == 2 ? slice.Arguments[1].Value : null);
            case IInvocationOperation { TargetMethod.Name: "AsSpan", Instance: null, Arguments.Length: >= 1 and <= 3 } asSpan
                when asSpan.TargetMethod.ContainingType.Name == "MemoryExtensions" && asSpan.Arguments[0].Value.Type is IArrayTypeSymbol { Rank: 1 }
                    && asSpan.Arguments.Skip(1).All(a => a.Value.Type?.SpecialType == SpecialType.System_Int32) && ViewSlice(asSpan.Arguments[0].Value) is { } array:
                return asSpan.Arguments.Length == 1 ? array : Window(array, asSpan.Arguments[1].Value, asSpan.Arguments.Length == 3 ? asSpan.Arguments[2].Value : null);
            case IImplicitIndexerReferenceOperation { Argument: IRangeOperation range, Instance: { } instance } when ViewSlice(instance) is { } source:
                return Range(source, range);
            case IArrayElementReferenceOperation { Indices.Length: 1, ArrayReference: var array } element when element.Indices[0] is IRangeOperation range && ViewSlice(array) is { } source:
                // array[a..b] copies (RuntimeHelpers.GetSubArray); read-only as a view, it reads the same elements.
                return Range(source, range);
            default:
                return null;
        }
    }

    /// <summary><c>source[a..b]</c>, either end optional or counted from the end (<c>^k</c>).</summary>
    private SpanView Range(SpanView source, IRangeOperation range)
    {
        Expr start = range.LeftOperand is null ? LiteralFormatter.Int(0) : IndexIn(source, range.LeftOperand);
        Expr end = range.RightOperand is null ? source.Length : IndexIn(source, range.RightOperand);
        return new SpanView(source.Vector, Plus(source.Start, start), Minus(end, start));
    }

    /// <summary><c>source.Slice(start, length)</c>, or to the end when <paramref name="length"/> is null.</summary>
    private SpanView Window(SpanView source, IOperation start, IOperation? length)
    {
        Expr offset = LowerExpr(start);
        Expr count = length is null ? Minus(source.Length, offset) : LowerExpr(length);
        return new SpanView(source.Vector, Plus(source.Start, offset), count);
    }

    /// <summary>An index of a range: <c>k</c>, or <c>^k</c> counted from the end of <paramref name="source"/>.</summary>
    private Expr IndexIn(SpanView source, IOperation index) => index switch
    {
        IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat, Operand: var fromEnd } => Minus(source.Length, LowerExpr(fromEnd)),
        IConversionOperation { Operand: var value } when value.Type?.SpecialType == SpecialType.System_Int32 => LowerExpr(value),
        _ => LowerExpr(index),
    };

    private static Expr Minus(Expr a, Expr b) => b is Literal { Text: "0" } ? a : new Binary(TypeRef.Int, BinaryOp.Subtract, a, b);

    private static bool IsSpanLike(ITypeSymbol? type) =>
        type is IArrayTypeSymbol { Rank: 1 } || type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", ContainingNamespace.Name: "System" };

    /// <summary>
    /// <c>ReadOnlySpan&lt;T&gt; view = &lt;slice&gt;;</c>: the start and length into int locals (declared here, so a view
    /// declared in a loop is rebound each iteration), then the bounds check. False when the initializer is no slice.
    /// </summary>
    private bool TryLowerViewDeclarator(IVariableDeclaratorOperation declarator, ILocalSymbol local, IVariableInitializerOperation? initializer)
    {
        if (initializer is null || local.Type is not INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" } || IsFreshVector(initializer.Value))
        {
            return false;
        }

        if (ViewSlice(initializer.Value) is not { } slice)
        {
            return false;
        }

        if (IsReassigned(declarator, local, byAssignment: false))
        {
            ReportStatement(declarator, "span " + local.Name + " passed by ref or out", "; declare a new span instead");
            return true;
        }

        _claimed.Add(local.Name);
        _views[local] = Bound(slice, local.Name);
        return true;
    }

    /// <summary><c>view = &lt;slice of the same vector&gt;;</c> moves the window.</summary>
    private bool TryRebindView(ISimpleAssignmentOperation assignment)
    {
        if (assignment.Target is not ILocalReferenceOperation { Local: var local } || !_views.TryGetValue(local, out SpanView? view))
        {
            return false;
        }

        if (ViewSlice(assignment.Value) is not { } slice || slice.Vector.Name != view.Vector.Name)
        {
            ReportExpression(assignment, "a span viewing another vector than the one it was declared on", "; declare a new span");
            return true;
        }

        // Both computed before either is written: the new window may be defined through the old one.
        var start = (Var)view.Start;
        var length = (Var)view.Length;
        Var newStart = DeclareInt(local.Name + "Start", slice.Start);
        _current.Add(new Assign(length, slice.Length));
        _current.Add(new Assign(start, newStart));
        _current.Add(CheckSlice(view.Vector, start, length));
        return true;
    }

    private static Stmt CheckSlice(Var vector, Expr start, Expr length) => CheckRange(new LengthOf(vector.Name), start, length);

    /// <summary>Throws as <c>Slice(start, length)</c> of something <paramref name="total"/> long would.</summary>
    private static Stmt CheckRange(Expr total, Expr start, Expr length) =>
        new Evaluate(new Opaque(
            TypeRef.Void,
            new[] { KnownTypeNames.GradientGuard + ".CheckSlice(", ", ", ", ", ")" }.ToEquatableArray(),
            new Expr[] { total, start, length }.ToEquatableArray(),
            EquatableArray<string>.Empty));

    /// <summary>What a view's uses lower to; null when the operation is not about a view.</summary>
    private Expr? LowerViewUse(IOperation operation, TypeRef type)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance, Arguments.Length: 1 } element when ViewOf(instance) is { } view:
                return ViewElement(view, element.Arguments[0].Value, type);
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when ViewOf(element.ArrayReference) is { } view:
                return ViewElement(view, element.Indices[0], type);
            case IImplicitIndexerReferenceOperation { Instance: { } instance, Argument: var index } when index is not IRangeOperation && ViewOf(instance) is { } view:
                {
                    // view[^k] is view[Length - k]; view[i] with an Index converted from an int is view[i].
                    Expr at = index is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat, Operand: var fromEnd }
                        ? Minus(view.Length, LowerExpr(fromEnd))
                        : LowerExpr(index is IConversionOperation { Operand: var value } && value.Type?.SpecialType == SpecialType.System_Int32 ? value : index);
                    return IsDummy(at) ? Dummy(type) : new Elem(view.Vector.Type.ElementType, view.Vector.Name, Plus(view.Start, at));
                }

            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance } when ViewOf(instance) is { } view:
                return view.Length;
            case ILocalReferenceOperation or IParameterReferenceOperation when ViewOf(operation) is not null:
                ReportExpression(operation, "a span viewing part of a vector, used other than by its elements, Length, Slice or foreach",
                    "; index it, or pass the whole vector with the offset");
                return Dummy(type);
            default:
                return null;
        }
    }

    private Expr ViewElement(SpanView view, IOperation indexOperation, TypeRef type)
    {
        Expr index = LowerExpr(indexOperation);
        return IsDummy(index) ? Dummy(type) : new Elem(view.Vector.Type.ElementType, view.Vector.Name, Plus(view.Start, index));
    }

    private SpanView? ViewOf(IOperation operation) =>
        VariableSymbol(operation) is { } symbol && _views.TryGetValue(symbol, out SpanView? view) ? view : null;

    /// <summary>A stackalloc or new T[n]: a vector of its own, not a view.</summary>
    private static bool IsFreshVector(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value is IArrayCreationOperation || value.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.StackAllocArrayCreationExpressionSyntax;
    }

    /// <summary>foreach over a view or a slice expression: an index loop over its window (bounds fixed before the loop).</summary>
    private bool TryLowerForEachOverView(IForEachLoopOperation forEach, IOperation collection)
    {
        if (!IsSliceForm(collection) || forEach.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: { } element } || ViewSlice(collection) is not { } slice)
        {
            return false;
        }

        LowerForEachOverWindow(forEach, element, ViewOf(collection) ?? Bound(slice, "slice"));
        return true;
    }

    /// <summary>A slice with its start and length in int locals, checked: how a view is passed to a helper or iterated.</summary>
    private SpanView Bound(SpanView slice, string hint)
    {
        Var start = DeclareInt(hint + "Start", slice.Start);
        Var length = DeclareInt(hint + "Length", slice.Length);
        _current.Add(CheckSlice(slice.Vector, start, length));
        return new SpanView(slice.Vector, start, length);
    }

    /// <summary>A helper's span parameter handed a view or a slice: the parameter is that window of the caller's vector.</summary>
    private bool TryBindViewArgument(IParameterSymbol parameter, IOperation argument)
    {
        if (!IsSliceForm(argument) || parameter.Type is not INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" } || ViewSlice(argument) is not { } slice)
        {
            return false;
        }

        _views[parameter] = ViewOf(argument) ?? Bound(slice, parameter.Name);
        return true;
    }

    /// <summary>A view, or an expression that slices (<c>Slice</c>, <c>AsSpan</c>, a range): not a whole vector variable.</summary>
    private bool IsSliceForm(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return ViewOf(operation) is not null
            || operation is IInvocationOperation { TargetMethod.Name: "Slice" or "AsSpan" } or IImplicitIndexerReferenceOperation { Argument: IRangeOperation }
            || operation is IArrayElementReferenceOperation { Indices.Length: 1 } element && element.Indices[0] is IRangeOperation;
    }

    /// <summary>
    /// A view or a slice handed to a read-only span of a method with a derivative (<c>Ops.Dot(w.Slice(i * n, n), x)</c>):
    /// that window of the vector, checked as Slice checks; the call's pullback adds into the same window of the adjoint.
    /// </summary>
    private SliceOf? ViewArgument(IOperation argument, TypeRef parameterType)
    {
        if (!IsSliceForm(argument) || ViewSlice(argument) is not { } slice || slice.Vector.Type.Element != parameterType.Element)
        {
            return null;
        }

        SpanView view = ViewOf(argument) ?? Bound(slice, "slice");
        return new SliceOf(new TypeRef(parameterType.Element, Shape.ReadOnlySpan), view.Vector.Name, view.Start, view.Length);
    }
}
