using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// <c>switch</c> statements and expressions become <c>if</c>/<c>?:</c> chains over a selector evaluated once, and
/// <c>do</c>/<c>while</c> becomes a <c>while</c> loop: the IR keeps one form of each, and every later pass already knows it.
/// </summary>
internal sealed partial class BodyLowering
{
    /// <summary><c>do { body } while (c);</c> is <c>first = true; while (first || c) { first = false; body }</c> (continue re-tests c).</summary>
    private void LowerDoWhile(IWhileLoopOperation loop)
    {
        string first = _names.Unique("firstPass");
        _claimed.Add(first);
        var flag = new Var(TypeRef.Bool, first);
        _current.Add(new Declare(first, TypeRef.Bool, new Literal(TypeRef.Bool, "true")));
        Expr condition = LowerCondition(loop.Condition!);
        if (loop.ConditionIsUntil)
        {
            condition = new Unary(TypeRef.Bool, UnaryOp.Not, condition);
        }

        Block body = LowerNested(loop.Body);
        var statements = new List<Stmt> { new Assign(flag, new Literal(TypeRef.Bool, "false")) };
        statements.AddRange(body.Statements);
        _current.Add(new Loop(_nextLoopId++, Block.Empty, new Binary(TypeRef.Bool, BinaryOp.Or, flag, condition), Block.Empty, new Block(statements.ToEquatableArray()), null));
    }

    /// <summary>A switch statement: each section an <c>if</c>/<c>else if</c>, the default section last.</summary>
    private void LowerSwitch(ISwitchOperation switchOperation)
    {
        Expr? selector = Selector(switchOperation.Value);
        if (selector is null)
        {
            return;
        }

        var tests = new List<(Expr? Test, Block Body)>();
        Block? defaultBody = null;
        foreach (ISwitchCaseOperation section in switchOperation.Cases)
        {
            List<IOperation> body = section.Body.ToList();
            if (body.Count > 0 && body[body.Count - 1] is IBranchOperation { BranchKind: BranchKind.Break } last
                && SymbolEqualityComparer.Default.Equals(last.Target, switchOperation.ExitLabel))
            {
                body.RemoveAt(body.Count - 1);
            }

            if (body.SelectMany(o => o.DescendantsAndSelf()).OfType<IBranchOperation>().FirstOrDefault(b => SymbolEqualityComparer.Default.Equals(b.Target, switchOperation.ExitLabel)) is { } early)
            {
                ReportStatement(early, "break before the end of a switch section", "; use if/else inside the section");
                return;
            }

            Expr? test = null;
            bool isDefault = false;
            foreach (ICaseClauseOperation clause in section.Clauses)
            {
                Expr? clauseTest = clause switch
                {
                    IDefaultCaseClauseOperation => null,
                    ISingleValueCaseClauseOperation single => EqualTo(selector, single.Value),
                    IPatternCaseClauseOperation pattern => PatternTest(selector, pattern.Pattern) is { } p && pattern.Guard is { } guard
                        ? new Binary(TypeRef.Bool, BinaryOp.And, p, LowerCondition(guard))
                        : PatternTest(selector, pattern.Pattern),
                    _ => null,
                };
                if (clause is IDefaultCaseClauseOperation)
                {
                    isDefault = true;
                    continue;
                }

                if (clauseTest is null)
                {
                    ReportStatement(clause, "case label of this kind", "; use constant values, relational patterns (< 0) and, or, not");
                    return;
                }

                test = test is null ? clauseTest : new Binary(TypeRef.Bool, BinaryOp.Or, test, clauseTest);
            }

            _nestingDepth++;
            Block lowered = LowerBlock(body);
            _nestingDepth--;
            if (isDefault)
            {
                defaultBody = lowered; // a default section that also has case labels runs for those too: it is the else branch
            }
            else
            {
                tests.Add((test, lowered));
            }
        }

        Block? chain = defaultBody;
        for (int i = tests.Count - 1; i >= 0; i--)
        {
            chain = new Block(new Stmt[] { new If(tests[i].Test!, tests[i].Body, chain) }.ToEquatableArray());
        }

        if (chain is not null)
        {
            _current.AddRange(chain.Statements);
        }
    }

    /// <summary>A switch expression: a <c>?:</c> chain; without a discard arm the last test's failure throws as C# does.</summary>
    private Expr LowerSwitchExpression(ISwitchExpressionOperation switchExpression, TypeRef type)
    {
        Expr? selector = Selector(switchExpression.Value);
        if (selector is null)
        {
            return Dummy(type);
        }

        string? saved = _noExtraction;
        _noExtraction ??= "a branch of a switch expression";
        var arms = new List<(Expr Test, Expr Value)>();
        foreach (ISwitchExpressionArmOperation arm in switchExpression.Arms)
        {
            Expr? test = ArmTest(selector, arm);
            if (test is null)
            {
                _noExtraction = saved;
                return Dummy(type);
            }

            arms.Add((test, ConvertTo(LowerExpr(arm.Value), type)));
        }

        _noExtraction = saved;
        Expr result = NoArmMatched(type, selector);
        for (int i = arms.Count - 1; i >= 0; i--)
        {
            result = arms[i].Test is Literal { Text: "true" } ? arms[i].Value : new Conditional(type, arms[i].Test, arms[i].Value, result);
        }

        return result;
    }

