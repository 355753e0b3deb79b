using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Differentiation.Preparation;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// LINQ over arrays of reals with a clear derivative (issue #13 item 7): <c>Sum</c>, <c>Average</c>, <c>Max</c>,
/// <c>Min</c>, <c>Aggregate</c>, <c>Count</c>, with or without a selector, over an array, <c>Select</c> (with or without
/// the index), <c>Zip</c> of two arrays with a result selector, or <c>Enumerable.Range</c>. The chain becomes one loop
/// that computes what LINQ computes, in its order and precision (float sums and averages accumulate in double, as
/// <c>Enumerable</c> does), so the value is the same bits; the lambdas are inlined into the loop body. No delegate,
/// no enumerator, no allocation remains.
/// </summary>
internal sealed partial class BodyLowering
{
    /// <summary>Where a chain's elements come from, element by element.</summary>
    private abstract record LinqSource;

    private sealed record ArraySource(Var Array) : LinqSource;

    private sealed record RangeSource(Expr Start, Expr Count) : LinqSource;

    private sealed record SelectSource(LinqSource Inner, IAnonymousFunctionOperation Selector) : LinqSource;

    private sealed record ZipSource(LinqSource First, LinqSource Second, IAnonymousFunctionOperation Selector) : LinqSource;

    /// <summary>The loop for a LINQ call this lowering understands; null when it is not one (it stays code without a derivative).</summary>
    private Expr? LowerLinq(IInvocationOperation invocation, TypeRef type)
    {
        if (!IsEnumerable(invocation.TargetMethod) || invocation.Arguments.Length == 0)
        {
            return null;
        }

        string name = invocation.TargetMethod.Name;
        if (name is not ("Sum" or "Average" or "Max" or "Min" or "Aggregate" or "Count") || !type.IsScalar || type.Element is ElementKind.Other or ElementKind.Bool)
        {
            return null;
        }

        IAnonymousFunctionOperation? selector = name is "Sum" or "Average" or "Max" or "Min" or "Count"
            ? invocation.Arguments.Skip(1).Select(a => Lambda(a.Value)).FirstOrDefault()
            : null;
        if (name != "Aggregate" && invocation.Arguments.Length > (selector is null ? 1 : 2) || name == "Count" && selector is not null)
        {
            return null; // another overload (a predicate for Count, a comparer)
        }

        LinqSource? source = SourceOf(invocation.Arguments[0].Value);
        if (source is null)
        {
            return null;
        }

        if (selector is not null)
        {
            source = new SelectSource(source, selector);
        }

        if (_noExtraction is not null)
        {
            Report(DiagnosticDescriptors.CallMustBeHoisted, invocation.Syntax.GetLocation(), name, _method.Name, _noExtraction);
            return Dummy(type);
        }

        return name switch
        {
            "Sum" or "Average" => SumLoop(source, type, average: name == "Average"),
            "Max" or "Min" => ExtremumLoop(source, type, name == "Max"),
            "Count" => CountOf(source),
            _ => AggregateLoop(invocation, source, type),
        };
    }

    private static bool IsEnumerable(IMethodSymbol method) =>
        method.ContainingType is { Name: "Enumerable", ContainingNamespace: { Name: "Linq", ContainingNamespace.Name: "System" } };

    private static IAnonymousFunctionOperation? Lambda(IOperation operation) => operation switch
    {
        IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => lambda,
        IConversionOperation conversion => Lambda(conversion.Operand),
        _ => null,
    };

    private LinqSource? SourceOf(IOperation operation)
    {
        operation = WithoutConversions(operation);

        switch (operation)
        {
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
                when operation.Type is IArrayTypeSymbol && LowerExpr(operation) is Var { Type.IsVector: true } array:
                return new ArraySource(array);
            case IInvocationOperation { TargetMethod.Name: "Range", Arguments.Length: 2 } range when IsEnumerable(range.TargetMethod):
                return new RangeSource(LowerExpr(range.Arguments[0].Value), LowerExpr(range.Arguments[1].Value));
            case IInvocationOperation { TargetMethod.Name: "Select", Arguments.Length: 2 } select when IsEnumerable(select.TargetMethod)
                && Lambda(select.Arguments[1].Value) is { } selector && SourceOf(select.Arguments[0].Value) is { } inner:
                return new SelectSource(inner, selector);
            case IInvocationOperation { TargetMethod.Name: "Zip", Arguments.Length: 3 } zip when IsEnumerable(zip.TargetMethod)
                && Lambda(zip.Arguments[2].Value) is { } selector && SourceOf(zip.Arguments[0].Value) is { } first && SourceOf(zip.Arguments[1].Value) is { } second:
                return new ZipSource(first, second, selector);
            default:
                return null;
        }
    }

