using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Differentiation.Preparation;

/// <summary>
/// Gives every region one entry and one exit: early <c>return</c>, <c>break</c> and <c>continue</c> become flag
/// assignments, later statements are guarded by the flags, and loop conditions test them. The result is stored in
/// one variable.
/// </summary>
internal sealed class ControlFlowNormalizer
{
    private readonly NameTable _names;
    private readonly TypeRef _returnType;
    private readonly string? _result;
    private readonly HashSet<string> _flags = new();
    private string? _returnFlag;

    private ControlFlowNormalizer(NameTable names, TypeRef returnType, string? result)
    {
        _names = names;
        _returnType = returnType;
        _result = result;
    }

    /// <summary>A void method's (a vector result's) Result is empty: it has none.</summary>
    public static (Block Body, string Result) Normalize(Block body, TypeRef returnType, NameTable names)
    {
        string? result = returnType.Element == ElementKind.Void ? null : names.Unique("result");
        var normalizer = new ControlFlowNormalizer(names, returnType, result);
        Block normalized = normalizer.NormalizeBody(body);
        return (UnreadLocalElimination.Apply(normalized, normalizer._flags, result ?? string.Empty), result ?? string.Empty);
    }

    /// <summary>
    /// The body of an inlined method as statements of its caller: its returns store into <paramref name="result"/>
    /// (declared here; null for a void method) and skip the rest of the body through a flag.
    /// </summary>
    public static List<Stmt> InlineReturns(Block body, string? result, TypeRef returnType, NameTable names)
    {
        var normalizer = new ControlFlowNormalizer(names, returnType, result);
        List<Stmt> statements = body.Statements.ToList();
        bool returnsInside = statements.Take(statements.Count - 1).Any(s => s is Return || IrWalk.ChildBlocks(s).Any(b => IrWalk.Descendants(b).Any(d => d is Return)))
            || statements.Count > 0 && IrWalk.ChildBlocks(statements[statements.Count - 1]).Any(b => IrWalk.Descendants(b).Any(d => d is Return));
        if (!returnsInside)
        {
            // Statements, then at most one final return: the return declares the result.
            var output = statements.Count > 0 && statements[statements.Count - 1] is Return ? statements.Take(statements.Count - 1).ToList() : statements;
            if (result is not null)
            {
                Expr value = statements.Count > 0 && statements[statements.Count - 1] is Return { Value: { } v } ? v : new DefaultValue(returnType);
                output.Add(new Declare(result, returnType, value) { Source = statements.Count > 0 ? statements[statements.Count - 1].Source : null });
            }

            return output;
        }

        normalizer._returnFlag = names.Unique("returned");
        var declarations = new List<Stmt>();
        if (result is not null)
        {
            declarations.Add(new Declare(result, returnType, new DefaultValue(returnType)));
        }

        declarations.Add(new Declare(normalizer._returnFlag, TypeRef.Bool, new Literal(TypeRef.Bool, "false")));
        declarations.AddRange(normalizer.Transform(statements, null, null));
        return declarations;
    }

    private Block NormalizeBody(Block body)
    {
        // The common shape, statements then one final return, needs no flags.
        List<Stmt> statements = body.Statements.ToList();
        bool simple = statements.Count > 0 && statements[statements.Count - 1] is Return { Value: not null }
            && !statements.Take(statements.Count - 1).Any(s => s is Return || IrWalk.ChildBlocks(s).Any(b => IrWalk.Descendants(b).Any(d => d is Return)));
        if (simple)
        {
            var final = (Return)statements[statements.Count - 1];
            statements[statements.Count - 1] = new Declare(_result!, _returnType, final.Value) { Source = final.Source };
            return new Block(Transform(statements, null, null).ToEquatableArray());
        }

        bool returns = statements.Any(s => s is Return || IrWalk.ChildBlocks(s).Any(b => IrWalk.Descendants(b).Any(d => d is Return)));
        if (_returnType.Element == ElementKind.Void && !returns)
        {
            // A vector result's method (void, writing its [Output]) that never returns early.
            return new Block(Transform(statements, null, null).ToEquatableArray());
        }

        _returnFlag = _names.Unique("returned");
        _flags.Add(_returnFlag);
        var output = new List<Stmt>();
        if (_returnType.Element != ElementKind.Void)
        {
            output.Add(new Declare(_result!, _returnType, LiteralFormatter.Real(0, _returnType)));
        }

        output.Add(new Declare(_returnFlag, TypeRef.Bool, new Literal(TypeRef.Bool, "false")));
        output.AddRange(Transform(statements, null, null));
        return new Block(output.ToEquatableArray());
    }

