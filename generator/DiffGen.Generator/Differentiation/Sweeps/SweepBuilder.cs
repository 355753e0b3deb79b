using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Analysis;
using DiffGen.Generator.Differentiation.Planning;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Sweeps;

/// <summary>
/// Writes the forward and reverse code of a prepared body as the <see cref="ReversePlan"/> says. Every decision was
/// made by the planner; this class only arranges statements: a region's forward code (joint statements fused in
/// place, preceded by the adjoints they need), then its reverse code, statement by statement backwards; blocks inside
/// two-sweep loops push what their reverse re-creates at their end and pop it at their reverse's start.
/// </summary>
internal sealed partial class SweepBuilder
{
    private readonly ReversePlan _plan;
    private readonly BodyIndex _index;
    private readonly AdjointScope _scope;
    private readonly string _result;
    private readonly string _seed;

    public SweepBuilder(ReversePlan plan, BodyIndex index, AdjointScope scope, string result, string seed)
    {
        _plan = plan;
        _index = index;
        _scope = scope;
        _result = result;
        _seed = seed;
        Tapes = new Tapes(scope);
    }

    public Tapes Tapes { get; }

    /// <summary>Buffers rented for adjoints of the body's vectors, returned at the end of the pullback.</summary>
    public List<Stmt> Returns { get; } = new();

    /// <summary>Declarations the pullback needs at its top: buffers of vectors created in nested blocks (returned at the end).</summary>
    public List<Stmt> MethodDeclarations { get; } = new();

    /// <summary>The forward code of a region (its joint statements run their adjoints in place), then its reverse code.</summary>
    public (List<Stmt> Forward, List<Stmt> Reverse) Region(Block root)
    {
        var forward = new List<Stmt>();
        if (_plan.Hoisted.TryGetValue(root, out List<(string Name, TypeRef Type)>? hoisted))
        {
            foreach ((string name, TypeRef type) in hoisted)
            {
                forward.AddRange(HoistedDeclaration(name, type));
            }
        }

        List<Stmt> adjoints = AdjointDeclarations(root);
        bool placed = false;
        foreach (Stmt statement in root.Statements)
        {
            if (_plan.Joint.Contains(statement))
            {
                if (!placed)
                {
                    forward.AddRange(adjoints);
                    placed = true;
                }

                forward.AddRange(EarlyAdjoints(root, statement));
                forward.AddRange(Joint(statement));
            }
            else
            {
                forward.AddRange(Forward(statement));
            }
        }

        var reverse = new List<Stmt>();
        if (!placed)
        {
            reverse.AddRange(adjoints);
        }

        for (int k = root.Statements.Count - 1; k >= 0; k--)
        {
            Stmt statement = root.Statements[k];
            if (!_plan.Joint.Contains(statement) && !_plan.EarlyBefore.ContainsKey(statement))
            {
                reverse.AddRange(Reverse(statement));
            }
        }

        return (forward, reverse);
    }

    /// <summary>The adjoints of downstream statements that a joint statement needs before it runs, latest first.</summary>
    private IEnumerable<Stmt> EarlyAdjoints(Block root, Stmt joint)
    {
        for (int k = root.Statements.Count - 1; k >= 0; k--)
        {
            Stmt statement = root.Statements[k];
            if (_plan.EarlyBefore.TryGetValue(statement, out Stmt? before) && ReferenceEquals(before, joint))
            {
                foreach (Stmt s in Commented(statement, _plan.LocalAdjoints[statement]))
                {
                    yield return s;
                }
            }
        }
    }

    private List<Stmt> Joint(Stmt statement)
    {
        switch (statement)
        {
            case Loop loop:
                {
                    (List<Stmt> forward, List<Stmt> reverse) = Region(loop.Body);
                    reverse = Parked(statement, reverse);
                    (List<Stmt> before, List<Stmt> iteration, List<Stmt> after, Expr? guard) = FusedIteration.Arrange(forward, reverse, loop, _scope);
                    var fused = new List<Stmt>(before) { loop with { Body = Block.Of(iteration) } };
                    fused.AddRange(after);
                    var code = new List<Stmt> { new Comment("Forward and reverse sweeps fused: each iteration's adjoints are known when it runs") };
                    code.AddRange(guard is null ? fused : new List<Stmt> { new If(guard, Block.Of(fused), null) });
                    return code;
                }

            case If branch:
                {
                    (List<Stmt> thenForward, List<Stmt> thenReverse) = Region(branch.Then);
                    thenReverse = Parked(statement, thenReverse);
                    Block? otherwise = null;
                    if (branch.Else is not null)
                    {
                        (List<Stmt> elseForward, List<Stmt> elseReverse) = Region(branch.Else);
                        otherwise = Block.Of(elseForward.Concat(Parked(statement, elseReverse)));
                    }

                    return new List<Stmt> { branch with { Then = Block.Of(thenForward.Concat(thenReverse)), Else = otherwise } };
                }

            default:
                return new List<Stmt> { statement };
        }
    }

