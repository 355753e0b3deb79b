using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

internal sealed partial class BodyLowering
{
    private int _insideNoDerivative;

    private Expr LowerExpr(IOperation operation)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        TypeRef type = TypeClassifier.Classify(operation.Type);
        if (operation.ConstantValue.HasValue && LiteralFormatter.FromConstant(operation.ConstantValue.Value, type) is { } literal)
        {
            return literal;
        }

        switch (operation)
        {
            case ILocalReferenceOperation local:
                return VariableFor(local.Local, operation);
            case IParameterReferenceOperation parameter:
                return VariableFor(parameter.Parameter, operation);
            case IBinaryOperation binary:
                return LowerBinary(binary, type);
            case IUnaryOperation unary when unary.OperatorMethod is null && Scalar(type)
                && unary.OperatorKind is UnaryOperatorKind.Minus or UnaryOperatorKind.Plus or UnaryOperatorKind.Not:
                {
                    Expr operand = LowerExpr(unary.Operand);
                    return unary.OperatorKind switch
                    {
                        UnaryOperatorKind.Minus => new Unary(type, UnaryOp.Negate, operand),
                        UnaryOperatorKind.Plus => operand,
                        _ => new Unary(type, UnaryOp.Not, operand),
                    };
                }

            case IConversionOperation conversion:
                return LowerConversion(conversion, type);
            case IConditionalOperation { WhenFalse: not null } conditional when Scalar(type):
                {
                    Expr condition = LowerExpr(conditional.Condition);
                    string? saved = _noExtraction;
                    _noExtraction ??= "a branch of ?:";
                    Expr whenTrue = ConvertTo(LowerExpr(conditional.WhenTrue), type);
                    Expr whenFalse = ConvertTo(LowerExpr(conditional.WhenFalse), type);
                    _noExtraction = saved;

                    // A constant condition (c ? a : b with c folded by the compiler) must not become an if (true) in
                    // the reverse sweep: C# would warn that the other branch is unreachable.
                    return condition is Literal { Text: "true" or "false" } constant
                        ? (constant.Text == "true" ? whenTrue : whenFalse)
                        : new Conditional(type, condition, whenTrue, whenFalse);
                }

            case IInvocationOperation invocation:
                return LowerInvocation(invocation, asStatement: false) ?? Dummy(type);
            case IArrayElementReferenceOperation { Indices.Length: 1 } element:
                return LowerElement(element, element.ArrayReference, element.Indices[0], type);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: not null, Arguments.Length: 1 } indexer:
                return LowerElement(indexer, indexer.Instance, indexer.Arguments[0].Value, type);
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: not null } length:
                {
                    Expr instance = LowerExpr(length.Instance);
                    if (instance is Var { Type.IsVector: true } vector)
                    {
                        return new LengthOf(vector.Name);
                    }

                    if (IsDummy(instance))
                    {
                        return Dummy(type);
                    }

                    break;
                }

            case IFieldReferenceOperation { Field.IsStatic: true, Field.IsReadOnly: true } field when type.IsRealScalar:
                return new StaticValue(type, field.Field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + field.Field.Name);
            case IParenthesizedOperation parenthesized:
                return LowerExpr(parenthesized.Operand);
        }

        ReportUnsupported(operation, DiagnosticDescriptors.UnsupportedExpression);
        return Dummy(type);
    }

    private static bool Scalar(TypeRef type) => type.IsScalar && type.Element is ElementKind.Int or ElementKind.Float or ElementKind.Double or ElementKind.Bool;

    /// <summary>Stands in for an expression already reported, so one mistake gives one diagnostic.</summary>
    private static Expr Dummy(TypeRef type) => new Literal(type, "default");

    private static bool IsDummy(Expr e) => e is Literal { Text: "default" };

    private Expr VariableFor(ISymbol symbol, IOperation operation)
    {
        if (_variables.TryGetValue(symbol, out Var? variable))
        {
            return variable;
        }

        ReportExpression(operation, "reference to '" + symbol.Name + "'", string.Empty);
        return Dummy(TypeClassifier.Classify((symbol as ILocalSymbol)?.Type ?? (symbol as IParameterSymbol)?.Type));
    }

    private Expr LowerBinary(IBinaryOperation binary, TypeRef type)
    {
        if (binary.OperatorMethod is not null || !Scalar(type) || !TryMapBinary(binary.OperatorKind, out BinaryOp op))
        {
            ReportUnsupported(binary, DiagnosticDescriptors.UnsupportedExpression);
            return Dummy(type);
        }

        Expr left = LowerExpr(binary.LeftOperand);
        Expr right;
        if (op is BinaryOp.And or BinaryOp.Or && binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr)
        {
            string? saved = _noExtraction;
            _noExtraction ??= "the right side of && or ||";
            right = LowerExpr(binary.RightOperand);
            _noExtraction = saved;
        }
        else
        {
            right = LowerExpr(binary.RightOperand);
        }

        if (op == BinaryOp.Remainder && type.IsReal)
        {
            ReportExpression(binary, "floating-point remainder", "; % is supported on int only");
        }

        if (binary.OperatorKind is BinaryOperatorKind.And or BinaryOperatorKind.Or or BinaryOperatorKind.ExclusiveOr && type.Element == ElementKind.Bool)
        {
            op = binary.OperatorKind switch { BinaryOperatorKind.And => BinaryOp.BitAnd, BinaryOperatorKind.Or => BinaryOp.BitOr, _ => BinaryOp.BitXor };
        }

        return new Binary(type, op, left, right);
    }

    private static bool TryMapBinary(BinaryOperatorKind kind, out BinaryOp op)
    {
        (bool ok, op) = kind switch
        {
            BinaryOperatorKind.Add => (true, BinaryOp.Add),
            BinaryOperatorKind.Subtract => (true, BinaryOp.Subtract),
            BinaryOperatorKind.Multiply => (true, BinaryOp.Multiply),
            BinaryOperatorKind.Divide => (true, BinaryOp.Divide),
            BinaryOperatorKind.Remainder => (true, BinaryOp.Remainder),
            BinaryOperatorKind.LessThan => (true, BinaryOp.Less),
            BinaryOperatorKind.LessThanOrEqual => (true, BinaryOp.LessOrEqual),
            BinaryOperatorKind.GreaterThan => (true, BinaryOp.Greater),
            BinaryOperatorKind.GreaterThanOrEqual => (true, BinaryOp.GreaterOrEqual),
            BinaryOperatorKind.Equals => (true, BinaryOp.Equal),
            BinaryOperatorKind.NotEquals => (true, BinaryOp.NotEqual),
            BinaryOperatorKind.ConditionalAnd => (true, BinaryOp.And),
            BinaryOperatorKind.ConditionalOr => (true, BinaryOp.Or),
            BinaryOperatorKind.And => (true, BinaryOp.BitAnd),
            BinaryOperatorKind.Or => (true, BinaryOp.BitOr),
            BinaryOperatorKind.ExclusiveOr => (true, BinaryOp.BitXor),
            _ => (false, BinaryOp.Add),
        };
        return ok;
    }

    private Expr LowerConversion(IConversionOperation conversion, TypeRef type)
    {
        Expr operand = LowerExpr(conversion.Operand);

        // Array → Span → ReadOnlySpan (an operator method in metadata): the same elements; C# converts where used.
        if (type.IsVector && operand.Type.IsVector && type.Element == operand.Type.Element)
        {
            return operand;
        }

        if (IsDummy(operand))
        {
            return Dummy(type);
        }

        if (conversion.OperatorMethod is not null)
        {
            ReportExpression(conversion, "user-defined conversion", string.Empty);
            return Dummy(type);
        }

        if (operand.Type == type)
        {
            return operand;
        }

        if (type.IsScalar && operand.Type.IsScalar && Numeric(type) && Numeric(operand.Type))
        {
            return ConvertTo(operand, type);
        }

        ReportExpression(conversion, "conversion from " + operand.Type + " to " + type, string.Empty);
        return Dummy(type);
    }

    private static bool Numeric(TypeRef type) => type.Element is ElementKind.Int or ElementKind.Float or ElementKind.Double;

    private Expr LowerElement(IOperation operation, IOperation instance, IOperation indexOperation, TypeRef type)
    {
        Expr array = LowerExpr(instance);
        Expr index = LowerExpr(indexOperation);
        if (IsDummy(array) || IsDummy(index))
        {
            return Dummy(type);
        }

        if (array is not Var { Type.IsVector: true } vector || index.Type != TypeRef.Int)
        {
            ReportExpression(operation, "element access on " + array.Type, "; index arrays and spans held in a local or parameter with an int");
            return Dummy(type);
        }

        return new Elem(vector.Type.ElementType, vector.Name, index);
    }

    private Expr LowerTarget(IOperation target)
    {
        Expr lowered = LowerExpr(target);
        if (IsDummy(lowered))
        {
            return lowered;
        }

        string? written = lowered switch
        {
            Var v => v.Name,
            Elem e => e.Array,
            _ => null,
        };
        if (written is null || lowered is Var { Type.IsVector: true })
        {
            ReportExpression(target, "assignment target " + Describe(target), string.Empty);
        }
        else if (lowered is Elem && _wrtNames.Contains(written) && _method.Parameters.Any(p => p.Name == written))
        {
            // A scalar parameter is a local like any other (its adjoint ends as the gradient of its incoming value);
            // the elements of a differentiated vector belong to the caller.
            Report(DiagnosticDescriptors.WriteToDifferentiatedInput, target.Syntax.GetLocation(), written, _method.Name);
        }

        return lowered;
    }

    /// <summary>Converts with C# numeric semantics; literals are re-spelled instead of wrapped.</summary>
    private static Expr ConvertTo(Expr value, TypeRef type)
    {
        if (value.Type == type || !type.IsScalar || !value.Type.IsScalar)
        {
            return value;
        }

        if (value is Literal literal && type.IsReal && LiteralFormatter.ValueOf(literal) is double v)
        {
            return LiteralFormatter.Real(v, type);
        }

        return new Model.Convert(type, value);
    }

    private static TypeRef Wider(TypeRef a, TypeRef b)
    {
        if (a.Element == ElementKind.Double || b.Element == ElementKind.Double)
        {
            return TypeRef.Double;
        }

        return a.Element == ElementKind.Float || b.Element == ElementKind.Float ? TypeRef.Float : a;
    }

    private List<Expr> LowerArguments(IInvocationOperation invocation)
    {
        var args = new List<Expr>();
        foreach (IArgumentOperation argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            if (argument.Parameter is { RefKind: not RefKind.None } || argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                ReportExpression(argument, "ref, out or params argument", string.Empty);
            }

            TypeRef parameterType = TypeClassifier.Classify(argument.Parameter?.Type);
            args.Add(ConvertTo(LowerExpr(argument.Value), parameterType));
        }

        return args;
    }

    private Expr? LowerInvocation(IInvocationOperation invocation, bool asStatement)
    {
        IMethodSymbol target = invocation.TargetMethod;
        TypeRef type = TypeClassifier.Classify(target.ReturnType);
        if (target.MethodKind == MethodKind.LocalFunction)
        {
            return InlineLocalFunction(invocation, type);
        }

        if (MathFunctions.TryGet(target, out MathFn fn))
        {
            var math = new MathCall(type, fn, LowerArguments(invocation).ToEquatableArray());
            MathCallSites.Add((math, invocation.Syntax.GetLocation()));
            return math;
        }

        if (UnsupportedConstructs.IsLambdaOrQuery(invocation))
        {
            ReportUnsupported(invocation, DiagnosticDescriptors.UnsupportedExpression);
            return Dummy(type);
        }

        if (SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, _method.OriginalDefinition))
        {
            Report(DiagnosticDescriptors.RecursionNotSupported, invocation.Syntax.GetLocation(), _method.Name);
            return Dummy(type);
        }

        if (!target.IsStatic || invocation.Instance is not null)
        {
            ReportExpression(invocation, "instance method call " + Describe(invocation), "; call static methods");
            return Dummy(type);
        }

        string qualifiedName = target.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + target.Name;
        if (HasAttribute(target, KnownTypeNames.NoDerivativeAttribute))
        {
            // Nothing flows back through the arguments (Gradient.StopGradient(f(x)) silences DG0009 for f).
            _insideNoDerivative++;
            List<Expr> constantArgs = LowerArguments(invocation);
            _insideNoDerivative--;
            return new OpaqueCall(type, qualifiedName, constantArgs.ToEquatableArray());
        }

        CallSpec? spec = CalleeResolver.Resolve(target, _method, qualifiedName);
        if (spec is null && Parser.IsGeneratedByDiffGen(target))
        {
            // A generated gradient, pullback, pushforward, … has no derivative of its own (no nesting yet).
            Report(DiagnosticDescriptors.DerivativeCallCannotNest, invocation.Syntax.GetLocation(), target.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), _method.Name);
            return Dummy(type);
        }

        if (spec is null)
        {
            if (asStatement || !Scalar(type))
            {
                Report(DiagnosticDescriptors.CallWithoutDerivative, invocation.Syntax.GetLocation(), target.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));
                return Dummy(type);
            }

            var opaque = new OpaqueCall(type, qualifiedName, LowerArguments(invocation).ToEquatableArray());
            if (_insideNoDerivative == 0)
            {
                _opaqueCalls.Add((opaque, invocation.Syntax.GetLocation(), target.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
            }

            return opaque;
        }

        List<Expr> args = LowerArguments(invocation);
        for (int i = 0; i < args.Count; i++)
        {
            if (spec.ParameterTypes[i].IsVector && args[i] is not Var { Type.IsVector: true })
            {
                ReportExpression(invocation, "vector argument that is not a variable", "; pass an array or span variable");
                return Dummy(type);
            }

            if (spec.ParameterTypes[i].Shape == Shape.Span && args[i] is Var written && _wrtNames.Contains(written.Name) && _method.Parameters.Any(p => p.Name == written.Name))
            {
                Report(DiagnosticDescriptors.WriteToDifferentiatedInput, invocation.Arguments[i].Syntax.GetLocation(), written.Name, _method.Name);
            }
        }

        spec = spec with { Args = args.ToEquatableArray() };
        if (!CallLocations.ContainsKey(qualifiedName))
        {
            CallLocations[qualifiedName] = invocation.Syntax.GetLocation();
        }

        if (asStatement)
        {
            _current.Add(new CallStmt(null, spec));
            return null;
        }

        if (_noExtraction is not null)
        {
            Report(DiagnosticDescriptors.CallMustBeHoisted, invocation.Syntax.GetLocation(), target.Name, _method.Name, _noExtraction);
            return Dummy(type);
        }

        string result = _names.Unique(char.ToLowerInvariant(target.Name[0]) + target.Name.Substring(1));
        _claimed.Add(result);
        _current.Add(new CallStmt(result, spec));
        return new Var(type, result);
    }

    private Expr? InlineLocalFunction(IInvocationOperation invocation, TypeRef type)
    {
        IMethodSymbol function = invocation.TargetMethod.OriginalDefinition;
        if (!_localFunctions.TryGetValue(function, out ILocalFunctionOperation? declaration) || declaration.Body is null)
        {
            ReportExpression(invocation, "local function without a body", string.Empty);
            return Dummy(type);
        }

        if (_inlining.Contains(function, SymbolEqualityComparer.Default))
        {
            Report(DiagnosticDescriptors.RecursionNotSupported, invocation.Syntax.GetLocation(), function.Name);
            return Dummy(type);
        }

        if (_noExtraction is not null)
        {
            Report(DiagnosticDescriptors.CallMustBeHoisted, invocation.Syntax.GetLocation(), function.Name, _method.Name, _noExtraction);
            return Dummy(type);
        }

        if (function.IsGenericMethod)
        {
            ReportExpression(invocation, "generic local function", string.Empty);
            return Dummy(type);
        }

        // Inline: parameters become fresh locals (vectors alias the argument), the final return becomes the result.
        List<Expr> args = LowerArguments(invocation);
        for (int i = 0; i < function.Parameters.Length && i < args.Count; i++)
        {
            IParameterSymbol parameter = function.Parameters[i];
            TypeRef parameterType = TypeClassifier.Classify(parameter.Type);
            if (parameterType.IsVector)
            {
                if (args[i] is Var vector)
                {
                    _variables[parameter] = vector;
                    continue;
                }

                ReportExpression(invocation, "vector argument that is not a variable", string.Empty);
                return Dummy(type);
            }

            // A parameter the body never mentions needs no local (declared from a constant, it would be CS0219).
            // Calls in the argument were already pulled out into statements, so nothing is lost.
            if (!declaration.Body.Descendants().OfType<IParameterReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Parameter, parameter)))
            {
                continue;
            }

            Var local = Claim(parameter, parameter.Name, parameterType);
            _current.Add(new Declare(local.Name, parameterType, args[i]));
        }

        ImmutableOperations body = new(declaration.Body.Operations);
        IReturnOperation? finalReturn = body.Last as IReturnOperation;
        foreach (IReturnOperation ret in declaration.Body.Descendants().OfType<IReturnOperation>())
        {
            if (!ReferenceEquals(ret, finalReturn) && IsInside(ret, declaration))
            {
                ReportStatement(ret, "early return in a local function", "; use a single return at the end of the local function");
                return Dummy(type);
            }
        }

        _inlining.Add(function);
        _nestingDepth++;
        foreach (IOperation statement in body.Items)
        {
            if (!ReferenceEquals(statement, finalReturn))
            {
                LowerStatement(statement);
            }
        }

        Expr? value = finalReturn?.ReturnedValue is { } returned ? LowerExpr(returned) : null;
        _nestingDepth--;
        _inlining.RemoveAt(_inlining.Count - 1);
        if (value is null)
        {
            return null;
        }

        string result = _names.Unique(function.Name + "Result");
        _claimed.Add(result);
        _current.Add(new Declare(result, type, ConvertTo(value, type)));
        return new Var(type, result);
    }

    /// <summary>True when <paramref name="operation"/> belongs to <paramref name="function"/> and not to a nested local function.</summary>
    private static bool IsInside(IOperation operation, ILocalFunctionOperation function)
    {
        for (IOperation? parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILocalFunctionOperation owner)
            {
                return ReferenceEquals(owner, function);
            }
        }

        return false;
    }

    internal static bool HasAttribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);

    private readonly struct ImmutableOperations
    {
        public ImmutableOperations(IEnumerable<IOperation> items) => Items = items.ToList();

        public List<IOperation> Items { get; }

        public IOperation? Last => Items.Count > 0 ? Items[Items.Count - 1] : null;
    }
}
