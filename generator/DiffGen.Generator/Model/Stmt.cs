using System.Collections.Generic;
using DiffGen.Generator.Helpers;

namespace DiffGen.Generator.Model;

internal enum AssignKind
{
    Set,
    Add,
    Subtract,
}

/// <summary>A statement of the IR: the user's lowered body, and the generated sweeps.</summary>
internal abstract record Stmt;

internal sealed record Block(EquatableArray<Stmt> Statements) : Stmt
{
    public static readonly Block Empty = new(EquatableArray<Stmt>.Empty);

    public static Block Of(IEnumerable<Stmt> statements) => new(new EquatableArray<Stmt>(statements));
}

/// <summary>Declares a local (every user local has a unique name after parsing).</summary>
internal sealed record Declare(string Name, TypeRef Type, Expr? Init) : Stmt;

/// <summary><c>Target = Value</c> (user code is always <see cref="AssignKind.Set"/>; adjoint code uses += and -=).</summary>
internal sealed record Assign(Expr Target, Expr Value, AssignKind Kind = AssignKind.Set) : Stmt;

internal sealed record If(Expr Condition, Block Then, Block? Else) : Stmt;

/// <summary>
/// A loop: <c>for (Init; Condition; Update) Body</c>. <see cref="Counter"/> names the loop variable of a counted loop
/// (declared in Init as int, stepped by +1 in Update, never written in the body), which the reverse sweep recomputes.
/// </summary>
internal sealed record Loop(int Id, Block Init, Expr? Condition, Block Update, Block Body, string? Counter) : Stmt;

internal sealed record Break : Stmt;

internal sealed record Continue : Stmt;

internal sealed record Return(Expr? Value) : Stmt;

/// <summary>A call of a method with a derivative (other [Differentiable] method or registered pullback).</summary>
internal sealed record CallStmt(string? ResultVar, CallSpec Call) : Stmt;

/// <summary>Generated: a call statement such as <c>tape.Push(x)</c>.</summary>
internal sealed record Invoke(string Method, EquatableArray<Expr> Args) : Stmt;

/// <summary>Generated: a comment line.</summary>
internal sealed record Comment(string Text) : Stmt;

/// <summary>Generated: verbatim statement text (helpers only, never user code).</summary>
internal sealed record RawStmt(string Text) : Stmt;
