using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Copies between vectors: <c>double[] c = x.ToArray()</c> (or <c>Clone()</c>) is a new vector filled element by
/// element, and <c>src.CopyTo(dst)</c>, <c>array.CopyTo(dst, index)</c>, <c>Array.Copy(…)</c> are element loops, so the
/// derivative flows from every copied element to its source. The checks the framework makes (destination too short,
/// ranges outside the arrays) are made first, with the same exception types.
/// </summary>
internal sealed partial class BodyLowering
{
    /// <summary><c>T[] c = v.ToArray();</c> / <c>(T[])v.Clone()</c>: false when the initializer is not a copy of a vector.</summary>
    private bool TryLowerCopyDeclarator(IVariableDeclaratorOperation declarator, ILocalSymbol local, IVariableInitializerOperation? initializer, TypeRef type)
    {
        IOperation? value = initializer?.Value;
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        IOperation? source = value switch
        {
            IInvocationOperation { TargetMethod.Name: "ToArray", Instance: { } instance, Arguments.Length: 0 } => instance,
            IInvocationOperation { TargetMethod.Name: "ToArray", Instance: null, Arguments.Length: 1 } call when call.TargetMethod.ContainingType.Name == "Enumerable" => call.Arguments[0].Value,
            IInvocationOperation { TargetMethod.Name: "Clone", Instance: { } instance, Arguments.Length: 0 } => instance,
            _ => null,
        };
        if (source is null || type.Shape != Shape.Array || ViewSlice(WithoutConversions(source)) is not { } from || from.Vector.Type.Element != type.Element)
        {
            return false;
        }

        if (RefusedBelowTopLevel(declarator, local, type))
        {
            return true;
        }

        SpanView bound = Bound(from, local.Name + "Source");
        Var copy = Claim(local, local.Name, type);
        _current.Add(new Declare(copy.Name, type, new NewVector(type, bound.Length, Stack: false)) { Source = SourceText.OfDeclarator(declarator.Syntax) });
        CopyLoop(bound, new SpanView(copy, LiteralFormatter.Int(0), bound.Length));
        return true;
    }

    /// <summary><c>src.CopyTo(dst)</c>, <c>array.CopyTo(dst, index)</c>, <c>Array.Copy(src, dst, n)</c>, <c>Array.Copy(src, i, dst, j, n)</c>.</summary>
    private bool TryLowerCopyStatement(IInvocationOperation call)
    {
        IMethodSymbol method = call.TargetMethod;
        IOperation[] args = call.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToArray();
        (IOperation Source, IOperation? SourceIndex, IOperation Destination, IOperation? DestinationIndex, IOperation? Count)? copy = method switch
        {
            { Name: "CopyTo", Parameters.Length: 1 } when call.Instance is { } instance => (instance, null, args[0], null, null),
            { Name: "CopyTo", Parameters.Length: 2, ContainingType.SpecialType: SpecialType.System_Array } when call.Instance is { } instance => (instance, null, args[0], args[1], null),
            { Name: "Copy", IsStatic: true, Parameters.Length: 3, ContainingType.SpecialType: SpecialType.System_Array } => (args[0], null, args[1], null, args[2]),
            { Name: "Copy", IsStatic: true, Parameters.Length: 5, ContainingType.SpecialType: SpecialType.System_Array } => (args[0], args[1], args[2], args[3], args[4]),
            _ => null,
        };
        if (copy is not { } c || ViewSlice(WithoutConversions(c.Source)) is not { } source || ViewSlice(WithoutConversions(c.Destination)) is not { } destination
            || c.Count?.Type?.SpecialType is not (null or SpecialType.System_Int32) || source.Vector.Type.Element != destination.Vector.Type.Element)
        {
            return false;
        }

        if (source.Vector.Name == destination.Vector.Name)
        {
            // Overlapping copies move like memmove; an element loop in one direction would not.
            ReportExpression(call, "a copy within one vector", "; copy through a second buffer");
            return true;
        }

        // A slice written in the call is checked against its vector first, as Slice would; then each range against the
        // span or array the user named (a view's own length), as CopyTo and Copy do.
        source = Checked(source, c.Source);
        destination = Checked(destination, c.Destination);

        Expr sourceOffset = c.SourceIndex is null ? LiteralFormatter.Int(0) : DeclareInt("copySourceOffset", LowerExpr(c.SourceIndex));
        Var count = DeclareInt("copyCount", c.Count is null ? Minus(source.Length, sourceOffset) : LowerExpr(c.Count));
        _current.Add(CheckRange(source.Length, sourceOffset, count));
        Expr destinationOffset = c.DestinationIndex is null ? LiteralFormatter.Int(0) : DeclareInt("copyDestinationOffset", LowerExpr(c.DestinationIndex));
        _current.Add(CheckRange(destination.Length, destinationOffset, count));
        CopyLoop(new SpanView(source.Vector, Plus(source.Start, sourceOffset), count), new SpanView(destination.Vector, Plus(destination.Start, destinationOffset), count));
        return true;
    }