    /// <summary>How many elements the source has (a Range's count is held in a local: it is read by the loop test).</summary>
    private Expr CountOf(LinqSource source) => source switch
    {
        ArraySource array => new LengthOf(array.Array.Name),
        RangeSource range => range.Count,
        SelectSource select => CountOf(select.Inner),
        ZipSource zip => MinInt(CountOf(zip.First), CountOf(zip.Second)),
        _ => LiteralFormatter.Int(0),
    };

    private static Expr MinInt(Expr a, Expr b) => new Conditional(TypeRef.Int, new Binary(TypeRef.Bool, BinaryOp.Less, a, b), a, b);

    /// <summary>The element at <paramref name="index"/>, its statements added to the current block (the loop body).</summary>
    private Expr ElementAt(LinqSource source, Var index)
    {
        switch (source)
        {
            case ArraySource array:
                return new Elem(array.Array.Type.ElementType, array.Array.Name, index);
            case RangeSource range:
                return range.Start is Literal { Text: "0" } ? index : new Binary(TypeRef.Int, BinaryOp.Add, range.Start, index);
            case SelectSource select:
                {
                    Expr element = ElementAt(select.Inner, index);
                    return InlineLambda(select.Selector, new[] { element, index });
                }

            case ZipSource zip:
                {
                    Expr first = ElementAt(zip.First, index);
                    Expr second = ElementAt(zip.Second, index);
                    return InlineLambda(zip.Selector, new[] { first, second });
                }

            default:
                return LiteralFormatter.Int(0);
        }
    }

    /// <summary>The lambda's body with its parameters bound to <paramref name="arguments"/> (each in a local named after the parameter).</summary>
    private Expr InlineLambda(IAnonymousFunctionOperation lambda, IReadOnlyList<Expr> arguments)
    {
        IMethodSymbol signature = lambda.Symbol;
        var written = new HashSet<ISymbol>(lambda.Body.Descendants().Select(WrittenParameter).OfType<IParameterSymbol>(), SymbolEqualityComparer.Default);
        for (int i = 0; i < signature.Parameters.Length && i < arguments.Count; i++)
        {
            IParameterSymbol parameter = signature.Parameters[i];
            TypeRef parameterType = TypeClassifier.Classify(parameter.Type);
            Expr value = ConvertTo(arguments[i], parameterType);
            if (value is Var variable && !written.Contains(parameter))
            {
                _variables[parameter] = variable;
                continue;
            }

            Var local = Claim(parameter, parameter.Name, parameterType);
            _current.Add(new Declare(local.Name, parameterType, value));
        }

        TypeRef type = TypeClassifier.Classify(signature.ReturnType);
        Block body = LowerBlock(lambda.Body.Operations);
        string result = _names.Unique("value");
        _claimed.Add(result);
        _current.AddRange(ControlFlowNormalizer.InlineReturns(body, result, type, _names));
        return new Var(type, result);
    }

    /// <summary>A loop over the source's elements: the body computes the element, then <paramref name="consume"/> uses it.</summary>
    private void ForEachElement(LinqSource source, System.Action<Expr> consume)
    {
        Expr count = CountOf(source);
        if (count is not (Var or Literal or LengthOf))
        {
            string countName = _names.Unique("count");
            _claimed.Add(countName);
            _current.Add(new Declare(countName, TypeRef.Int, count));
            count = new Var(TypeRef.Int, countName);
        }

        string indexName = _names.Unique("i");
        _claimed.Add(indexName);
        var index = new Var(TypeRef.Int, indexName);
        List<Stmt> saved = _current;
        _current = new List<Stmt>();
        _nestingDepth++;
        consume(ElementAt(source, index));
        _nestingDepth--;
        var body = new Block(_current.ToEquatableArray());
        _current = saved;

        AddIndexLoop(indexName, count, body, counted: true);
    }

    /// <summary>Sum and Average: float elements accumulate in double as Enumerable does; Average divides by the count.</summary>
    private Expr SumLoop(LinqSource source, TypeRef type, bool average)
    {
        // Enumerable sums floats in double; an int average divides a long sum: double holds those sums exactly.
        TypeRef accumulator = type.Element == ElementKind.Float || type.Element == ElementKind.Int && average ? TypeRef.Double : type;
        string sum = _names.Unique(average ? "total" : "sum");
        _claimed.Add(sum);
        var total = new Var(accumulator, sum);
        _current.Add(new Declare(sum, accumulator, accumulator.IsReal ? LiteralFormatter.Real(0, accumulator) : LiteralFormatter.Int(0)));
        ForEachElement(source, element => _current.Add(new Assign(total, new Binary(accumulator, BinaryOp.Add, total, ConvertTo(element, accumulator)))));
        if (!average)
        {
            return ConvertTo(total, type);
        }

        ThrowIfEmpty(source);
        TypeRef quotient = accumulator.IsReal ? accumulator : TypeRef.Double;
        return ConvertTo(new Binary(quotient, BinaryOp.Divide, ConvertTo(total, quotient), ConvertTo(CountOf(source), quotient)), type);
    }

