using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;
using DiffGen.Generator.Simplification;
using DiffGen.Generator.Differentiation.Sweeps;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// A fused loop over t whose iteration ends in a short reverse loop over k that only adds into gradient elements at
/// <c>t + f(k)</c> or <c>f(k)</c> — the adjoint of a convolution, <c>dk[k] += x[t + k]·dy; dx[t + k] += k[k]·dy</c> —
/// pays two tiny kernel calls per t. Run over <see cref="Size"/> iterations of t at a time instead, with the per-t
/// scalars those additions read (<c>dy</c>) kept in a stack block, the additions can wait until the block's end and
/// then run over k outside and t inside: per k one <c>Dot</c> (into <c>dk[k]</c>) or one axpy over the block (into
/// <c>dx[t + k]</c>), as a careful person writes it:
/// <code>
/// for (int tStart = 0; tStart &lt; n; tStart += 256)
/// {
///     int tEnd = …min(tStart + 256, n);
///     for (int t = tStart; t &lt; tEnd; t++) { the iteration, the reverse loop replaced by dyBlock[t - tStart] = dy; }
///     for (int k = …) { dk[k] += Dot(x[tStart + k ..], dyBlock); MultiplyAdd(dyBlock, k[k], dx[tStart + k ..]); }
/// }
/// </code>
/// Only the order in which each gradient element receives its terms changes (the value is untouched). Applies when
/// the destinations are touched nowhere else in the iteration, nothing the additions read is written in it except the
/// kept scalars, and no iteration ends early.
/// </summary>
internal static class BlockInterchange
{
    /// <summary>Iterations per block: a stack block of this many elements per kept scalar (no more than PooledScratch keeps on the stack).</summary>
    public const int Size = PooledScratch.StackLimit;

    /// <summary>Fewer iterations than this, known at compile time, stay as they are.</summary>
    private const int MinimumCount = 32;

    /// <summary>The counter of a kernel read as its loop, until the loop is kept and the counter named.</summary>
    private const string Provisional = "<k>";

    /// <summary>The code with every such loop run in blocks, or null when there is none.</summary>
    public static List<Stmt>? TryApply(List<Stmt> code, Func<string, string> temp) =>
        LoopRewrite.Apply(code, (loop, blocks) => Interchange(loop, temp, blocks));

