using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// <c>System.Numerics.Complex</c> as a value: held as its real and imaginary parts like a struct of two doubles, with
/// its constructor, constants, conversions, operators, <c>Conjugate</c>, <c>Exp</c>, <c>FromPolarCoordinates</c>,
/// <c>Abs</c>/<c>Magnitude</c> (<c>double.Hypot</c>) and <c>Phase</c> written out in the framework's own order of
/// operations (division by Smith's method), so the value is the framework's bit for bit. Its fields are hidden in
/// reference assemblies, so the parts are keyed by the fields of the tuple <c>(double, double)</c>.
/// </summary>
internal sealed partial class BodyLowering
{
    private static readonly TypeRef Double = new(ElementKind.Double, Shape.Scalar);

    /// <summary>The two keys of a Complex's parts (Item1 = real, Item2 = imaginary), from the compilation being lowered.</summary>
    [ThreadStatic]
    private static List<IFieldSymbol>? s_complexParts;

    private static bool IsComplex(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Complex", IsGenericType: false, TypeKind: TypeKind.Struct, ContainingNamespace: { Name: "Numerics", ContainingNamespace.Name: "System" } };

    private static List<IFieldSymbol>? ComplexParts(Compilation compilation)
    {
        ITypeSymbol number = compilation.GetSpecialType(SpecialType.System_Double);
        INamedTypeSymbol tuple = compilation.CreateTupleTypeSymbol(ImmutableArray.Create(number, number));
        return tuple.TupleElements.Select(e => e.CorrespondingTupleField ?? e).ToList();
    }

    private StructValue ComplexOf(INamedTypeSymbol type, Expr real, Expr imaginary) =>
        new(type, new List<(IFieldSymbol, Expr)> { (s_complexParts![0], ConvertTo(real, Double)), (s_complexParts[1], ConvertTo(imaginary, Double)) });

    /// <summary>A Complex-valued construct of the framework, or null when it is not one this lowering knows.</summary>
    private StructValue? LowerComplex(IOperation operation)
    {
        var type = (INamedTypeSymbol)operation.Type!;
        switch (operation)
        {
            case IObjectCreationOperation { Arguments.Length: 0 }:
                return ComplexOf(type, Zero(), Zero());
            case IObjectCreationOperation { Arguments.Length: 2 } creation:
                return ComplexOf(type, LowerExpr(Argument(creation.Arguments, 0)), LowerExpr(Argument(creation.Arguments, 1)));
            case IFieldReferenceOperation { Field.IsStatic: true } constant:
                return constant.Field.Name switch
                {
                    "Zero" => ComplexOf(type, Zero(), Zero()),
                    "One" => ComplexOf(type, One(), Zero()),
                    "ImaginaryOne" => ComplexOf(type, Zero(), One()),
                    _ => null,
                };
            case IConversionOperation { Operand.Type: { } from } conversion when Scalar(TypeClassifier.Classify(from)):
                return ComplexOf(type, LowerExpr(conversion.Operand), Zero());
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } negate when Parts(negate.Operand) is { } z:
                return ComplexOf(type, new Unary(Double, UnaryOp.Negate, z.Re), new Unary(Double, UnaryOp.Negate, z.Im));
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Plus } plus:
                return LowerStruct(plus.Operand);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide } binary:
                return ComplexArithmetic(type, binary.OperatorKind, binary.LeftOperand, binary.RightOperand);
            case IInvocationOperation { TargetMethod.IsStatic: true } call when IsComplex(call.TargetMethod.ContainingType):
                {
                    IOperation[] args = call.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToArray();
                    switch (call.TargetMethod.Name)
                    {
                        case "Add" when args.Length == 2:
                            return ComplexArithmetic(type, BinaryOperatorKind.Add, args[0], args[1]);
                        case "Subtract" when args.Length == 2:
                            return ComplexArithmetic(type, BinaryOperatorKind.Subtract, args[0], args[1]);
                        case "Multiply" when args.Length == 2:
                            return ComplexArithmetic(type, BinaryOperatorKind.Multiply, args[0], args[1]);
                        case "Divide" when args.Length == 2:
                            return ComplexArithmetic(type, BinaryOperatorKind.Divide, args[0], args[1]);
                        case "Negate" when args.Length == 1 && Parts(args[0]) is { } z:
                            return ComplexOf(type, new Unary(Double, UnaryOp.Negate, z.Re), new Unary(Double, UnaryOp.Negate, z.Im));
                        case "Conjugate" when args.Length == 1 && Parts(args[0]) is { } z:
                            return ComplexOf(type, z.Re, new Unary(Double, UnaryOp.Negate, z.Im));
                        case "Exp" when args.Length == 1 && Parts(args[0]) is { } z:
                            return Polar(type, Held(Call(MathFn.Exp, z.Re), "magnitude"), z.Im);
                        case "FromPolarCoordinates" when args.Length == 2:
                            return Polar(type, Held(ConvertTo(LowerExpr(args[0]), Double), "magnitude"), ConvertTo(LowerExpr(args[1]), Double));
                    }

                    return null;
                }