    /// <summary>
    /// <c>span.Clear()</c>, <c>span.Fill(v)</c>, <c>Array.Clear(a)</c>, <c>Array.Clear(a, i, n)</c>, <c>Array.Fill(a, v)</c>,
    /// <c>Array.Fill(a, v, i, n)</c> on a vector: element loops <c>a[k] = v</c>, so what was there before no longer reaches the
    /// result and the values the reverse sweep needs are restored like any overwritten element's.
    /// </summary>
    private bool TryLowerFillStatement(IInvocationOperation call)
    {
        IMethodSymbol method = call.TargetMethod;
        IOperation[] args = call.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToArray();
        bool onArray = method.IsStatic && method.ContainingType.SpecialType == SpecialType.System_Array;
        bool onSpan = !method.IsStatic && method.ContainingType is { Name: "Span", ContainingNamespace.Name: "System" };
        (IOperation Target, IOperation? Value, IOperation? Start, IOperation? Count)? fill = method.Name switch
        {
            "Clear" when onSpan && args.Length == 0 && call.Instance is { } span => (span, null, null, null),
            "Fill" when onSpan && args.Length == 1 && call.Instance is { } span => (span, args[0], null, null),
            "Clear" when onArray && args.Length is 1 or 3 => (args[0], null, args.Length == 3 ? args[1] : null, args.Length == 3 ? args[2] : null),
            "Fill" when onArray && args.Length is 2 or 4 => (args[0], args[1], args.Length == 4 ? args[2] : null, args.Length == 4 ? args[3] : null),
            _ => null,
        };
        if (fill is not { } f || ViewSlice(WithoutConversions(f.Target)) is not { } target || !target.Vector.Type.IsVector
            || target.Vector.Type.Element is not (ElementKind.Float or ElementKind.Double or ElementKind.Int))
        {
            return false;
        }

        TypeRef element = target.Vector.Type.ElementType;
        Expr value = f.Value is null ? DefaultOf(element)! : ConvertTo(LowerExpr(f.Value), element);
        if (IsDummy(value))
        {
            return true;
        }

        if (value is not (Literal or Var))
        {
            value = DeclareLocal("fillValue", value.Type, value); // evaluated once, before the loop
        }

        target = Checked(target, f.Target);
        Expr start = LiteralFormatter.Int(0);
        Expr count = target.Length;
        if (f.Start is not null && f.Count is not null)
        {
            start = DeclareInt("fillStart", LowerExpr(f.Start));
            count = DeclareInt("fillCount", LowerExpr(f.Count));
            // Array.Fill throws ArgumentOutOfRangeException (CheckSlice's), Array.Clear IndexOutOfRangeException.
            _current.Add(f.Value is null
                ? new Evaluate(new Opaque(TypeRef.Void, new[] { KnownTypeNames.GradientGuard + ".CheckClearRange(", ", ", ", ", ")" }.ToEquatableArray(), new[] { target.Length, start, count }.ToEquatableArray(), EquatableArray<string>.Empty))
                : CheckRange(target.Length, start, count));
        }

        FillLoop(target.Vector, Plus(target.Start, start), count, value);
        return true;
    }

    /// <summary><c>for (int index = 0; index &lt; count; index++) vector[offset + index] = value;</c></summary>
    private void FillLoop(Var vector, Expr offset, Expr count, Expr value)
    {
        string index = _names.Unique("index");
        var body = Block.Of(new Stmt[] { new Assign(new Elem(vector.Type.ElementType, vector.Name, Plus(offset, new Var(TypeRef.Int, index))), value) });
        AddIndexLoop(index, count, body, counted: true);
    }

    private SpanView Checked(SpanView slice, IOperation written) =>
        ViewOf(written) is null && !(slice.Start is Literal { Text: "0" } && slice.Length is LengthOf) ? Bound(slice, "slice") : slice;

    private void CopyLoop(SpanView from, SpanView to)
    {
        string index = _names.Unique("index");
        var at = new Var(TypeRef.Int, index);
        var body = Block.Of(new Stmt[]
        {
            new Assign(new Elem(to.Vector.Type.ElementType, to.Vector.Name, Plus(to.Start, at)), new Elem(from.Vector.Type.ElementType, from.Vector.Name, Plus(from.Start, at))),
        });
        AddIndexLoop(index, from.Length, body, counted: true);
    }
}