    /// <summary>An arm's pattern test and its guard, or null (reported) for a pattern DiffGen cannot test.</summary>
    private Expr? ArmTest(Expr selector, ISwitchExpressionArmOperation arm)
    {
        Expr? test = PatternTest(selector, arm.Pattern);
        if (test is null)
        {
            ReportExpression(arm.Pattern, "pattern of this kind", "; use constant values, relational patterns (< 0) and, or, not, _");
            return null;
        }

        return arm.Guard is null ? test : new Binary(TypeRef.Bool, BinaryOp.And, test, LowerExpr(arm.Guard));
    }

    /// <summary>What a switch expression does when no arm matches: throw, as C# does.</summary>
    private static Opaque NoArmMatched(TypeRef type, Expr selector) => new(
        type,
        new[] { "throw new global::System.Runtime.CompilerServices.SwitchExpressionException(", ")" }.ToEquatableArray(),
        new[] { selector }.ToEquatableArray(),
        EquatableArray<string>.Empty);

    /// <summary>The switch's value, evaluated once: a variable or constant as it is, anything else in a local.</summary>
    private Expr? Selector(IOperation value)
    {
        Expr selector = LowerOperand(value);
        if (IsDummy(selector))
        {
            return null;
        }

        if (selector is Var or Literal || _noExtraction is not null && IrWalk.IsPure(selector))
        {
            return selector;
        }

        if (_noExtraction is not null)
        {
            ReportExpression(value, "switch on a value computed " + "in " + _noExtraction, "; assign the value to a local first");
            return null;
        }

        string name = _names.Unique("selector");
        _claimed.Add(name);
        _current.Add(new Declare(name, selector.Type, selector));
        return new Var(selector.Type, name);
    }

    /// <summary>The test a pattern makes of the selector, or null for patterns the IR does not express (types, properties, lists).</summary>
    private Expr? PatternTest(Expr selector, IPatternOperation pattern)
    {
        switch (pattern)
        {
            case IDiscardPatternOperation:
                return new Literal(TypeRef.Bool, "true");
            case IConstantPatternOperation constant:
                return EqualTo(selector, constant.Value);
            case IRelationalPatternOperation relational when selector.Type.IsScalar && selector.Type.Element is not (ElementKind.Other or ElementKind.Bool):
                {
                    BinaryOp? op = relational.OperatorKind switch
                    {
                        BinaryOperatorKind.LessThan => BinaryOp.Less,
                        BinaryOperatorKind.LessThanOrEqual => BinaryOp.LessOrEqual,
                        BinaryOperatorKind.GreaterThan => BinaryOp.Greater,
                        BinaryOperatorKind.GreaterThanOrEqual => BinaryOp.GreaterOrEqual,
                        BinaryOperatorKind.Equals => BinaryOp.Equal,
                        BinaryOperatorKind.NotEquals => BinaryOp.NotEqual,
                        _ => null,
                    };
                    return op is null ? null : new Binary(TypeRef.Bool, op.Value, selector, ConvertTo(LowerExpr(relational.Value), selector.Type));
                }

            case INegatedPatternOperation negated:
                return PatternTest(selector, negated.Pattern) is { } inner ? new Unary(TypeRef.Bool, UnaryOp.Not, inner) : null;
            case IBinaryPatternOperation binary:
                {
                    Expr? left = PatternTest(selector, binary.LeftPattern);
                    Expr? right = PatternTest(selector, binary.RightPattern);
                    return left is null || right is null ? null
                        : new Binary(TypeRef.Bool, binary.OperatorKind == BinaryOperatorKind.Or ? BinaryOp.Or : BinaryOp.And, left, right);
                }

            default:
                return null;
        }
    }

    /// <summary><c>selector == value</c>: in the IR for numbers and bools, as code without a derivative for other types (enums, strings).</summary>
    private Expr EqualTo(Expr selector, IOperation value)
    {
        if (selector.Type.IsScalar && selector.Type.Element is not ElementKind.Other)
        {
            return new Binary(TypeRef.Bool, BinaryOp.Equal, selector, ConvertTo(LowerExpr(value), selector.Type));
        }

        Expr constant = LowerOperand(value);
        return new Opaque(TypeRef.Bool, new[] { string.Empty, " == ", string.Empty }.ToEquatableArray(), new[] { selector, constant }.ToEquatableArray(), EquatableArray<string>.Empty);
    }
}
