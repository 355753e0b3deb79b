using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Sweeps;

/// <summary>
/// Reverse loops of elementwise or axpy shape become <c>TensorPrimitives</c> calls over slices (Vector512/256/128
/// chosen at run time, tail included): every statement of the loop body adds into an adjoint element at
/// <c>offset + i</c> a value that is a loop-invariant scalar, an element at <c>offset' + i</c>, or the product of two
/// of these — <c>dW[o * n + i] += da * x[i]</c>, the adjoint of a dense layer's inner loop. Each element receives the
/// same additions as in the loop; the statements run one after the other, as the iterations' statements did.
/// </summary>
internal sealed class ReverseLoopVectorizer : IrRewriter
{
    public static List<Stmt> Apply(List<Stmt> code) => new ReverseLoopVectorizer().RewriteBlock(Block.Of(code)).Statements.ToList();

    protected override Stmt VisitLoop(Loop loop)
    {
        var rewritten = (Loop)base.VisitLoop(loop);
        return TryVectorize(rewritten) ?? rewritten;
    }

    private static Stmt? TryVectorize(Loop loop)
    {
        // Only generated reverse loops: for (int i = first; i >= start; i--) or for (int i = first; i <= start; i++).
        if (loop.Id != -1 || loop.Counter is not { } i || loop.Init.Statements.Count != 1 || loop.Init.Statements[0] is not Declare { Init: { } first }
            || loop.Condition is not Binary { Op: BinaryOp.GreaterOrEqual or BinaryOp.LessOrEqual, Left: Var counter, Right: var start } condition
            || counter.Name != i || IrWalk.Mentions(start, i) || IrWalk.Mentions(first, i) || !IrWalk.IsPure(start) || !IrWalk.IsPure(first))
        {
            return null;
        }

        (Expr low, Expr high) = condition.Op == BinaryOp.GreaterOrEqual ? (start, first) : (first, start);
        Expr length = Length(low, high);

        // The statements that become kernels; the others stay in the loop (fission), if the two parts share nothing
        // one writes and the other reads.
        var kernels = new List<Stmt>();
        var rest = new List<Stmt>();
        foreach (Stmt statement in InlineLoads(loop.Body.Statements))
        {
            if (statement is Assign { Kind: AssignKind.Add or AssignKind.Subtract, Target: Elem target } assign
                && TryOffset(target.Index, i, out Expr? offset) && !IrWalk.Mentions(offset!, i) && IrWalk.IsPure(assign.Value)
                && Kernel(assign, target, offset!, i, low, length) is { } kernel)
            {
                kernels.Add(kernel);
            }
            else
            {
                rest.Add(statement);
            }
        }

        if (kernels.Count == 0 || rest.Any(s => s is not Comment) && !Independent(kernels, rest))
        {
            return null;
        }

        // Statements of one kernel must not read what another writes (the loop interleaved them per element).
        var destinations = new HashSet<string>(kernels.Cast<VectorKernel>().Select(k => k.Destination.Vector));
        if (kernels.Cast<VectorKernel>().Any(k => k.Operands.Any(o => IrWalk.Reads(o).Overlaps(destinations))))
        {
            return null;
        }

        // A loop that may run zero times must not turn into a negative slice length.
        bool nonNegative = length is LengthOf || (length is Literal l && !l.Text.StartsWith("-", System.StringComparison.Ordinal));
        Stmt vectorised = nonNegative
            ? Block.Of(kernels)
            : new If(new Binary(TypeRef.Bool, BinaryOp.Greater, length, new Literal(TypeRef.Int, "0")), Block.Of(kernels), null);
        if (rest.All(s => s is Comment))
        {
            return vectorised;
        }

        return Block.Of(new[] { vectorised, loop with { Body = Block.Of(rest) } });
    }

    /// <summary>
    /// Element loads kept in temporaries (<c>double xElem = x[t + k]; dk[k] += g * xElem;</c>) read again where used, so
    /// the statements show their elementwise shape. Only loads of vectors the body never writes, used after them.
    /// </summary>
    internal static List<Stmt> InlineLoads(IEnumerable<Stmt> statements)
    {
        List<Stmt> list = statements.ToList();
        Effects written = Effects.Deep(list);
        for (int k = list.Count - 1; k >= 0; k--)
        {
            if (list[k] is Declare { Init: Elem load } temporary && !written.VectorWrites.Contains(load.Array)
                && !IrWalk.Reads(load.Index).Any(n => written.Writes.Contains(n) && n != temporary.Name)
                && !list.Take(k).Any(s => Effects.Deep(s).Reads.Contains(temporary.Name))
                && list.Skip(k + 1).All(s => !Effects.Deep(s).Writes.Contains(temporary.Name)))
            {
                var substitution = new Substitution(new Dictionary<string, Expr> { [temporary.Name] = load });
                for (int m = k + 1; m < list.Count; m++)
                {
                    list[m] = substitution.Rewrite(list[m]);
                }

                list.RemoveAt(k);
            }
        }

        return list;
    }