    private static List<Stmt>? Interchange(Loop loop, Func<string, string> temp, List<Stmt> blocks)
    {
        // for (int t = start; t < bound; t++), or a reverse sweep's for (int t = start; t >= bound; t--), that runs every
        // iteration to its end and calls nothing (tapes are fine: the iteration's statements keep their order).
        CountedLoopShape? shape = CountedLoopShape.Of(loop);
        bool up = shape is { Step: 1, Compare: BinaryOp.Less or BinaryOp.LessOrEqual };
        if (shape is null || !(up || shape is { Step: -1, Compare: BinaryOp.GreaterOrEqual })
            || loop.Condition is not Binary { Left: Var { Name: var tested } } || tested != shape.Counter
            || IrWalk.Descendants(loop.Body).Any(s => s is Break or Continue or Return or RentBuffer or DeclareBuffer or ReturnBuffer or CallStmt or PullbackCall or Evaluate)
            || IrWalk.Descendants(loop.Body).Any(s => IrWalk.OwnExpressions(s).Any(e => IrWalk.SelfAndDescendants(e).Any(x => x is Opaque or OpaqueCall))))
        {
            return null;
        }

        (string t, Expr start, Expr bound) = (shape.Counter, shape.Start, shape.Bound);
        if (shape.Compare == BinaryOp.LessOrEqual)
        {
            // t <= last is t < last + 1.
            bound = new Binary(TypeRef.Int, BinaryOp.Add, bound, LiteralFormatter.Int(1));
        }

        // A loop known to run a few times (a 4 × 4 product's) gains nothing: its block would be a few elements long.
        if (LinearForm.Of(ExprBuilder.Sub(bound, start)) is { IsConstant: true } count && Math.Abs(count.Constant) < MinimumCount)
        {
            return null;
        }

        List<Stmt> body = loop.Body.Statements.ToList();
        Effects all = Effects.Deep(body);
        if (!Fixed(bound, all) || !Fixed(start, all))
        {
            return null;
        }

        // The reverse loops that can wait: each becomes its deferred form and the scalars it reads per t.
        var deferred = new Dictionary<int, Deferred>();
        for (int at = 0; at < body.Count; at++)
        {
            // A kernel the reverse sweep already made (under AllowReassociation) is its loop over the slices.
            Loop? reverse = body[at] switch
            {
                Loop { Id: -1 } reverseLoop => reverseLoop,
                VectorKernel kernel => AsLoop(kernel),
                _ => null,
            };
            if (reverse is not null)
            {
                var others = body.Where((s, i) => i != at).ToList();
                if (Defer(reverse, t, Effects.Deep(others)) is { } d)
                {
                    deferred[at] = d;
                }
            }
        }

        // No deferred loop may read what another adds into.
        if (deferred.Count == 0
            || deferred.Values.Any(d => deferred.Values.Any(o => o != d && o.Destinations.Overlaps(d.Inputs))))
        {
            return null;
        }

        // One stack block per kept scalar, its counter's offset in the block as the index.
        // A block is [tStart, tEnd) going up, (tEnd, tStart] going down; its lowest t is at element 0 of the blocks.
        string startName = temp(t + "Start");
        string endName = temp(t + "End");
        var blockStart = new Var(TypeRef.Int, startName);
        var blockEnd = new Var(TypeRef.Int, endName);
        Expr low = up ? blockStart : Plus(blockEnd, 1);
        Expr length = up ? ExprBuilder.Sub(blockEnd, blockStart) : ExprBuilder.Sub(blockStart, blockEnd);
        Expr offset = up ? ExprBuilder.Sub(new Var(TypeRef.Int, t), blockStart) : Plus(ExprBuilder.Sub(new Var(TypeRef.Int, t), blockEnd), -1);
        // A kept scalar is stored where its reverse loop was; a later loop reading the same value (nothing wrote the
        // scalar in between) shares the block.
        var iteration = new List<Stmt>();
        var after = new List<Loop>();
        var current = new Dictionary<string, string>();
        for (int at = 0; at < body.Count; at++)
        {
            if (!deferred.TryGetValue(at, out Deferred? d))
            {
                iteration.Add(body[at]);
                foreach (string written in Effects.Deep(body[at]).Writes)
                {
                    current.Remove(written);
                }

                continue;
            }

            foreach (Var scalar in d.Kept.Where(v => !current.ContainsKey(v.Name)))
            {
                string name = temp(scalar.Name + "Block");
                current[scalar.Name] = name;
                blocks.Add(LoopRewrite.StackBlock(name, scalar.Type.Element, Size));
                iteration.Add(new Assign(new Elem(scalar.Type, name, offset, ProvenInRange: true), scalar));
            }

            // The comment saying what the reverse loop differentiates goes with it.
            Loop blocked = d.Build(t, low, length, current);
            int said = iteration.FindLastIndex(x => x is not Assign { Target: Elem { ProvenInRange: true } });
            if (said >= 0 && iteration[said] is Comment { Section: false } comment)
            {
                iteration.RemoveAt(said);
                blocked = blocked with { Body = Block.Of(blocked.Body.Statements.Prepend(comment)) };
            }

            // Loops over the same range run as one (each adds only into its own destinations, from inputs none writes).
            if (after.Count > 0 && Header(after[after.Count - 1]) == Header(blocked)
                && !Effects.Deep(after[after.Count - 1].Body).Declares.Overlaps(Effects.Deep(blocked.Body).Declares))
            {
                Loop previous = after[after.Count - 1];
                after[after.Count - 1] = previous with { Body = Block.Of(previous.Body.Statements.Concat(blocked.Body.Statements)) };
            }
            else
            {
                after.Add(blocked);
            }
        }

        // A kernel's loop: its counter gets a name of its own now that it stays.
        for (int n = 0; n < after.Count; n++)
        {
            if (after[n].Counter == Provisional)
            {
                var counter = new Var(TypeRef.Int, temp("k"));
                var rename = new Substitution(new Dictionary<string, Expr> { [Provisional] = counter });
                var renamed = (Loop)rename.Rewrite(after[n] with { Init = Block.Of(new Stmt[] { new Declare(counter.Name, TypeRef.Int, LiteralFormatter.Int(0)) }) });
                after[n] = renamed with { Counter = counter.Name };
            }
        }

        var declaration = (Declare)loop.Init.Statements[0];
        Loop inner = loop with
        {
            Init = Block.Of(new Stmt[] { declaration with { Init = blockStart } }),
            Condition = new Binary(TypeRef.Bool, up ? BinaryOp.Less : BinaryOp.Greater, new Var(TypeRef.Int, t), blockEnd),
            Body = Block.Of(iteration),
        };

        // Up: tEnd = bound - tStart > Size ? tStart + Size : bound; down: tEnd = tStart - bound >= Size ? tStart - Size
        // : bound - 1 (no overflow near int.MaxValue).
        Expr size = LiteralFormatter.Int(Size);
        Expr end = up
            ? new Conditional(TypeRef.Int, new Binary(TypeRef.Bool, BinaryOp.Greater, ExprBuilder.Sub(bound, blockStart), size), Plus(blockStart, Size), bound)
            : new Conditional(TypeRef.Int, new Binary(TypeRef.Bool, BinaryOp.GreaterOrEqual, ExprBuilder.Sub(blockStart, bound), size), Plus(blockStart, -Size), Plus(bound, -1));
        var outer = new Loop(
            -1,
            Block.Of(new Stmt[] { new Declare(startName, TypeRef.Int, start) }),
            new Binary(TypeRef.Bool, up ? BinaryOp.Less : BinaryOp.GreaterOrEqual, blockStart, bound),
            Block.Of(new Stmt[] { new Assign(blockStart, new Binary(TypeRef.Int, up ? BinaryOp.Add : BinaryOp.Subtract, blockStart, size)) }),
            Block.Of(new Stmt[] { new Declare(endName, TypeRef.Int, end), inner }.Concat(after)),
            null);
        return new List<Stmt>
        {
            new Comment($"{Size} iterations at a time: the gradient additions of each run after them, over the block at once"),
            outer,
        };
    }