            default:
                return null;
        }
    }

    /// <summary>A number the framework computes from a Complex (<c>Abs</c>, <c>Magnitude</c>, <c>Phase</c>, <c>Real</c>, …), or null.</summary>
    private Expr? ComplexScalar(IOperation operation)
    {
        (string? name, IOperation? operand) = operation switch
        {
            IPropertyReferenceOperation { Instance: { } instance, Property.Name: var property } when IsComplex(instance.Type) => (property, instance),
            IInvocationOperation { TargetMethod.IsStatic: true, Arguments.Length: 1 } call when IsComplex(call.TargetMethod.ContainingType) && IsComplex(call.Arguments[0].Value.Type) => (call.TargetMethod.Name, call.Arguments[0].Value),
            _ => (null, null),
        };
        if (name is null || operand is null)
        {
            return null;
        }

        switch (name)
        {
            case "Real" or "Imaginary":
                return Parts(operand) is { } z ? (name == "Real" ? z.Re : z.Im) : null;
            case "Magnitude" or "Abs":
                return Parts(operand) is { } m ? new MathCall(Double, MathFn.Hypot, new[] { m.Re, m.Im }.ToEquatableArray()) : null;
            case "Phase":
                return Parts(operand) is { } p ? new MathCall(Double, MathFn.Atan2, new[] { p.Im, p.Re }.ToEquatableArray()) : null;
            default:
                return null;
        }
    }

    /// <summary>a ∘ b where either side may be a real number, as the framework's operators compute it.</summary>
    private StructValue? ComplexArithmetic(INamedTypeSymbol type, BinaryOperatorKind kind, IOperation left, IOperation right)
    {
        bool leftComplex = IsComplex(left.Type), rightComplex = IsComplex(right.Type);
        (Expr Re, Expr Im)? a = leftComplex ? Parts(left) : (Held(ConvertTo(LowerExpr(left), Double), "scalar"), Zero());
        (Expr Re, Expr Im)? b = rightComplex ? Parts(right) : (Held(ConvertTo(LowerExpr(right), Double), "scalar"), Zero());
        if (a is not { } x || b is not { } y)
        {
            return null;
        }

        switch (kind)
        {
            case BinaryOperatorKind.Add:
                return ComplexOf(type, Add(x.Re, y.Re), leftComplex && rightComplex ? Add(x.Im, y.Im) : leftComplex ? x.Im : y.Im);
            case BinaryOperatorKind.Subtract:
                return ComplexOf(type, Sub(x.Re, y.Re), leftComplex && rightComplex ? Sub(x.Im, y.Im) : leftComplex ? x.Im : new Unary(Double, UnaryOp.Negate, y.Im));
            case BinaryOperatorKind.Multiply when leftComplex && rightComplex:
                {
                    // (ac − bd) + (bc + ad)i
                    Expr[] p = { Held(x.Re, "re"), Held(x.Im, "im"), Held(y.Re, "re"), Held(y.Im, "im") };
                    return ComplexOf(type, Sub(Mul(p[0], p[2]), Mul(p[1], p[3])), Add(Mul(p[1], p[2]), Mul(p[0], p[3])));
                }

            case BinaryOperatorKind.Multiply:
                return leftComplex ? ComplexOf(type, Mul(x.Re, y.Re), Mul(x.Im, y.Re)) : ComplexOf(type, Mul(x.Re, y.Re), Mul(x.Re, y.Im));
            case BinaryOperatorKind.Divide when !rightComplex:
                return ComplexOf(type, Div(x.Re, y.Re), Div(x.Im, y.Re));
            default:
                return SmithDivision(type, x, y, leftComplex);
        }
    }

    /// <summary>
    /// (a + bi)/(c + di) by Smith's method, as the framework: scale by the smaller of c and d over the larger; a real
    /// dividend (b = 0) drops the terms of b, as the framework's double/Complex operator does. The two cases are
    /// statements of an <c>if</c>, so the reverse sweep differentiates only the case that ran (the other may divide by 0).
    /// </summary>
    private StructValue SmithDivision(INamedTypeSymbol type, (Expr Re, Expr Im) dividend, (Expr Re, Expr Im) divisor, bool complexDividend)
    {
        Expr a = Held(dividend.Re, "re"), b = Held(dividend.Im, "im"), c = Held(divisor.Re, "re"), d = Held(divisor.Im, "im");
        var smallImaginary = new Binary(TypeRef.Bool, BinaryOp.Less, Call(MathFn.Abs, d), Call(MathFn.Abs, c));

        // |d| < |c|: t = d/c, ((a + b·t), (b − a·t)) / (c + d·t); otherwise t = c/d, ((b + a·t), (−a + b·t)) / (d + c·t).
        Expr t1 = Div(d, c), t2 = Div(c, d);
        Expr den1 = Add(c, Mul(d, t1)), den2 = Add(d, Mul(c, t2));
        Expr re1 = complexDividend ? Div(Add(a, Mul(b, t1)), den1) : Div(a, den1);
        Expr im1 = complexDividend ? Div(Sub(b, Mul(a, t1)), den1) : Div(Mul(new Unary(Double, UnaryOp.Negate, a), t1), den1);
        Expr re2 = complexDividend ? Div(Add(b, Mul(a, t2)), den2) : Div(Mul(a, t2), den2);
        Expr im2 = complexDividend ? Div(Add(new Unary(Double, UnaryOp.Negate, a), Mul(b, t2)), den2) : Div(new Unary(Double, UnaryOp.Negate, a), den2);
        StructValue quotient = DeclareStruct("quotient", type, null);
        var re = (Var)quotient.Fields[0].Value;
        var im = (Var)quotient.Fields[1].Value;
        _current.Add(new If(
            smallImaginary,
            new Block(new Stmt[] { new Assign(re, re1), new Assign(im, im1) }.ToEquatableArray()),
            new Block(new Stmt[] { new Assign(re, re2), new Assign(im, im2) }.ToEquatableArray())));
        quotient.Fresh = true;
        return quotient;
    }

    private StructValue Polar(INamedTypeSymbol type, Expr magnitude, Expr phase)
    {
        Expr angle = Held(phase, "phase");
        return ComplexOf(type, Mul(magnitude, Call(MathFn.Cos, angle)), Mul(magnitude, Call(MathFn.Sin, angle)));
    }

    /// <summary>The real and imaginary parts of a Complex-valued operand, or null after a diagnostic.</summary>
    private (Expr Re, Expr Im)? Parts(IOperation operation) =>
        LowerStruct(operation) is { } z ? (z.Fields[0].Value, z.Fields[1].Value) : null;

    private static IOperation Argument(ImmutableArray<IArgumentOperation> arguments, int ordinal) =>
        arguments.First(a => (a.Parameter?.Ordinal ?? 0) == ordinal).Value;

    private static Expr Call(MathFn fn, Expr x) => new MathCall(x.Type, fn, new[] { x }.ToEquatableArray());

    private static Expr Zero() => LiteralFormatter.Real(0, Double);

    private static Expr One() => LiteralFormatter.Real(1, Double);

    private static Expr Add(Expr a, Expr b) => new Binary(Double, BinaryOp.Add, a, b);

    private static Expr Div(Expr a, Expr b) => new Binary(Double, BinaryOp.Divide, a, b);
}
