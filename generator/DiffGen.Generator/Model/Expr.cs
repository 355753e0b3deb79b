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
    Asinh,
    Acosh,
    Atanh,
    /// <summary>log_b(a), <c>Math.Log(a, newBase)</c>.</summary>
    LogBase,
    Sinh,
    Cosh,
    Tanh,
    Abs,
    Max,
    Min,
    Clamp,
    FusedMultiplyAdd,
    /// <summary>√(x² + y²) without overflow (<c>double.Hypot</c>): what <c>Complex.Abs</c> computes.</summary>
    Hypot,
    /// <summary>
    /// The logistic sigmoid 1 / (1 + exp(−x)) as the user wrote it (recognised by <c>LogisticRecognition</c>, printed
    /// back as that same arithmetic): its derivative is σ(1 − σ), from its value alone.
    /// </summary>
    Logistic,
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

/// <summary>
/// C# the IR does not look into and evaluates as the user wrote it (a call without a derivative, a property, an object
/// creation, a string): <see cref="Parts"/> is the text between the holes and <see cref="Args"/> fill the holes (the
/// variables it reads, so renaming and def/use see them; <c>Parts.Count == Args.Count + 1</c>). A constant for
/// differentiation: the parser reports one whose real value depends on a differentiated input. Never pure.
/// <see cref="WrittenVectors"/>: tracked vectors the code may write (passed as <c>Span&lt;T&gt;</c> or an array).
/// </summary>
internal sealed record Opaque(TypeRef Type, EquatableArray<string> Parts, EquatableArray<Expr> Args, EquatableArray<string> WrittenVectors) : Expr(Type)
{
    public static Opaque Text(TypeRef type, string text) =>
        new(type, new[] { text }.ToEquatableArray(), EquatableArray<Expr>.Empty, EquatableArray<string>.Empty);
}

/// <summary><c>new T[Length]</c> or <c>stackalloc T[Length]</c>.</summary>
internal sealed record NewVector(TypeRef Type, Expr Length, bool Stack) : Expr(Type);

/// <summary>A <c>ref</c> (or, with <paramref name="Out"/>, <c>out</c>) argument: generated derivative calls, and calls of generated derivatives in user code.</summary>
internal sealed record RefArg(Expr Target, bool Out = false) : Expr(Target.Type);

/// <summary>A static readonly value of another type, e.g. <c>global::System.Math.PI</c> (a constant for differentiation).</summary>
internal sealed record StaticValue(TypeRef Type, string Member) : Expr(Type);

/// <summary>The default of a type: <c>0</c>, <c>false</c>, an empty span, <c>Array.Empty&lt;T&gt;()</c>.</summary>
internal sealed record DefaultValue(TypeRef Type) : Expr(Type);

/// <summary>Generated: the value popped from a tape (the forward sweep pushed it).</summary>
internal sealed record TapePop(TypeRef Type, string Tape) : Expr(Type);

/// <summary>
/// Generated: <c>Vector[Start .. Start + Length]</c> as a span; <see cref="Expr.Type"/> is <c>Span&lt;T&gt;</c> (the
/// vector is a span) or <c>ReadOnlySpan&lt;T&gt;</c> (any vector: an array, a span or a read-only span).
/// </summary>
internal sealed record SliceOf(TypeRef Type, string Vector, Expr Start, Expr Length) : Expr(Type);

/// <summary>Reductions a reassociating lowering may use (<c>TensorPrimitives.Sum</c>, <c>Dot</c>, <c>SumOfSquares</c>).</summary>
internal enum ReduceOp
{
    Sum,
    Dot,
    SumOfSquares,
}

/// <summary>Generated (only under <c>AllowReassociation</c>): a vectorised reduction over slices.</summary>
internal sealed record VectorReduce(TypeRef Type, ReduceOp Op, EquatableArray<Expr> Operands) : Expr(Type);
