using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// <c>System.Numerics.Vector2/3/4</c> as values: held field by field like a user struct (their X, Y, Z, W are public
/// fields), with their constructors, operators and the usual functions (Dot, Length, Cross, Normalize, …) written out
/// per component, in the order the framework computes them, since their bodies are not in source.
/// </summary>
internal sealed partial class BodyLowering
{
    private static bool IsNumericsVector(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Vector2" or "Vector3" or "Vector4", IsGenericType: false, ContainingNamespace: { Name: "Numerics", ContainingNamespace.Name: "System" } };

    private static readonly TypeRef Float = new(ElementKind.Float, Shape.Scalar);

    /// <summary>A Vector2/3/4 value built from its components.</summary>
    private StructValue VectorOf(INamedTypeSymbol type, IEnumerable<Expr> components) =>
        new(type, FlatFields(type)!.Zip(components, (f, c) => (f, ConvertTo(c, Float))).ToList());

    /// <summary>A Vector2/3/4-valued construct of the framework, or null when it is not one this lowering knows.</summary>
    private StructValue? LowerNumericsVector(IOperation operation)
    {
        if (!IsNumericsVector(operation.Type))
        {
            return null;
        }

        var type = (INamedTypeSymbol)operation.Type!;
        int size = FlatFields(type)!.Count;
        switch (operation)
        {
            case IObjectCreationOperation { Arguments.Length: 0 }:
                return ZeroStruct(type);
            case IObjectCreationOperation { Arguments.Length: 1 } broadcast when Scalar(TypeClassifier.Classify(broadcast.Arguments[0].Value.Type)):
                {
                    Expr value = Held(ConvertTo(LowerExpr(broadcast.Arguments[0].Value), Float), "component");
                    return VectorOf(type, Enumerable.Repeat(value, size));
                }

            case IObjectCreationOperation creation when creation.Arguments.All(a => Scalar(TypeClassifier.Classify(a.Value.Type))) && creation.Arguments.Length == size:
                return VectorOf(type, creation.Arguments.Select(a => LowerExpr(a.Value)).ToList());
            case IPropertyReferenceOperation { Instance: null } constant:
                return constant.Property.Name switch
                {
                    "Zero" => ZeroStruct(type),
                    "One" => VectorOf(type, Enumerable.Repeat<Expr>(LiteralFormatter.Real(1, Float), size)),
                    "UnitX" or "UnitY" or "UnitZ" or "UnitW" => VectorOf(type, Enumerable.Range(0, size).Select(i => (Expr)LiteralFormatter.Real("XYZW"[i] == constant.Property.Name[4] ? 1 : 0, Float))),
                    _ => null,
                };
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } negate when LowerStruct(negate.Operand) is { } operand:
                return VectorOf(type, operand.Fields.Select(f => (Expr)new Unary(Float, UnaryOp.Negate, f.Value)));
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide } binary:
                return Componentwise(type, Arithmetic(binary.OperatorKind), binary.LeftOperand, binary.RightOperand);
            case IInvocationOperation { TargetMethod.IsStatic: true } call when IsNumericsVector(call.TargetMethod.ContainingType):
                {
                    IOperation[] args = call.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToArray();
                    switch (call.TargetMethod.Name)
                    {
                        case "Add" or "Subtract" or "Multiply" or "Divide" when args.Length == 2:
                            return Componentwise(type, call.TargetMethod.Name switch { "Add" => BinaryOp.Add, "Subtract" => BinaryOp.Subtract, "Multiply" => BinaryOp.Multiply, _ => BinaryOp.Divide }, args[0], args[1]);
                        case "Negate" when args.Length == 1 && LowerStruct(args[0]) is { } v:
                            return VectorOf(type, v.Fields.Select(f => (Expr)new Unary(Float, UnaryOp.Negate, f.Value)));
                        case "Cross" when size == 3 && args.Length == 2 && LowerStruct(args[0]) is { } a && LowerStruct(args[1]) is { } b:
                            {
                                Expr[] x = a.Fields.Select(f => Held(f.Value, "a")).ToArray(), y = b.Fields.Select(f => Held(f.Value, "b")).ToArray();
                                return VectorOf(type, new Expr[]
                                {
                                    Sub(Mul(x[1], y[2]), Mul(x[2], y[1])),
                                    Sub(Mul(x[2], y[0]), Mul(x[0], y[2])),
                                    Sub(Mul(x[0], y[1]), Mul(x[1], y[0])),
                                });
                            }

                        case "Normalize" when args.Length == 1 && LowerStruct(args[0]) is { } v:
                            {
                                Expr[] c = v.Fields.Select(f => Held(f.Value, "component")).ToArray();
                                Expr length = Held(new MathCall(Float, MathFn.Sqrt, new[] { DotOf(c, c) }.ToEquatableArray()), "length");
                                return VectorOf(type, c.Select(x => (Expr)new Binary(Float, BinaryOp.Divide, x, length)));
                            }

                        case "Min" or "Max" when args.Length == 2 && LowerStruct(args[0]) is { } a && LowerStruct(args[1]) is { } b:
                            {
                                MathFn fn = call.TargetMethod.Name == "Min" ? MathFn.Min : MathFn.Max;
                                return VectorOf(type, a.Fields.Zip(b.Fields, (p, q) => (Expr)new MathCall(Float, fn, new[] { p.Value, q.Value }.ToEquatableArray())));
                            }

                        case "Abs" or "SquareRoot" when args.Length == 1 && LowerStruct(args[0]) is { } v:
                            {
                                MathFn fn = call.TargetMethod.Name == "Abs" ? MathFn.Abs : MathFn.Sqrt;
                                return VectorOf(type, v.Fields.Select(f => (Expr)new MathCall(Float, fn, new[] { f.Value }.ToEquatableArray())));
                            }

                        case "Lerp" when args.Length == 3 && LowerStruct(args[0]) is { } a && LowerStruct(args[1]) is { } b && Scalar(TypeClassifier.Classify(args[2].Type)):
                            {
                                Expr t = Held(ConvertTo(LowerExpr(args[2]), Float), "amount");
                                return VectorOf(type, a.Fields.Zip(b.Fields, (p, q) => (Expr)new Binary(Float, BinaryOp.Add, p.Value, Mul(Sub(q.Value, p.Value), t))));
                            }
                    }

                    return null;
                }

            default:
                return null;
        }
    }

    /// <summary>A number the framework computes from Vector2/3/4 values (Dot, Length, Distance, …), or null.</summary>
    private Expr? NumericsVectorScalar(IInvocationOperation call)
    {
        IMethodSymbol method = call.TargetMethod;
        if (!IsNumericsVector(method.ContainingType))
        {
            return null;
        }

        var operands = new List<IOperation>();
        if (call.Instance is { } instance)
        {
            operands.Add(instance);
        }

        operands.AddRange(call.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value));
        if (!operands.All(o => IsNumericsVector(o.Type)))
        {
            return null;
        }

        switch (method.Name)
        {
            case "Dot" when operands.Count == 2 && LowerStruct(operands[0]) is { } a && LowerStruct(operands[1]) is { } b:
                return DotOf(a.Fields.Select(f => f.Value).ToArray(), b.Fields.Select(f => f.Value).ToArray());
            case "LengthSquared" or "Length" when operands.Count == 1 && LowerStruct(operands[0]) is { } v:
                {
                    Expr[] c = v.Fields.Select(f => Held(f.Value, "component")).ToArray();
                    Expr squared = DotOf(c, c);
                    return method.Name == "Length" ? new MathCall(Float, MathFn.Sqrt, new[] { squared }.ToEquatableArray()) : squared;
                }

            case "DistanceSquared" or "Distance" when operands.Count == 2 && LowerStruct(operands[0]) is { } a && LowerStruct(operands[1]) is { } b:
                {
                    Expr[] d = a.Fields.Zip(b.Fields, (p, q) => Held(Sub(p.Value, q.Value), "difference")).ToArray();
                    Expr squared = DotOf(d, d);
                    return method.Name == "Distance" ? new MathCall(Float, MathFn.Sqrt, new[] { squared }.ToEquatableArray()) : squared;
                }

            default:
                return null;
        }
    }

    /// <summary>Elementwise a ∘ b, where either side may be a scalar (broadcast).</summary>
    private StructValue? Componentwise(INamedTypeSymbol type, BinaryOp op, IOperation left, IOperation right)
    {
        List<Expr>? Components(IOperation operand)
        {
            if (IsNumericsVector(operand.Type))
            {
                return LowerStruct(operand)?.Fields.Select(f => f.Value).ToList();
            }

            Expr scalar = Held(ConvertTo(LowerExpr(operand), Float), "scale");
            return Enumerable.Repeat(scalar, FlatFields(type)!.Count).ToList();
        }

        List<Expr>? a = Components(left);
        List<Expr>? b = Components(right);
        return a is null || b is null ? null : VectorOf(type, a.Zip(b, (p, q) => (Expr)new Binary(Float, op, p, q)));
    }

    private static BinaryOp Arithmetic(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Add => BinaryOp.Add,
        BinaryOperatorKind.Subtract => BinaryOp.Subtract,
        BinaryOperatorKind.Multiply => BinaryOp.Multiply,
        _ => BinaryOp.Divide,
    };

    /// <summary>x₀y₀ + x₁y₁ + …, summed left to right.</summary>
    private static Expr DotOf(IReadOnlyList<Expr> x, IReadOnlyList<Expr> y)
    {
        Expr sum = Mul(x[0], y[0]);
        for (int i = 1; i < x.Count; i++)
        {
            sum = new Binary(Float, BinaryOp.Add, sum, Mul(x[i], y[i]));
        }

        return sum;
    }

    private static Expr Mul(Expr a, Expr b) => new Binary(a.Type, BinaryOp.Multiply, a, b);

    private static Expr Sub(Expr a, Expr b) => new Binary(a.Type, BinaryOp.Subtract, a, b);

    /// <summary>An expression read more than once, held in a local (variables and literals as they are).</summary>
    private Expr Held(Expr value, string name)
    {
        if (value is Var or Literal || _noExtraction is not null)
        {
            return value;
        }

        string held = _names.Unique(name);
        _claimed.Add(held);
        _current.Add(new Declare(held, value.Type, value));
        return new Var(value.Type, held);
    }
}
