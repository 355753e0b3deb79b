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
    public bool FullyWrites(Stmt statement, string vector) => WrittenPrefix(statement, vector) is { } bound && IsLengthOf(vector, bound);

    /// <summary>
    /// B when the statement is <c>for (int i = 0; i &lt; B; i++) { …; A[i] = e; … }</c> with the store at the body's top
    /// level: A[0..B) is written whenever it runs (all of A when B is its length).
    /// </summary>
    public Expr? WrittenPrefix(Stmt statement, string vector) =>
        statement is Loop loop
        && CountedLoopShape.Of(loop) is { Step: 1, Compare: BinaryOp.Less, Start: Literal { Text: "0" } } shape
        && loop.Body.Statements.Any(s => s is Assign { Kind: AssignKind.Set, Target: Elem { Index: Var index } target } && target.Array == vector && index.Name == shape.Counter)
            ? shape.Bound
            : null;

    /// <summary>
    /// Every write of the vector inside <paramref name="loop"/> is an element store at an index in [0, bound): its
    /// elements from the bound on stay as they were (a caller's scratch span may be longer than the part used).
    /// </summary>
    public bool WritesOnlyBelow(Loop loop, string vector, Expr bound)
    {
        if (LinearForm.Of(bound) is not { } limit)
        {
            return false;
        }

        Effects changed = Effects.Deep(loop);
        foreach (Stmt statement in IrWalk.Descendants(new Stmt[] { loop }))
        {
            if (!Effects.Of(statement).VectorWrites.Contains(vector))
            {
                continue;
            }

            if (statement is not Assign { Target: Elem target } || !InRange(target.Index, statement, loop, changed, limit))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a linear index is provably in [0, limit) over the counted loops around the statement.</summary>
    private bool InRange(Expr index, Stmt statement, Loop loop, Effects changed, LinearForm limit) =>
        LinearForm.Of(index) is { } form
        && Extreme(form, statement, loop, changed, lowest: true) is { IsConstant: true } low && low.Constant >= 0
        && Extreme(form, statement, loop, changed, lowest: false) is { } high && limit.Plus(high.Scale(-1)) is { IsConstant: true } room && room.Constant >= 1;

    /// <summary>
    /// The least (or greatest) value of a linear index over the counted loops around the statement out to
    /// <paramref name="outer"/>: each counter replaced by the end of its range that minimises (maximises) the form,
    /// innermost first. Null when a range is unknown or the form still reads something the loops change (what
    /// <paramref name="outer"/> writes or declares: <paramref name="changed"/>).
    /// </summary>
    private LinearForm? Extreme(LinearForm form, Stmt statement, Loop outer, Effects changed, bool lowest)
    {
        Stmt current = statement;
        while (!ReferenceEquals(current, outer))
        {
            if (_index.OwnerOf(_index.BlockOf(current)) is not { } owner)
            {
                return null;
            }

            if (owner is Loop { Counter: { } counter } loop && form.Coefficient(counter) != 0)
            {
                if (CountedLoopShape.Of(loop) is not { } shape || LinearForm.Of(shape.Start) is null)
                {
                    return null;
                }

                (LinearForm? low, LinearForm? high) = shape.Range();
                LinearForm? end = (form.Coefficient(counter) > 0) == lowest ? low : high;
                if (end is null)
                {
                    return null;
                }

                form = form.Substitute(counter, end);
            }

            current = owner;
        }

        return form.Terms.Any(t => t.Value != 0 && (changed.Writes.Contains(t.Key) || changed.Declares.Contains(t.Key))) ? null : form;
    }

    /// <summary>Pure, and reads only locals assigned once and parameters never assigned: the same value wherever it is evaluated.</summary>
    public bool IsFixed(Expr value) =>
        IrWalk.IsPure(value) && IrWalk.Reads(value).All(n => _index.IsSingleAssignment(n) || (_parameters.Contains(n) && _index.WritersOf(n).Count == 0));

    /// <summary>Every read of the vector in the block comes after a statement that overwrote it (in the same execution).</summary>
    public bool ReadsOnlyAfterOverwrite(Block block, string vector) => Covered(block.Statements, vector, covered: false, bound: null);

    /// <summary>
    /// The same for a caller's scratch span of unknown length of which the loop uses a prefix: the body writes A[0..B)
    /// (B fixed) before any read in every iteration — directly, or in a nested loop that stores A[j] and then reads only
    /// A[j] — the loop writes nothing from B on, and reads nothing from B on (a Gaussian mixture's centred point).
    /// </summary>
    /// <param name="carriesAdjoint">
    /// Whether a statement has adjoint code: a read by one that has none (a maximum kept under <c>StopGradient</c>) may
    /// see an element from an earlier iteration, since only adjoints must not cross iterations.
    /// </param>
    public bool ReadsOnlyAfterPrefixOverwrite(Loop loop, string vector, System.Func<Stmt, bool> carriesAdjoint)
    {
        foreach (Expr bound in IrWalk.Descendants(loop.Body.Statements).Select(s => WrittenPrefix(s, vector)).OfType<Expr>().Distinct())
        {
            if (IsFixed(bound) && WritesOnlyBelow(loop, vector, bound) && ReadsOnlyBelow(loop, vector, bound, carriesAdjoint)
                && Covered(loop.Body.Statements, vector, covered: false, bound))
            {
                return true;
            }
        }

        return false;
    }

    private bool Covered(IEnumerable<Stmt> statements, string vector, bool covered, Expr? bound)
    {
        foreach (Stmt statement in statements)
        {
            if (!covered && !(bound is not null && StoresThenReadsOwnElement(statement, vector, bound)))
            {
                if (OwnValueReads(statement).Contains(vector))
                {
                    return false;
                }

                if (IrWalk.ChildBlocks(statement).Any(child => !Covered(child.Statements, vector, covered: false, bound)))
                {
                    return false;
                }
            }

            covered |= FullyWrites(statement, vector) || (bound is not null && bound.Equals(WrittenPrefix(statement, vector)));
        }

        return true;
    }

    /// <summary>
    /// <c>for (j = 0; j &lt; B; j++) { …; A[j] = e; … A[j] … }</c>: nothing before the store reads A, e does not, and
    /// what follows reads A only at j: every read sees this iteration's store.
    /// </summary>
    private static bool StoresThenReadsOwnElement(Stmt statement, string vector, Expr bound)
    {
        if (statement is not Loop loop || CountedLoopShape.Of(loop) is not { Step: 1, Compare: BinaryOp.Less, Start: Literal { Text: "0" } } shape
            || !bound.Equals(shape.Bound))
        {
            return false;
        }

        bool stored = false;
        foreach (Stmt inner in loop.Body.Statements)
        {
            bool isStore = !stored && inner is Assign { Kind: AssignKind.Set, Target: Elem { Index: Var index } target } && target.Array == vector && index.Name == shape.Counter;
            foreach (Stmt nested in IrWalk.Descendants(new[] { inner }))
            {
                foreach (Expr e in ReadExpressions(nested).SelectMany(IrWalk.SelfAndDescendants))
                {
                    bool atCounter = e is Elem { Index: Var at } element && element.Array == vector && at.Name == shape.Counter;
                    bool other = (e is Elem other2 && other2.Array == vector && !atCounter) || (e is SliceOf slice && slice.Vector == vector)
                        || (e is Var { Type.IsVector: true } whole && whole.Name == vector);
                    if (other || (atCounter && (!stored || isStore)))
                    {
                        return false;
                    }
                }

                if (nested is Assign { Kind: not AssignKind.Set, Target: Elem compound } && compound.Array == vector)
                {
                    return false;
                }
            }

            stored |= isStore;
        }

        return stored;
    }

    /// <summary>
    /// Every read of the vector inside the loop by a statement with adjoint code, outside a call no derivative flows
    /// through, is an element at an index below <paramref name="bound"/>.
    /// </summary>
    private bool ReadsOnlyBelow(Loop loop, string vector, Expr bound, System.Func<Stmt, bool> carriesAdjoint)
    {
        if (LinearForm.Of(bound) is not { } limit)
        {
            return false;
        }

        Effects changed = Effects.Deep(loop);
        foreach (Stmt statement in IrWalk.Descendants(new Stmt[] { loop }))
        {
            if (statement is Loop or If || !carriesAdjoint(statement))
            {
                continue;
            }

            foreach (Expr e in IrWalk.OwnExpressions(statement).SelectMany(OutsideOpaqueCalls))
            {
                if ((e is SliceOf slice && slice.Vector == vector) || (e is Var { Type.IsVector: true } whole && whole.Name == vector && !(statement is Assign { Target: Var rebound } && rebound.Name == vector)))
                {
                    return false;
                }

                if (e is Elem element && element.Array == vector && !InRange(element.Index, statement, loop, changed, limit))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static IEnumerable<Expr> OutsideOpaqueCalls(Expr expr)
    {
        yield return expr;
        if (expr is OpaqueCall)
        {
            yield break;
        }

        foreach (Expr child in IrWalk.Children(expr))
        {
            foreach (Expr e in OutsideOpaqueCalls(child))
            {
                yield return e;
            }
        }
    }

    /// <summary>The expressions a statement evaluates to read values: an assignment's value and its element index, not its target.</summary>
    private static IEnumerable<Expr> ReadExpressions(Stmt statement) => statement is Assign assign
        ? new[] { assign.Value }.Concat(assign.Target is Elem stored ? new[] { stored.Index } : System.Array.Empty<Expr>())
        : IrWalk.OwnExpressions(statement);

    /// <summary>The vector's elements or slices the statement's own expressions read (a length is not a value that changes).</summary>
    private static HashSet<string> OwnValueReads(Stmt statement)
    {
        var reads = new HashSet<string>();
        foreach (Expr expr in ReadExpressions(statement))
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

        return _index.DeclarationOf(vector)?.Init is NewVector { Length: var length } && length.Equals(bound) && IsFixed(length);
    }
}