    /// <summary>Max and Min: the first element, then each later one that is greater (smaller), as Enumerable does for numbers.</summary>
    private Expr ExtremumLoop(LinqSource source, TypeRef type, bool max)
    {
        ThrowIfEmpty(source);
        string name = _names.Unique(max ? "max" : "min");
        _claimed.Add(name);
        var best = new Var(type, name);
        string firstName = _names.Unique("first");
        _claimed.Add(firstName);
        var first = new Var(TypeRef.Bool, firstName);
        _current.Add(new Declare(name, type, type.IsReal ? LiteralFormatter.Real(0, type) : LiteralFormatter.Int(0)));
        _current.Add(new Declare(firstName, TypeRef.Bool, new Literal(TypeRef.Bool, "true")));
        ForEachElement(source, element =>
        {
            Expr value = ConvertTo(element, type);
            if (value is not Var)
            {
                string held = _names.Unique("element");
                _claimed.Add(held);
                _current.Add(new Declare(held, type, value));
                value = new Var(type, held);
            }

            // Enumerable.Max/Min over doubles: NaN wins Min at once and loses Max to any number.
            Expr better = new Binary(TypeRef.Bool, max ? BinaryOp.Greater : BinaryOp.Less, value, best);
            if (type.IsReal)
            {
                var isNaN = new Opaque(TypeRef.Bool, new[] { "global::System.Double.IsNaN(", ")" }.ToEquatableArray(), new[] { max ? best : value }.ToEquatableArray(), EquatableArray<string>.Empty);
                better = new Binary(TypeRef.Bool, BinaryOp.Or, better, isNaN);
            }

            _current.Add(new If(
                new Binary(TypeRef.Bool, BinaryOp.Or, first, better),
                new Block(new Stmt[] { new Assign(best, value), new Assign(first, new Literal(TypeRef.Bool, "false")) }.ToEquatableArray()),
                null));
        });
        return best;
    }

    /// <summary>Aggregate(seed, (acc, v) => …) and Aggregate((acc, v) => …) (the first element is the seed).</summary>
    private Expr? AggregateLoop(IInvocationOperation invocation, LinqSource source, TypeRef type)
    {
        IAnonymousFunctionOperation? func = Lambda(invocation.Arguments[invocation.Arguments.Length - 1].Value);
        if (func is null || invocation.Arguments.Length > 3 || invocation.Arguments.Length == 3 && Lambda(invocation.Arguments[2].Value) is null)
        {
            return null;
        }

        string name = _names.Unique("accumulated");
        _claimed.Add(name);
        var accumulated = new Var(type, name);
        bool seeded = invocation.Arguments.Length == 3;
        if (seeded)
        {
            _current.Add(new Declare(name, type, ConvertTo(LowerExpr(invocation.Arguments[1].Value), type)));
            ForEachElement(source, element => _current.Add(new Assign(accumulated, ConvertTo(InlineLambda(func, new[] { accumulated, element }), type))));
            return accumulated;
        }

        ThrowIfEmpty(source);
        string firstName = _names.Unique("first");
        _claimed.Add(firstName);
        var first = new Var(TypeRef.Bool, firstName);
        _current.Add(new Declare(name, type, type.IsReal ? LiteralFormatter.Real(0, type) : LiteralFormatter.Int(0)));
        _current.Add(new Declare(firstName, TypeRef.Bool, new Literal(TypeRef.Bool, "true")));
        ForEachElement(source, element =>
        {
            var seedThen = new Block(new Stmt[] { new Assign(accumulated, ConvertTo(element, type)), new Assign(first, new Literal(TypeRef.Bool, "false")) }.ToEquatableArray());
            List<Stmt> saved = _current;
            _current = new List<Stmt>();
            Expr next = ConvertTo(InlineLambda(func, new[] { accumulated, element }), type);
            _current.Add(new Assign(accumulated, next));
            var fold = new Block(_current.ToEquatableArray());
            _current = saved;
            _current.Add(new If(first, seedThen, fold));
        });
        return accumulated;
    }

    /// <summary>Max, Min, Average and an unseeded Aggregate of nothing throw, as Enumerable does.</summary>
    private void ThrowIfEmpty(LinqSource source)
    {
        var code = Opaque.Text(TypeRef.Void, "throw new global::System.InvalidOperationException(\"Sequence contains no elements\")");
        _current.Add(new If(
            new Binary(TypeRef.Bool, BinaryOp.Equal, CountOf(source), LiteralFormatter.Int(0)),
            new Block(new Stmt[] { new Evaluate(code) }.ToEquatableArray()),
            null));
    }
}
