using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Analysis;

/// <summary>
/// Which statements overwrite a whole vector, and whether a block reads a vector only where it has been overwritten
/// since the block began: a scratch vector (<c>for (i = 0; i &lt; d; i++) xc[i] = x[i] - mu[i];</c> then reads of xc) holds
/// nothing from one execution of the block to the next.
/// </summary>
internal sealed class ArrayCoverage
{
    private readonly BodyIndex _index;
    private readonly IReadOnlyCollection<string> _parameters;

    public ArrayCoverage(BodyIndex index, IReadOnlyCollection<string> parameters)
    {
        _index = index;
        _parameters = parameters;
    }

    /// <summary>
    /// <c>for (int i = 0; i &lt; length(A); i++) { …; A[i] = e; … }</c> with the store at the body's top level: every
    /// element of A is written whenever the statement runs.
    /// </summary>
    public bool FullyWrites(Stmt statement, string vector) =>
        statement is Loop loop
        && CountedLoopShape.Of(loop) is { Step: 1, Compare: BinaryOp.Less, Start: Literal { Text: "0" } } shape
        && IsLengthOf(vector, shape.Bound)
        && loop.Body.Statements.Any(s => s is Assign { Kind: AssignKind.Set, Target: Elem { Index: Var index } target } && target.Array == vector && index.Name == shape.Counter);

    /// <summary>Every read of the vector in the block comes after a statement that overwrote it (in the same execution).</summary>
    public bool ReadsOnlyAfterOverwrite(Block block, string vector) => Covered(block.Statements, vector, covered: false);

    private bool Covered(IEnumerable<Stmt> statements, string vector, bool covered)
    {
        foreach (Stmt statement in statements)
        {
            if (!covered)
            {
                if (OwnValueReads(statement).Contains(vector))
                {
                    return false;
                }

                if (IrWalk.ChildBlocks(statement).Any(child => !Covered(child.Statements, vector, covered: false)))
                {
                    return false;
                }
            }

            covered |= FullyWrites(statement, vector);
        }

        return true;
    }

    /// <summary>The vector's elements or slices the statement's own expressions read (a length is not a value that changes).</summary>
    private static HashSet<string> OwnValueReads(Stmt statement)
    {
        var reads = new HashSet<string>();
        IEnumerable<Expr> expressions = statement is Assign assign
            ? new[] { assign.Value }.Concat(assign.Target is Elem stored ? new[] { stored.Index } : System.Array.Empty<Expr>())
            : IrWalk.OwnExpressions(statement);
        foreach (Expr expr in expressions)
        {
            Collect(expr, reads);
        }

        if (statement is Assign { Kind: not AssignKind.Set, Target: Elem compound })
        {
            reads.Add(compound.Array);
        }

        return reads;

        static void Collect(Expr expr, HashSet<string> into)
        {
            switch (expr)
            {
                case LengthOf:
                    return;
                case Elem e:
                    into.Add(e.Array);
                    break;
                case SliceOf s:
                    into.Add(s.Vector);
                    break;
                case Var { Type.IsVector: true } v:
                    into.Add(v.Name);
                    break;
            }

            foreach (Expr child in IrWalk.Children(expr))
            {
                Collect(child, into);
            }
        }
    }

    /// <summary><c>A.Length</c>, or the length A was created with when nothing it reads is ever reassigned.</summary>
    private bool IsLengthOf(string vector, Expr bound)
    {
        if (bound is LengthOf { Array: var array } && array == vector)
        {
            return true;
        }

        return _index.DeclarationOf(vector)?.Init is NewVector { Length: var length } && length.Equals(bound)
            && IrWalk.Reads(length).All(n => _index.IsSingleAssignment(n) || (_parameters.Contains(n) && _index.WritersOf(n).Count == 0));
    }
}
