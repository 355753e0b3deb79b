using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Cleanup;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Sweeps;

/// <summary>What the reverse Jacobian by rows is assembled from: the pullback's parts before they are joined.</summary>
internal sealed record RowsParts(
    DifferentiableMethodSpec Spec,
    IReadOnlyList<ParameterSpec> Wrt,
    IReadOnlyList<string> GradientNames,
    IReadOnlyList<(ParameterSpec Parameter, string Gradient, string Local)> ScalarGradients,
    IReadOnlyList<(string Local, TypeRef Type)> ParameterAdjoints,
    IReadOnlyList<Stmt> ScratchRents,
    IReadOnlyList<Stmt> MethodDeclarations,
    IReadOnlyList<Stmt> Forward,
    IReadOnlyList<Stmt> Reverse,
    IReadOnlyList<Stmt> Returns);

/// <summary>
/// The reverse Jacobian of a vector result with one forward sweep. m pullbacks cost m forward and m reverse sweeps;
/// when the reverse sweep only reads what the forward sweep left — no tape, nothing of the user's written but scalars it
/// restores from registers (set back to their final values before each row) — it can run once per output row from the
/// same forward state, as a hand-written Jacobian shares its forward values between rows: each row seeds a unit
/// adjoint of its output and accumulates straight into its row of the Jacobian. Otherwise null, and the Jacobian runs
/// one pullback per row.
/// </summary>
internal static class JacobianRows
{
    public static List<Stmt>? Build(RowsParts parts, AdjointScope scope, NameTable names, string jacobian)
    {
        ParameterSpec output = parts.Spec.Parameters[parts.Spec.Output];
        string outputAdjoint = scope.AdjointOf(output.Name);
        var fresh = new HashSet<string>(parts.GradientNames.Concat(parts.ScalarGradients.Select(g => g.Local)).Concat(parts.ParameterAdjoints.Select(a => a.Local)));

        // Adjoint vectors that live across rows (the output's, a scratch span's, a local array's): cleared per row, since
        // the pullback may leave an element it never reads again non-zero.
        var vectorResets = new List<string>();
        var topDeclared = new HashSet<string>();
        var topScalars = parts.Spec.Parameters.Where(p => p.Type.IsScalar && !p.IsMember).ToDictionary(p => p.Name, p => p.Type);
        foreach (Stmt statement in parts.ScratchRents.Concat(parts.MethodDeclarations).Concat(parts.Forward))
        {
            topDeclared.UnionWith(Effects.Of(statement).Declares);
            if (statement is Declare { Type.IsScalar: true } scalar)
            {
                topScalars[scalar.Name] = scalar.Type;
            }
        }

        foreach (Stmt statement in IrWalk.Descendants(parts.ScratchRents.Concat(parts.MethodDeclarations).Concat(parts.Forward)))
        {
            switch (statement)
            {
                case RentBuffer rent when scope.IsAdjoint(rent.Span):
                    vectorResets.Add(rent.Span);
                    continue;
                case DeclareBuffer buffer when scope.IsAdjoint(buffer.Span):
                    continue;
                case ClearVector clear when scope.IsAdjoint(clear.Vector):
                    continue;
                case Declare { Init: NewVector } declare when scope.IsAdjoint(declare.Name):
                    vectorResets.Add(declare.Name);
                    continue;
                case Assign { Value: NewVector, Target: Var v } when scope.IsAdjoint(v.Name):
                    vectorResets.Add(v.Name);
                    continue;
            }

            // The forward sweep must not touch adjoints (a fused loop's adjoint code reads the seed of one row).
            Effects effects = Effects.Of(statement);
            if (effects.Reads.Concat(effects.Writes).Concat(effects.VectorWrites).Any(scope.IsAdjoint))
            {
                return null;
            }
        }

        if (!vectorResets.All(topDeclared.Contains))
        {
            return null;
        }

        // The reverse sweep may write its own locals, the row's gradients, the adjoint vectors reset per row, and scalars
        // of the forward sweep it restores from registers (x = xOld): their final values are kept and set again per row.
        HashSet<string> ownDeclared = Effects.Deep(parts.Reverse).Declares;
        var restored = new List<string>();
        foreach (Stmt statement in IrWalk.Descendants(parts.Reverse))
        {
            Effects effects = Effects.Of(statement);
            if (effects.Opaque && statement is not PullbackCall)
            {
                return null;
            }

            foreach (string written in effects.Writes.Concat(effects.VectorWrites))
            {
                if (ownDeclared.Contains(written) || fresh.Contains(written) || vectorResets.Contains(written) || restored.Contains(written))
                {
                    continue;
                }

                if (scope.IsAdjoint(written) || !topScalars.ContainsKey(written) || effects.VectorWrites.Contains(written))
                {
                    return null;
                }

                restored.Add(written);
            }
        }

        var element = output.Type.ElementType;
        var jacobianType = new TypeRef(output.Type.Element, Shape.Span);
        var code = new List<Stmt>();
        code.AddRange(parts.ScratchRents);
        code.AddRange(parts.MethodDeclarations);

        // Column offsets of the wrt parameters, and n.
        var offsets = new List<Expr>();
        Expr count = new Literal(TypeRef.Int, "0");
        foreach (ParameterSpec p in parts.Wrt)
        {
            string offset = names.Unique("offset" + char.ToUpperInvariant(p.Name[0]) + p.Name.Substring(1));
            code.Add(new Declare(offset, TypeRef.Int, count));
            offsets.Add(new Var(TypeRef.Int, offset));
            count = new Binary(TypeRef.Int, BinaryOp.Add, new Var(TypeRef.Int, offset), p.Type.IsScalar ? new Literal(TypeRef.Int, "1") : new LengthOf(p.Name));
        }

        string n = names.Unique("n");
        code.Add(new Declare(n, TypeRef.Int, count));
        code.Add(new Comment("Forward sweep, once", Section: true));
        code.AddRange(parts.Forward);
        var ends = restored.Select(r => (Name: r, End: names.Unique(r + "End"), Type: topScalars[r])).ToList();
        code.AddRange(ends.Select(e => (Stmt)new Declare(e.End, e.Type, new Var(e.Type, e.Name))));
        List<Stmt> reverse = HoistRowInvariants(parts.Reverse, scope, code);

        string row = names.Unique("row");
        var rowVar = new Var(TypeRef.Int, row);
        Expr At(Expr offset) => new Binary(TypeRef.Int, BinaryOp.Add, new Binary(TypeRef.Int, BinaryOp.Multiply, rowVar, new Var(TypeRef.Int, n)), offset);

        var body = new List<Stmt> { new Comment("Reverse sweep for one row: the adjoint of " + output.Name + "[" + row + "] is 1, the others 0", Section: true) };
        body.AddRange(vectorResets.Distinct().Select(v => (Stmt)new ClearVector(v)));
        body.Add(new Assign(new Elem(element, outputAdjoint, rowVar), Lit(1, element)));
        body.AddRange(ends.Select(e => (Stmt)new Assign(new Var(e.Type, e.Name), new Var(e.Type, e.End))));
        // The row is cleared once (one call, not one per parameter); the vector parameters' gradients are its slices.
        if (parts.Wrt.Any(p => p.Type.IsVector))
        {
            string jacobianRow = names.Unique(jacobian + "Row");
            body.Add(new Declare(jacobianRow, jacobianType, new SliceOf(jacobianType, jacobian, new Binary(TypeRef.Int, BinaryOp.Multiply, rowVar, new Var(TypeRef.Int, n)), new Var(TypeRef.Int, n))));
            body.Add(new ClearVector(jacobianRow));
            for (int k = 0; k < parts.Wrt.Count; k++)
            {
                if (parts.Wrt[k].Type.IsVector)
                {
                    body.Add(new Declare(parts.GradientNames[k], jacobianType, new SliceOf(jacobianType, jacobianRow, offsets[k], new LengthOf(parts.Wrt[k].Name))));
                }
            }
        }

        foreach ((ParameterSpec parameter, string _, string local) in parts.ScalarGradients)
        {
            body.Add(new Declare(local, parameter.Type, Lit(0, parameter.Type)));
        }

        foreach ((string local, TypeRef type) in parts.ParameterAdjoints)
        {
            body.Add(new Declare(local, type, Lit(0, type)));
        }

        body.AddRange(reverse);
        foreach ((ParameterSpec parameter, string _, string local) in parts.ScalarGradients)
        {
            int k = parts.Wrt.ToList().IndexOf(parameter);
            body.Add(new Assign(new Elem(element, jacobian, At(offsets[k])), new Var(parameter.Type, local)));
        }

        code.Add(new Loop(
            -1,
            Block.Of(new Stmt[] { new Declare(row, TypeRef.Int, new Literal(TypeRef.Int, "0")) }),
            new Binary(TypeRef.Bool, BinaryOp.Less, rowVar, new LengthOf(output.Name)),
            Block.Of(new Stmt[] { new Assign(rowVar, new Binary(TypeRef.Int, BinaryOp.Add, rowVar, new Literal(TypeRef.Int, "1"))) }),
            Block.Of(body),
            row));
        code.AddRange(parts.Returns);
        code.Add(new Return(null));
        return code;
    }