    /// <param name="iteration">What the rest of the iteration reads and writes.</param>
    private static Deferred? Defer(Loop reverse, string t, Effects iteration)
    {
        if (reverse.Counter is not { } k || reverse.Init.Statements.Count != 1 || reverse.Init.Statements[0] is not Declare { Init: { } first }
            || reverse.Condition is not Binary { Left: Var counter, Right: var last } || counter.Name != k
            || !IrWalk.IsPure(first) || !IrWalk.IsPure(last) || Varies(first, t, k, iteration) || Varies(last, t, k, iteration))
        {
            return null;
        }

        var statements = new List<Statement>();
        var kept = new List<Var>();
        var destinations = new HashSet<string>();
        var inputs = new HashSet<string>();
        bool scalarDestinations = false;
        var locals = new List<Declare>();
        foreach (Stmt s in ReverseLoopVectorizer.InlineLoads(reverse.Body.Statements))
        {
            if (s is Comment)
            {
                continue;
            }

            // A temporary of the tap alone (k + 1, scale · (k + 1)) is computed in the loop over k as it was.
            if (s is Declare { Type.IsRealScalar: true, Init: { } init } local && IrWalk.IsPure(init) && !Varies(init, t, k, iteration)
                && !locals.Any(l => l.Name == local.Name))
            {
                locals.Add(local);
                continue;
            }

            // Into a gradient element at t + f(k) or f(k), or into a scalar adjoint (a bias's).
            if (s is not Assign { Kind: AssignKind.Add or AssignKind.Subtract, Target: var target, Value: var value } assign
                || !IrWalk.IsPure(value) || !target.Type.IsRealScalar || IrWalk.Mentions(value, IrWalk.TargetName(target)))
            {
                return null;
            }

            long stride = 0;
            if (target is Elem element)
            {
                if (LinearForm.Of(element.Index) is not { } index || index.Coefficient(t) is not (0 or 1) || Varies(element.Index, t, k, iteration, exceptCounter: true))
                {
                    return null;
                }

                stride = index.Coefficient(t);
            }
            else if (target is not Var)
            {
                return null;
            }

            var factors = new List<Expr>();
            Factors(value, factors);
            var invariant = new List<Expr>();
            var varying = new List<Expr>();
            foreach (Expr f in factors)
            {
                if (!IrWalk.Mentions(f, t) && !Varies(f, t, k, iteration))
                {
                    invariant.Add(f);
                }
                else if (f is Var { Type.IsRealScalar: true } v && iteration.Writes.Contains(v.Name) && f.Type == target.Type)
                {
                    varying.Add(f);
                    if (!kept.Any(x => x.Name == v.Name))
                    {
                        kept.Add(v);
                    }
                }
                else if (f is Elem e && f.Type == target.Type && !iteration.VectorWrites.Contains(e.Array) && LinearForm.Of(e.Index) is { } ei
                    && ei.Coefficient(t) == 1 && !Varies(e.Index, t, k, iteration, exceptCounter: true))
                {
                    varying.Add(f);
                }
                else
                {
                    return null;
                }
            }

            // Kernels take one or two per-t operands (and a scalar factor beside one).
            bool slice = stride == 1;
            if (varying.Count is 0 or > 2 || (slice && varying.Count == 2 && (invariant.Count > 0 || assign.Kind == AssignKind.Subtract)))
            {
                return null;
            }

            destinations.Add(IrWalk.TargetName(target));
            foreach (Expr f in factors)
            {
                inputs.UnionWith(IrWalk.Reads(f));
            }

            statements.Add(new Statement(assign.Kind, target, slice, invariant, varying));
            if (target is Var && !slice)
            {
                scalarDestinations = true;
            }
        }

        // The destinations are this loop's alone, and it reads none of them.
        if (statements.Count == 0 || destinations.Overlaps(inputs) || destinations.Any(iteration.Reads.Contains) || destinations.Any(iteration.VectorWrites.Contains)
            || (scalarDestinations && destinations.Any(iteration.Writes.Contains)))
        {
            return null;
        }

        // The temporaries are written once, before their reads, and are nothing the additions add into.
        if (locals.Any(l => destinations.Contains(l.Name)))
        {
            return null;
        }

        return new Deferred(reverse, locals, statements, kept, destinations, inputs);
    }

