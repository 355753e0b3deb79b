using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// <c>x[i++]</c>, <c>if (++k &gt;= 5)</c>: an int counter incremented inside an expression is incremented in a statement of
/// its own just before, and the expression reads <c>i - 1</c> (postfix) or <c>k</c> (prefix). Only where that is the
/// same program: the counter appears once in the statement and the increment always runs (not under <c>?:</c>,
/// <c>&amp;&amp;</c>, <c>||</c> or <c>??</c>); anything else keeps its diagnostic.
/// </summary>
internal sealed partial class BodyLowering
{
    private readonly Dictionary<IOperation, Expr> _hoistedIncrements = new();

    /// <summary>Emits the increments inside <paramref name="expressions"/> (the parts of one statement) that can go first.</summary>
    private void HoistIncrements(IOperation statement, params IOperation?[] expressions)
    {
        var parts = expressions.OfType<IOperation>().ToList();
        foreach (IIncrementOrDecrementOperation increment in parts.SelectMany(p => p.Descendants()).OfType<IIncrementOrDecrementOperation>().ToList())
        {
            ISymbol? counter = VariableSymbol(increment.Target);
            if (counter is null || increment.Type?.SpecialType != SpecialType.System_Int32 || increment.IsChecked
                || !_variables.TryGetValue(counter, out Var? variable) || !AlwaysRuns(increment, statement)
                || parts.SelectMany(p => p.DescendantsAndSelf()).Count(o => o is ILocalReferenceOperation or IParameterReferenceOperation
                    && SymbolEqualityComparer.Default.Equals(VariableSymbol(o), counter)) != 1)
            {
                continue;
            }

            bool up = increment.Kind == OperationKind.Increment;
            _current.Add(new Assign(variable, new Binary(TypeRef.Int, up ? BinaryOp.Add : BinaryOp.Subtract, variable, LiteralFormatter.Int(1))) { Source = SourceText.Of(increment.Syntax) });
            _hoistedIncrements[increment] = increment.IsPostfix
                ? new Binary(TypeRef.Int, up ? BinaryOp.Subtract : BinaryOp.Add, variable, LiteralFormatter.Int(1))
                : variable;
        }
    }

    /// <summary>True when evaluating the statement always evaluates <paramref name="operation"/>.</summary>
    private static bool AlwaysRuns(IOperation operation, IOperation statement)
    {
        for (IOperation child = operation, parent = operation.Parent!; parent is not null && child != statement; child = parent, parent = parent.Parent!)
        {
            switch (parent)
            {
                case IConditionalOperation conditional when child != conditional.Condition:
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical when child == logical.RightOperand:
                case ICoalesceOperation coalesce when child == coalesce.WhenNull:
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
            }
        }

        return true;
    }
}
