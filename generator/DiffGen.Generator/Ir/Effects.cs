using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Ir;

/// <summary>
/// What a statement reads and writes: the one def/use definition every pass asks. <see cref="Of"/> covers the
/// statement's own expressions; <see cref="Deep"/> adds everything nested in it.
/// </summary>
internal sealed class Effects
{
    /// <summary>Variables read: scalars, and vectors whose elements or length are read.</summary>
    public HashSet<string> Reads { get; } = new();

    /// <summary>Scalars assigned or declared.</summary>
    public HashSet<string> Writes { get; } = new();

    /// <summary>Vectors some of whose elements are written (element stores, call outputs, clears, pops).</summary>
    public HashSet<string> VectorWrites { get; } = new();

    /// <summary>Locals declared (scalars and vectors).</summary>
    public HashSet<string> Declares { get; } = new();

    /// <summary>True when the statement does something the IR cannot see into (a tape, a buffer, a call with effects).</summary>
    public bool Opaque { get; private set; }

    public bool WritesAny(IEnumerable<string> names) => names.Any(n => Writes.Contains(n) || VectorWrites.Contains(n));

    public static Effects Of(Stmt statement)
    {
        var effects = new Effects();
        effects.Add(statement);
        return effects;
    }

    public static Effects Deep(Stmt statement) => Deep(new[] { statement });

    public static Effects Deep(IEnumerable<Stmt> statements)
    {
        var effects = new Effects();
        foreach (Stmt statement in IrWalk.Descendants(statements))
        {
            effects.Add(statement);
        }

        return effects;
    }

    private void Add(Stmt statement)
    {
        switch (statement)
        {
            case Declare d:
                Declares.Add(d.Name);
                if (d.Type.IsScalar)
                {
                    Writes.Add(d.Name);
                }

                ReadAll(d.Init);
                break;
            case Assign a:
                ReadAll(a.Value);
                if (a.Target is Var v)
                {
                    Writes.Add(v.Name);
                    if (a.Kind != AssignKind.Set)
                    {
                        Reads.Add(v.Name);
                    }
                }
                else if (a.Target is Elem e)
                {
                    VectorWrites.Add(e.Array);
                    ReadAll(e.Index);
                    if (a.Kind != AssignKind.Set)
                    {
                        Reads.Add(e.Array);
                    }
                }

                break;
            case CallStmt c:
                if (c.ResultVar is { } result)
                {
                    Writes.Add(result);
                    if (c.DeclaresResult)
                    {
                        Declares.Add(result);
                    }
                }

                for (int i = 0; i < c.Call.Args.Count; i++)
                {
                    ReadAll(c.Call.Args[i]);
                    if (c.Call.ParameterTypes[i].Shape == Shape.Span && c.Call.Args[i] is Var output)
                    {
                        VectorWrites.Add(output.Name);
                    }
                    else if (c.Call.Args[i] is RefArg r)
                    {
                        // A pushforward's out tangent.
                        Writes.Add(IrWalk.TargetName(r.Target));
                    }
                }

                break;
            case PullbackCall p:
                if (p.Result is { } value)
                {
                    Writes.Add(value.Name);
                    if (p.DeclaresResult)
                    {
                        Declares.Add(value.Name);
                    }
                }

                foreach (Expr arg in p.Args)
                {
                    ReadAll(arg);
                    switch (arg)
                    {
                        case RefArg r:
                            Writes.Add(IrWalk.TargetName(r.Target));
                            break;
                        case Var { Type.Shape: Shape.Span } span:
                            VectorWrites.Add(span.Name);
                            break;
                    }
                }

                Opaque = true;
                break;
            case If i:
                ReadAll(i.Condition);
                break;
            case Loop l:
                ReadAll(l.Condition);
                break;
            case Return r:
                ReadAll(r.Value);
                break;
            case Push p:
                ReadAll(p.Value);
                Opaque = true;
                break;
            case Evaluate e:
                ReadAll(e.Code);
                break;
            case PushRange p:
                Reads.Add(p.Vector);
                ReadAll(p.Count);
                Opaque = true;
                break;
            case PopRange p:
                VectorWrites.Add(p.Vector);
                ReadAll(p.Count);
                Opaque = true;
                break;
            case SlotBind b:
                Reads.Add(b.Vector);
                Writes.Add(b.Vector);
                VectorWrites.Add(b.Vector);
                Opaque = true;
                break;
            case RentBuffer r:
                ReadAll(r.Length);
                Writes.Add(r.Buffer);
                Writes.Add(r.Span);
                if (r.Declared)
                {
                    Declares.Add(r.Buffer);
                    Declares.Add(r.Span);
                }

                VectorWrites.Add(r.Span);
                break;
            case DeclareBuffer b:
                Declares.Add(b.Buffer);
                Declares.Add(b.Span);
                Writes.Add(b.Buffer);
                Writes.Add(b.Span);
                break;
            case ReturnBuffer r:
                Reads.Add(r.Buffer);
                Opaque = true;
                break;
            case ClearVector c:
                VectorWrites.Add(c.Vector);
                break;
            case LengthGuard g:
                Reads.Add(g.Gradient);
                Reads.Add(g.Primal);
                break;
            case VectorKernel k:
                Reads.Add(k.Destination.Vector);
                VectorWrites.Add(k.Destination.Vector);
                ReadAll(k.Destination.Start);
                ReadAll(k.Destination.Length);
                foreach (Expr operand in k.Operands)
                {
                    ReadAll(operand);
                }

                break;
            case DeclareTape or DisposeTape:
                Opaque = true;
                break;
            case Block or Break or Continue or Comment:
                break;
            default:
                throw new InvalidOperationException("Effects does not know " + statement.GetType().Name);
        }
    }

    private void ReadAll(Expr? expr)
    {
        if (expr is null)
        {
            return;
        }

        IrWalk.CollectReads(expr, Reads);
        if (!IrWalk.IsPure(expr))
        {
            Opaque = true;
            foreach (Model.Opaque code in IrWalk.SelfAndDescendants(expr).OfType<Model.Opaque>())
            {
                VectorWrites.UnionWith(code.WrittenVectors);
            }
        }
    }
}
