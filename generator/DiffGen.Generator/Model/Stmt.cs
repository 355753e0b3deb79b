using System.Collections.Generic;
using DiffGen.Generator.Helpers;

namespace DiffGen.Generator.Model;

internal enum AssignKind
{
    Set,
    Add,
    Subtract,
}

/// <summary>
/// A statement of the IR: the user's lowered body, and the generated sweeps. <see cref="Source"/> is the user's
/// statement as written (one line), kept through every rewrite so the reverse sweep can say what it differentiates.
/// </summary>
internal abstract record Stmt
{
    public string? Source { get; init; }
}

internal sealed record Block(EquatableArray<Stmt> Statements) : Stmt
{
    public static readonly Block Empty = new(EquatableArray<Stmt>.Empty);

    public static Block Of(IEnumerable<Stmt> statements) => new(new EquatableArray<Stmt>(statements));
}

/// <summary>
/// Declares a local (every user local has a unique name after parsing). <paramref name="Scoped"/>: a span declared
/// ahead of a <c>stackalloc</c> assigned to it later (C# needs <c>scoped</c> for that).
/// </summary>
internal sealed record Declare(string Name, TypeRef Type, Expr? Init, bool Scoped = false) : Stmt;

/// <summary><c>Target = Value</c> (user code is always <see cref="AssignKind.Set"/>; adjoint code uses += and -=).</summary>
internal sealed record Assign(Expr Target, Expr Value, AssignKind Kind = AssignKind.Set) : Stmt;

internal sealed record If(Expr Condition, Block Then, Block? Else) : Stmt;

/// <summary>
/// A loop: <c>for (Init; Condition; Update) Body</c>. <see cref="Counter"/> names the loop variable of a counted loop
/// (declared in Init as int, stepped by a constant in Update, never written in the body).
/// </summary>
internal sealed record Loop(int Id, Block Init, Expr? Condition, Block Update, Block Body, string? Counter) : Stmt;

internal sealed record Break : Stmt;

internal sealed record Continue : Stmt;

internal sealed record Return(Expr? Value) : Stmt;

/// <summary>
/// A call of a method with a derivative (another [Differentiable] method or a registered pullback). With a result,
/// <c>T ResultVar = M(args);</c> declares it, or assigns it when <paramref name="DeclaresResult"/> is false (the
/// declaration was moved out of a nested block so the reverse sweep can see it).
/// </summary>
internal sealed record CallStmt(string? ResultVar, CallSpec Call, bool DeclaresResult = true) : Stmt;

/// <summary>The user's <see cref="Opaque"/> code run for its effect: a call whose result is not used, a <c>throw</c>.</summary>
internal sealed record Evaluate(Opaque Code) : Stmt;

/// <summary>Generated: a comment line; a section comment heads a sweep, the others say what follows.</summary>
internal sealed record Comment(string Text, bool Section = false) : Stmt;

/// <summary>
/// Generated: a call of a pullback (or any void helper) with the given arguments. <paramref name="ValueOf"/> names the
/// primal method when the pullback returns its value (a generated one does); <see cref="Result"/> then may receive it,
/// the primal call folded into the pullback (<c>double minor = MinorPullback(…, dminor, da);</c>).
/// </summary>
internal sealed record PullbackCall(string Method, EquatableArray<Expr> Args, string? ValueOf = null) : Stmt
{
    /// <summary>The local that receives the returned value, declared here when <see cref="DeclaresResult"/>.</summary>
    public Var? Result { get; init; }

    public bool DeclaresResult { get; init; }
}

/// <summary>Generated: <c>Tape&lt;T&gt; Name = default;</c>.</summary>
internal sealed record DeclareTape(string Name, ElementKind Element) : Stmt;

/// <summary>Generated: <c>Name.Dispose();</c> (returns the tape's buffer to the pool).</summary>
internal sealed record DisposeTape(string Name) : Stmt;

/// <summary>Generated: <c>Tape.Push(Value);</c>.</summary>
internal sealed record Push(string Tape, Expr Value) : Stmt;