    /// <summary>The kernels and the rest of the loop touch disjoint data: neither writes what the other reads or writes.</summary>
    private static bool Independent(List<Stmt> kernels, List<Stmt> rest)
    {
        Effects k = Effects.Deep(kernels);
        Effects r = Effects.Deep(rest);
        var kernelWrites = new HashSet<string>(k.VectorWrites.Concat(k.Writes));
        var restWrites = new HashSet<string>(r.VectorWrites.Concat(r.Writes));
        return !r.Opaque && !kernelWrites.Overlaps(r.Reads) && !kernelWrites.Overlaps(restWrites) && !restWrites.Overlaps(k.Reads);
    }

    private static VectorKernel? Kernel(Assign assign, Elem target, Expr offset, string i, Expr low, Expr length)
    {
        TypeRef element = target.Type;
        var destination = new SliceOf(new TypeRef(element.Element, Shape.Span), target.Array, Add(offset, low), length);
        bool subtract = assign.Kind == AssignKind.Subtract;
        Expr value = assign.Value;
        if (IsInvariant(value, i))
        {
            return new VectorKernel(subtract ? KernelOp.SubtractScalar : KernelOp.AddScalar, destination, new[] { value }.ToEquatableArray());
        }

        if (Source(value, i, element, low, length) is { } alone)
        {
            return new VectorKernel(subtract ? KernelOp.SubtractVector : KernelOp.AddVector, destination, new Expr[] { alone }.ToEquatableArray());
        }

        if (value is not Binary { Op: BinaryOp.Multiply } product)
        {
            return null;
        }

        SliceOf? left = Source(product.Left, i, element, low, length);
        SliceOf? right = Source(product.Right, i, element, low, length);
        if (left is not null && right is not null)
        {
            return subtract ? null : new VectorKernel(KernelOp.MultiplyAddVectors, destination, new Expr[] { left, right }.ToEquatableArray());
        }

        (SliceOf? x, Expr scalar) = left is not null ? (left, product.Right) : (right, product.Left);
        if (x is null || !IsInvariant(scalar, i) || scalar.Type != element)
        {
            return null;
        }

        return new VectorKernel(KernelOp.MultiplyAdd, destination, new Expr[] { x, subtract ? Neg(scalar) : scalar }.ToEquatableArray());
    }

    /// <summary>An element read at <c>offset + i</c>, as the slice of those elements over the loop's range.</summary>
    private static SliceOf? Source(Expr e, string i, TypeRef element, Expr low, Expr length)
    {
        if (e is not Elem { } source || source.Type != element || !TryOffset(source.Index, i, out Expr? offset) || IrWalk.Mentions(offset!, i))
        {
            return null;
        }

        return new SliceOf(new TypeRef(element.Element, Shape.ReadOnlySpan), source.Array, Add(offset!, low), length);
    }

    /// <summary>Reads neither the counter nor anything the loop writes (it writes only adjoint elements).</summary>
    private static bool IsInvariant(Expr e, string i) =>
        e.Type.IsRealScalar && !IrWalk.Mentions(e, i) && IrWalk.IsPure(e);

    /// <summary><c>i</c>, <c>b + i</c>, <c>i + b</c> or <c>i - c</c>: the offset b (or −c).</summary>
    private static bool TryOffset(Expr index, string i, out Expr? offset)
    {
        offset = index switch
        {
            Var v when v.Name == i => new Literal(TypeRef.Int, "0"),
            Binary { Op: BinaryOp.Add, Right: Var r } b when r.Name == i => b.Left,
            Binary { Op: BinaryOp.Add, Left: Var l } b when l.Name == i => b.Right,
            Binary { Op: BinaryOp.Subtract, Left: Var l, Right: Literal c } when l.Name == i => new Literal(TypeRef.Int, "-" + c.Text),
            _ => null,
        };
        return offset is not null;
    }

    private static Expr Length(Expr low, Expr high)
    {
        // high - low + 1, folded when high is "n - 1" (the reverse of a loop up to n).
        if (high is Binary { Op: BinaryOp.Subtract, Right: Literal { Text: "1" } } minusOne)
        {
            return IsZero(low) ? minusOne.Left : new Binary(TypeRef.Int, BinaryOp.Subtract, minusOne.Left, low);
        }

        if (high is Literal h && low is Literal lo && int.TryParse(h.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int hv)
            && int.TryParse(lo.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int lv))
        {
            return new Literal(TypeRef.Int, (hv - lv + 1).ToString(CultureInfo.InvariantCulture));
        }

        Expr span = IsZero(low) ? high : new Binary(TypeRef.Int, BinaryOp.Subtract, high, low);
        return new Binary(TypeRef.Int, BinaryOp.Add, span, new Literal(TypeRef.Int, "1"));
    }

    private static Expr Add(Expr offset, Expr low) =>
        IsZero(offset) ? low : IsZero(low) ? offset : new Binary(TypeRef.Int, BinaryOp.Add, offset, low);

    private static bool IsZero(Expr e) => e is Literal { Text: "0" };
}