    private List<Stmt> Transform(IReadOnlyList<Stmt> statements, string? breakFlag, string? continueFlag)
    {
        var output = new List<Stmt>();
        for (int i = 0; i < statements.Count; i++)
        {
            Stmt statement = statements[i];
            output.AddRange(TransformOne(statement, breakFlag, continueFlag));
            Expr? exit = ExitCondition(statement, breakFlag, continueFlag);
            if (exit is not null && i + 1 < statements.Count)
            {
                List<Stmt> rest = Transform(statements.Skip(i + 1).ToList(), breakFlag, continueFlag);
                if (rest.Count > 0)
                {
                    output.Add(new If(new Unary(TypeRef.Bool, UnaryOp.Not, exit), new Block(rest.ToEquatableArray()), null));
                }

                break;
            }
        }

        return output;
    }

    private IEnumerable<Stmt> TransformOne(Stmt statement, string? breakFlag, string? continueFlag)
    {
        switch (statement)
        {
            case Return ret:
                if (_result is not null)
                {
                    yield return new Assign(new Var(_returnType, _result), ret.Value ?? LiteralFormatter.Real(0, _returnType)) { Source = ret.Source };
                }

                if (_returnFlag is not null)
                {
                    yield return new Assign(new Var(TypeRef.Bool, _returnFlag), new Literal(TypeRef.Bool, "true"));
                }

                break;
            case Break when breakFlag is not null:
                yield return new Assign(new Var(TypeRef.Bool, breakFlag), new Literal(TypeRef.Bool, "true"));
                break;
            case Continue when continueFlag is not null:
                yield return new Assign(new Var(TypeRef.Bool, continueFlag), new Literal(TypeRef.Bool, "true"));
                break;
            case If branch:
                yield return branch with
                {
                    Then = new Block(Transform(branch.Then.Statements, breakFlag, continueFlag).ToEquatableArray()),
                    Else = branch.Else is null ? null : new Block(Transform(branch.Else.Statements, breakFlag, continueFlag).ToEquatableArray()),
                };
                break;
            case Loop loop:
                foreach (Stmt s in TransformLoop(loop))
                {
                    yield return s;
                }

                break;
            default:
                yield return statement;
                break;
        }
    }