/// <summary>Generated: <c>Tape.PushRange(Vector);</c> (a whole vector's values, before a call overwrites them).</summary>
/// <remarks>
/// <see cref="Slot"/>: the per-iteration record of a scratch vector that every iteration overwrites before reading it;
/// the printed gradient may let the iteration write it in place on a tape of its own (<c>SnapshotSlots</c>).
/// </remarks>
/// <remarks><see cref="Parking"/>: a joint statement's park of a vector's final values around its reverse.</remarks>
internal sealed record PushRange(string Tape, string Vector, Expr? Count = null) : Stmt
{
    public bool Slot { get; init; }

    public bool Parking { get; init; }
}

/// <summary>Generated: <c>Tape.PopRange(Vector);</c> (<see cref="Slot"/> as on <see cref="PushRange"/>).</summary>
internal sealed record PopRange(string Tape, string Vector, Expr? Count = null) : Stmt
{
    public bool Slot { get; init; }

    public bool Parking { get; init; }
}

/// <summary>
/// Generated: <c>Vector = Tape.PushSlot(Vector.Length);</c> (the span now names fresh slots on the tape, which the
/// iteration overwrites) or, with <paramref name="Push"/> false, <c>Vector = Tape.PopSlot(Vector.Length);</c> (the span
/// names the slots its iteration wrote, taken off the tape).
/// </summary>
internal sealed record SlotBind(string Tape, string Vector, bool Push) : Stmt;

/// <summary>
/// Generated: a zeroed adjoint vector of <paramref name="Length"/> elements in a pooled array:
/// <c>T[] Buffer = ArrayPool&lt;T&gt;.Shared.Rent(n); Span&lt;T&gt; Span = new(Buffer, 0, n); Span.Clear();</c>. When
/// <paramref name="Declared"/> is false both were declared earlier (<see cref="DeclareBuffer"/>) and are assigned.
/// </summary>
/// <remarks>
/// With <paramref name="StackLimit"/> &gt; 0 the span is a <c>stackalloc</c> when the length is at most that many elements
/// (the buffer is then null) and rented only above it.
/// </remarks>
/// <remarks>
/// <paramref name="Clear"/> false skips the clearing when the first thing that touches the span overwrites all of it.
/// </remarks>
internal sealed record RentBuffer(string Buffer, string Span, ElementKind Element, Expr Length, bool Declared = true, int StackLimit = 0, bool Clear = true) : Stmt;

/// <summary>Generated: <c>T[]? Buffer = null; Span&lt;T&gt; Span = default;</c> for a buffer rented in a nested block.</summary>
internal sealed record DeclareBuffer(string Buffer, string Span, ElementKind Element) : Stmt;

/// <summary>Generated: returns a rented buffer to the pool (checked for null when it may not have been rented).</summary>
internal sealed record ReturnBuffer(string Buffer, ElementKind Element, bool MayBeNull) : Stmt;

/// <summary>Generated: <c>Vector.Clear();</c>.</summary>
internal sealed record ClearVector(string Vector) : Stmt;

/// <summary>Generated: throws <c>ArgumentException</c> naming <paramref name="Gradient"/> unless it has the length of <paramref name="Primal"/>.</summary>
/// <remarks>The displays name a model's leaves as the caller knows them (<c>dmodel.W1</c>); null: the local's name.</remarks>
internal sealed record LengthGuard(string Gradient, string Primal, string? GradientDisplay = null, string? PrimalDisplay = null) : Stmt;

/// <summary>Elementwise kernels of vectorised reverse loops (each adds into its destination).</summary>
internal enum KernelOp
{
    /// <summary><c>dest += c</c> (operands: c).</summary>
    AddScalar,
    /// <summary><c>dest -= c</c> (operands: c).</summary>
    SubtractScalar,
    /// <summary><c>dest += x · c</c> (operands: x slice, c).</summary>
    MultiplyAdd,
    /// <summary><c>dest += x · y</c> (operands: x slice, y slice).</summary>
    MultiplyAddVectors,
    /// <summary><c>dest += x</c> (operands: x slice).</summary>
    AddVector,
    /// <summary><c>dest -= x</c> (operands: x slice).</summary>
    SubtractVector,
}

/// <summary>Generated: one <c>TensorPrimitives</c> call over slices that replaces an elementwise reverse loop.</summary>
internal sealed record VectorKernel(KernelOp Op, SliceOf Destination, EquatableArray<Expr> Operands) : Stmt;