    /// <summary>
    /// A joint statement's reverse runs before the code after it, so what it restores of variables declared outside it
    /// would be seen there: their final values are parked around it (a local for a scalar, the tape for a vector).
    /// </summary>
    private List<Stmt> Parked(Stmt joint, List<Stmt> reverse)
    {
        HashSet<string> inside = _index.DeepEffects(joint).Declares;
        var scalars = new List<string>();
        var vectors = new List<string>();
        foreach (Stmt statement in IrWalk.Descendants(reverse))
        {
            string? name = statement switch
            {
                Assign { Target: Var v } => v.Name,
                Assign { Target: Elem e } => e.Array,
                PopRange p => p.Vector,
                _ => null,
            };
            if (name is null || _scope.IsGenerated(name) || inside.Contains(name) || scalars.Contains(name) || vectors.Contains(name))
            {
                continue;
            }

            if (_scope.Activity.TypeOf(name).IsVector)
            {
                vectors.Add(name);
            }
            else
            {
                scalars.Add(name);
            }
        }

        if (scalars.Count == 0 && vectors.Count == 0)
        {
            return reverse;
        }

        var parked = new List<Stmt>();
        var unpark = new List<Stmt>();
        foreach (string name in scalars)
        {
            TypeRef type = _scope.Activity.TypeOf(name);
            string final = _scope.Temp(name + "Final");
            parked.Add(new Declare(final, type, new Var(type, name)));
            unpark.Add(new Assign(new Var(type, name), new Var(type, final)));
        }

        foreach (string name in vectors)
        {
            // When the reverse restores only a recorded prefix of the vector (PopRange of a count), only that is parked.
            string tape = Tapes.ForParking(_scope.Activity.TypeOf(name).Element);
            Expr? count = RestoredPrefix(reverse, name);
            parked.Add(new PushRange(tape, name, count) { Parking = true });
            unpark.Insert(0, new PopRange(tape, name, count) { Parking = true });
        }

        return parked.Concat(reverse).Concat(unpark).ToList();
    }

    /// <summary>The count every restore of the vector in the reverse uses, when all are prefix pops of one count; else null (all of it).</summary>
    private static Expr? RestoredPrefix(List<Stmt> reverse, string vector)
    {
        Expr? count = null;
        foreach (Stmt statement in IrWalk.Descendants(reverse))
        {
            switch (statement)
            {
                case PopRange pop when pop.Vector == vector:
                    if (pop.Count is null || (count is not null && !count.Equals(pop.Count)))
                    {
                        return null;
                    }

                    count = pop.Count;
                    break;
                case Assign { Target: Elem element } when element.Array == vector:
                    return null;
            }
        }

        return count;
    }

    /// <summary><c>T dv = 0</c> for each active scalar local declared in the block (the result's adjoint starts from the seed).</summary>
    private List<Stmt> AdjointDeclarations(Block block)
    {
        var declarations = new List<Stmt>();
        foreach (Stmt statement in block.Statements)
        {
            string? name = statement switch
            {
                Declare { Type.IsScalar: true } d => d.Name,
                CallStmt { ResultVar: { } r } => r,
                _ => null,
            };
            if (name is not null && _scope.IsActive(name))
            {
                TypeRef type = _scope.Activity.TypeOf(name);
                Expr init = name == _result ? new Var(type, _seed) : Lit(0, type);
                declarations.Add(new Declare(_scope.AdjointOf(name), type, init));
            }
        }

        return declarations;
    }

    private IEnumerable<Stmt> HoistedDeclaration(string name, TypeRef type)
    {
        if (!type.IsVector)
        {
            yield return new Declare(name, type, new DefaultValue(type));
            yield break;
        }

        // A vector created in a nested block: declared here, created there; so is its adjoint buffer.
        Declare declaration = _index.DeclarationOf(name)!;
        bool stack = declaration.Init is NewVector { Stack: true };
        TypeRef declared = stack ? new TypeRef(type.Element, Shape.Span) : type;
        yield return new Declare(name, declared, new DefaultValue(declared), Scoped: stack);
        if (_scope.IsActive(name) && stack)
        {
            yield return new Declare(_scope.AdjointOf(name), declared, new DefaultValue(declared), Scoped: true);
        }
    }

    private readonly Dictionary<string, string> _buffers = new();

    private string BufferName(string adjoint)
    {
        if (!_buffers.TryGetValue(adjoint, out string? buffer))
        {
            buffer = _scope.Temp(adjoint + "Buffer");
            _buffers[adjoint] = buffer;
        }

        return buffer;
    }

    private IEnumerable<Stmt> Commented(Stmt statement, List<Stmt> code)
    {
        if (code.Count > 0 && statement.Source is { } source)
        {
            yield return new Comment(source);
        }

        foreach (Stmt s in code)
        {
            yield return s;
        }
    }
}
