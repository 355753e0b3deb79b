using DiffGen.Generator.Helpers;

namespace DiffGen.Generator.Model;

internal enum UnaryOp
{
    Negate,
    Plus,
    Not,
}

internal enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
    BitAnd,
    BitOr,
    BitXor,
}

/// <summary>Math functions with derivative rules (see Differentiation/DerivativeRules.cs).</summary>
internal enum MathFn
{
    Exp,
    Log,
    Log2,
    Log10,
    Sqrt,
    Cbrt,
    Pow,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,
    Sinh,
    Cosh,
    Tanh,
    Abs,
    Max,
    Min,
    Clamp,
    FusedMultiplyAdd,
    // Piecewise constant: derivative zero almost everywhere.
    Floor,
    Ceiling,
    Round,
    Truncate,
    Sign,
}

/// <summary>An expression of the IR. Records give structural equality (and CSE keys) for free.</summary>
internal abstract record Expr(TypeRef Type);

/// <summary>A literal, already spelled as C# (invariant culture, round-trip, with suffix).</summary>
internal sealed record Literal(TypeRef Type, string Text) : Expr(Type);

/// <summary>A parameter, local or generated variable.</summary>
internal sealed record Var(TypeRef Type, string Name) : Expr(Type);

/// <summary>
/// An element <c>Array[Index]</c> of a vector variable. <paramref name="ProvenInRange"/>: the index is known to be in
/// range (see <c>InRangeAccess</c>), so the access is printed without a bounds check.
/// </summary>
internal sealed record Elem(TypeRef Type, string Array, Expr Index, bool ProvenInRange = false) : Expr(Type);

/// <summary><c>Array.Length</c>.</summary>
internal sealed record LengthOf(string Array) : Expr(TypeRef.Int);

internal sealed record Unary(TypeRef Type, UnaryOp Op, Expr Operand) : Expr(Type);

internal sealed record Binary(TypeRef Type, BinaryOp Op, Expr Left, Expr Right) : Expr(Type);

internal sealed record Conditional(TypeRef Type, Expr Condition, Expr WhenTrue, Expr WhenFalse) : Expr(Type);

internal sealed record MathCall(TypeRef Type, MathFn Fn, EquatableArray<Expr> Args) : Expr(Type);

/// <summary>A numeric conversion to <see cref="Expr.Type"/>.</summary>
internal sealed record Convert(TypeRef Type, Expr Operand) : Expr(Type);

/// <summary>A call whose result is a constant for differentiation (<c>[NoDerivative]</c> or with constant arguments only).</summary>
internal sealed record OpaqueCall(TypeRef Type, string Method, EquatableArray<Expr> Args) : Expr(Type);

/// <summary><c>new T[Length]</c> or <c>stackalloc T[Length]</c>.</summary>
internal sealed record NewVector(TypeRef Type, Expr Length, bool Stack) : Expr(Type);

/// <summary>A <c>ref</c> argument (generated pullback calls only).</summary>
internal sealed record RefArg(Expr Target) : Expr(Target.Type);

/// <summary>Verbatim C# (generated helpers only, never user code).</summary>
internal sealed record RawExpr(TypeRef Type, string Text) : Expr(Type);