    /// <summary>
    /// Forward values the reverse sweep recomputes (<c>double diff = 1 - cos;</c>) are the same for every row: they move
    /// before the row loop, computed once. Only declarations of real scalars the reverse never assigns again, with pure
    /// values reading nothing the reverse writes, at its top level or in branches whose condition no row changes (the
    /// branch is copied before the loop, the names declared above it).
    /// </summary>
    private static List<Stmt> HoistRowInvariants(IReadOnlyList<Stmt> reverse, AdjointScope scope, List<Stmt> before)
    {
        var writes = new Dictionary<string, int>();
        foreach (Stmt statement in IrWalk.Descendants(reverse))
        {
            Effects effects = Effects.Of(statement);
            foreach (string name in effects.Writes.Concat(effects.VectorWrites))
            {
                writes[name] = writes.TryGetValue(name, out int count) ? count + 1 : 1;
            }
        }

        var hoisted = new HashSet<string>();
        bool Invariant(Expr value) => IrWalk.IsPure(value) && IrWalk.Reads(value).All(r => !writes.ContainsKey(r) || hoisted.Contains(r));

        List<Stmt> Hoist(IEnumerable<Stmt> statements, List<Stmt> moved)
        {
            var kept = new List<Stmt>();
            foreach (Stmt statement in statements)
            {
                switch (statement)
                {
                    case Declare { Init: { } init, Type.IsRealScalar: true } declare
                        when !scope.IsAdjoint(declare.Name) && writes[declare.Name] == 1 && Invariant(init):
                        moved.Add(declare);
                        hoisted.Add(declare.Name);
                        continue;
                    case If branch when Invariant(branch.Condition):
                        var movedThen = new List<Stmt>();
                        var movedElse = new List<Stmt>();
                        Block then = Block.Of(Hoist(branch.Then.Statements, movedThen));
                        Block? otherwise = branch.Else is null ? null : Block.Of(Hoist(branch.Else.Statements, movedElse));
                        if (movedThen.Count + movedElse.Count > 0)
                        {
                            foreach (Declare declare in movedThen.Concat(movedElse).OfType<Declare>())
                            {
                                moved.Add(new Declare(declare.Name, declare.Type, Lit(0, declare.Type)));
                            }

                            moved.Add(new If(branch.Condition, Block.Of(movedThen.Select(AsAssign)), movedElse.Count > 0 ? Block.Of(movedElse.Select(AsAssign)) : null));
                        }

                        kept.Add(branch with { Then = then, Else = otherwise });
                        continue;
                }

                kept.Add(statement);
            }

            return kept;
        }

        List<Stmt> kept = Hoist(reverse, before);

        // A division by such a value (dp / z, dθ / (2θ)) becomes a product with its reciprocal, divided once per call.
        var inverses = new Dictionary<Expr, Var>();
        var declarations = new List<Stmt>();
        var products = new SharedReciprocals.Products(d =>
        {
            if (!SharedReciprocals.IsSafeDenominator(d) || !Invariant(d))
            {
                return null;
            }

            if (!inverses.TryGetValue(d, out Var? inverse))
            {
                inverse = new Var(d.Type, scope.Temp("inverse"));
                inverses[d] = inverse;
                declarations.Add(new Declare(inverse.Name, inverse.Type, new Binary(inverse.Type, BinaryOp.Divide, Lit(1, inverse.Type), d)));
            }

            return inverse;
        });
        kept = kept.Select(products.Rewrite).ToList();
        before.AddRange(declarations);
        return kept;
    }

    private static Stmt AsAssign(Stmt statement) => statement is Declare declare
        ? new Assign(new Var(declare.Type, declare.Name), declare.Init!)
        : statement;
}