    private IEnumerable<Stmt> TransformLoop(Loop loop)
    {
        bool breaks = ExitsLoop(loop.Body, typeof(Break));
        bool continues = ExitsLoop(loop.Body, typeof(Continue));
        bool returns = IrWalk.Descendants(loop.Body).Any(s => s is Return);
        string? breakFlag = breaks ? _names.Unique("broke") : null;
        string? continueFlag = continues ? _names.Unique("continued") : null;
        _flags.UnionWith(new[] { breakFlag, continueFlag }.OfType<string>());
        var body = new List<Stmt>();
        if (continueFlag is not null)
        {
            body.Add(new Assign(new Var(TypeRef.Bool, continueFlag), new Literal(TypeRef.Bool, "false")));
        }

        body.AddRange(Transform(loop.Body.Statements, breakFlag, continueFlag));
        if (continueFlag is not null && !ReadsFlag(body, continueFlag))
        {
            // A continue with nothing after it (the last statement of the body): the flag would be set and never read,
            // which is warning CS0219 in the generated file. The continue is a no-op there: drop the flag.
            body = Strip(body, continueFlag);
            continueFlag = null;
        }

        Expr? condition = loop.Condition;
        foreach (string? flag in new[] { breakFlag, returns ? _returnFlag : null })
        {
            if (flag is null)
            {
                continue;
            }

            Expr notFlag = new Unary(TypeRef.Bool, UnaryOp.Not, new Var(TypeRef.Bool, flag));
            condition = condition is null ? notFlag : new Binary(TypeRef.Bool, BinaryOp.And, condition, notFlag);
        }

        if (breakFlag is not null)
        {
            yield return new Declare(breakFlag, TypeRef.Bool, new Literal(TypeRef.Bool, "false"));
        }

        if (continueFlag is not null)
        {
            yield return new Declare(continueFlag, TypeRef.Bool, new Literal(TypeRef.Bool, "false"));
        }

        yield return loop with { Condition = condition, Body = new Block(body.ToEquatableArray()) };
    }

    private static bool ReadsFlag(List<Stmt> body, string flag) =>
        IrWalk.Descendants(new Block(body.ToEquatableArray())).Any(s => s switch
        {
            If branch => IrWalk.Mentions(branch.Condition, flag),
            Loop { Condition: { } condition } => IrWalk.Mentions(condition, flag),
            _ => false,
        });

    /// <summary>The statements without the assignments to <paramref name="flag"/>.</summary>
    private static List<Stmt> Strip(IEnumerable<Stmt> statements, string flag)
    {
        Block StripBlock(Block block) => new(Strip(block.Statements, flag).ToEquatableArray());
        var output = new List<Stmt>();
        foreach (Stmt statement in statements)
        {
            switch (statement)
            {
                case Assign { Target: Var v } when v.Name == flag:
                    break;
                case If branch:
                    output.Add(new If(branch.Condition, StripBlock(branch.Then), branch.Else is null ? null : StripBlock(branch.Else)));
                    break;
                case Loop loop:
                    output.Add(loop with { Init = StripBlock(loop.Init), Update = StripBlock(loop.Update), Body = StripBlock(loop.Body) });
                    break;
                case Block block:
                    output.Add(StripBlock(block));
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }

        return output;
    }

    /// <summary>The flags a statement may set that end the enclosing block early, or null.</summary>
    private Expr? ExitCondition(Stmt statement, string? breakFlag, string? continueFlag)
    {
        var flags = new List<string>();
        bool returns = statement is Return || IrWalk.ChildBlocks(statement).Any(b => IrWalk.Descendants(b).Any(s => s is Return));
        if (returns && _returnFlag is not null)
        {
            flags.Add(_returnFlag);
        }

        if (statement is not Loop)
        {
            if (breakFlag is not null && (statement is Break || IrWalk.ChildBlocks(statement).Any(b => ExitsLoop(b, typeof(Break)))))
            {
                flags.Add(breakFlag);
            }

            if (continueFlag is not null && (statement is Continue || IrWalk.ChildBlocks(statement).Any(b => ExitsLoop(b, typeof(Continue)))))
            {
                flags.Add(continueFlag);
            }
        }

        Expr? condition = null;
        foreach (string flag in flags)
        {
            Expr v = new Var(TypeRef.Bool, flag);
            condition = condition is null ? v : new Binary(TypeRef.Bool, BinaryOp.Or, condition, v);
        }

        return condition;
    }

    /// <summary>True when the block has a break/continue of the current loop (not of a nested loop).</summary>
    private static bool ExitsLoop(Block block, System.Type kind)
    {
        foreach (Stmt statement in block.Statements)
        {
            if (statement.GetType() == kind)
            {
                return true;
            }

            if (statement is not Loop && IrWalk.ChildBlocks(statement).Any(b => ExitsLoop(b, kind)))
            {
                return true;
            }
        }

        return false;
    }
}