    /// <summary>
    /// Nothing the iteration does changes the expression: no scalar it reads is written, no element it reads stored to
    /// (a vector's length does not change when its elements do, <c>t &lt; y.Length</c> with <c>y[t] = …</c>).
    /// </summary>
    private static bool Fixed(Expr e, Effects iteration)
    {
        var elements = new HashSet<string>(IrWalk.SelfAndDescendants(e).OfType<Elem>().Select(x => x.Array));
        return !IrWalk.Reads(e).Any(iteration.Writes.Contains) && !elements.Overlaps(iteration.VectorWrites);
    }

    private static Expr Plus(Expr e, int by) =>
        by == 0 ? e
        : e is Literal { Text: var text } && int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value) ? LiteralFormatter.Int(value + by)
        : new Binary(TypeRef.Int, by > 0 ? BinaryOp.Add : BinaryOp.Subtract, e, LiteralFormatter.Int(Math.Abs(by)));

    private static (Block Init, Expr? Condition, Block Update, string? Counter) Header(Loop loop) => (loop.Init, loop.Condition, loop.Update, loop.Counter);

    /// <summary><c>for (int k = 0; k &lt; length; k++) destination[start + k] += …</c>: what the kernel computes.</summary>
    private static Loop? AsLoop(VectorKernel kernel)
    {
        const string k = Provisional;
        var counter = new Var(TypeRef.Int, k);
        SliceOf destination = kernel.Destination;
        var element = new TypeRef(destination.Type.Element, Shape.Scalar);
        Expr At(Expr operand) => operand is SliceOf slice ? new Elem(element, slice.Vector, ExprBuilder.Add(slice.Start, counter)) : operand;
        List<Expr> operands = kernel.Operands.Select(At).ToList();
        (Expr value, AssignKind kind) = kernel.Op switch
        {
            KernelOp.AddScalar or KernelOp.AddVector => (operands[0], AssignKind.Add),
            KernelOp.SubtractScalar or KernelOp.SubtractVector => (operands[0], AssignKind.Subtract),
            _ => ((Expr)new Binary(element, BinaryOp.Multiply, operands[0], operands[1]), AssignKind.Add),
        };
        var body = new Assign(new Elem(element, destination.Vector, ExprBuilder.Add(destination.Start, counter)), value, kind);
        return new Loop(
            -1,
            Block.Of(new Stmt[] { new Declare(k, TypeRef.Int, LiteralFormatter.Int(0)) }),
            new Binary(TypeRef.Bool, BinaryOp.Less, counter, destination.Length),
            Block.Of(new Stmt[] { new Assign(counter, new Binary(TypeRef.Int, BinaryOp.Add, counter, LiteralFormatter.Int(1))) }),
            Block.Of(new Stmt[] { body }),
            k);
    }

    /// <summary>
    /// Reads t (unless excepted) or something the rest of the iteration writes: it differs from one t to the next. The
    /// reverse loop's own counter k does not count (the forward loop it reverses declares the same name).
    /// </summary>
    private static bool Varies(Expr e, string t, string k, Effects iteration, bool exceptCounter = false) =>
        IrWalk.Reads(e).Any(n => n != k && (n == t ? !exceptCounter : iteration.Writes.Contains(n) || iteration.VectorWrites.Contains(n)));

    private static void Factors(Expr e, List<Expr> into)
    {
        if (e is Binary { Op: BinaryOp.Multiply } product)
        {
            Factors(product.Left, into);
            Factors(product.Right, into);
        }
        else
        {
            into.Add(e);
        }
    }

    /// <summary>One addition of the reverse loop: its destination, and its factors split by whether they vary with t.</summary>
    private sealed record Statement(AssignKind Kind, Expr Target, bool Slice, List<Expr> Invariant, List<Expr> Varying);

    private sealed record Deferred(Loop Reverse, List<Declare> Locals, List<Statement> Statements, List<Var> Kept, HashSet<string> Destinations, HashSet<string> Inputs)
    {
        /// <summary>The reverse loop over k with each addition over the whole block: a kernel or a reduction.</summary>
        public Loop Build(string t, Expr low, Expr length, Dictionary<string, string> kept)
        {
            var atStart = new Substitution(new Dictionary<string, Expr> { [t] = low });
            var body = new List<Stmt>(Locals);
            foreach (Statement s in Statements)
            {
                TypeRef element = s.Target.Type;
                var readOnly = new TypeRef(element.Element, Shape.ReadOnlySpan);
                List<Expr> operands = s.Varying.Select(v => v is Var scalar
                    ? new SliceOf(readOnly, kept[scalar.Name], LiteralFormatter.Int(0), length)
                    : (Expr)new SliceOf(readOnly, ((Elem)v).Array, atStart.Rewrite(((Elem)v).Index), length)).ToList();
                Expr? scalarFactor = s.Invariant.Count == 0 ? null : s.Invariant.Skip(1).Aggregate(s.Invariant[0], (a, b) => new Binary(element, BinaryOp.Multiply, a, b));
                if (s.Slice)
                {
                    var target = (Elem)s.Target;
                    var destination = new SliceOf(new TypeRef(element.Element, Shape.Span), target.Array, atStart.Rewrite(target.Index), length);
                    bool subtract = s.Kind == AssignKind.Subtract;
                    body.Add(operands.Count == 2
                        ? new VectorKernel(KernelOp.MultiplyAddVectors, destination, operands.ToEquatableArray())
                        : scalarFactor is null
                            ? new VectorKernel(subtract ? KernelOp.SubtractVector : KernelOp.AddVector, destination, operands.ToEquatableArray())
                            : new VectorKernel(KernelOp.MultiplyAdd, destination, new[] { operands[0], subtract ? new Unary(element, UnaryOp.Negate, scalarFactor) : scalarFactor }.ToEquatableArray()));
                }
                else
                {
                    Expr reduced = new VectorReduce(element, operands.Count == 2 ? ReduceOp.Dot : ReduceOp.Sum, operands.ToEquatableArray());
                    Expr value = scalarFactor is null ? reduced : new Binary(element, BinaryOp.Multiply, scalarFactor, reduced);
                    body.Add(new Assign(s.Target, value, s.Kind));
                }
            }

            return Reverse with { Body = Block.Of(body) };
        }
    }
}
