using System.Collections.Generic;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emission;

/// <summary>
/// SIMD lowering of reverse loops. A reverse loop whose every statement is an elementwise accumulation
/// <c>dA[i] += g</c> or <c>dA[i] += g * B[i]</c> (g loop-invariant, i the loop counter) has independent iterations:
/// it becomes one <c>TensorPrimitives</c> call per statement over the slice [start, start + trips), which picks
/// Vector512/256/128 at run time and handles the tail. This is the fused adjoint of loops like <c>s += w[i] * x[i]</c>.
/// </summary>
internal static class VectorLowering
{
    private const string Tensor = "global::System.Numerics.Tensors.TensorPrimitives";

    public static List<Stmt>? TryLower(List<Stmt> body, string counter, Var start, Var trips)
    {
        if (body.Count == 0)
        {
            return null;
        }

        var calls = new List<Stmt>();
        foreach (Stmt statement in body)
        {
            if (statement is not Assign { Kind: AssignKind.Add or AssignKind.Subtract, Target: Elem { Index: Var index } target } assign
                || index.Name != counter || !target.Type.IsReal)
            {
                return null;
            }

            string element = target.Type.ElementKeyword;
            string destination = $"{target.Array}.Slice({start.Name}, {trips.Name})";
            bool subtract = assign.Kind == AssignKind.Subtract;
            switch (assign.Value)
            {
                case Expr g when IsInvariantScalar(g, counter):
                    calls.Add(new RawStmt($"{Tensor}.{(subtract ? "Subtract" : "Add")}({destination}, {Print(g)}, {destination});"));
                    break;
                case Binary { Op: BinaryOp.Multiply } product when TrySplit(product, counter, target.Type, out Expr? factor, out string? vector):
                    string scale = subtract ? "-" + Wrap(factor!) : Print(factor!);
                    calls.Add(new RawStmt($"{Tensor}.MultiplyAdd(((global::System.ReadOnlySpan<{element}>){vector}).Slice({start.Name}, {trips.Name}), {scale}, {destination}, {destination});"));
                    break;
                default:
                    return null;
            }
        }

        return calls;
    }

    private static bool TrySplit(Binary product, string counter, TypeRef type, out Expr? factor, out string? vector)
    {
        factor = null;
        vector = null;
        if (product.Left is Elem { Index: Var li } left && li.Name == counter && left.Type == type && IsInvariantScalar(product.Right, counter))
        {
            (factor, vector) = (product.Right, left.Array);
            return true;
        }

        if (product.Right is Elem { Index: Var ri } right && ri.Name == counter && right.Type == type && IsInvariantScalar(product.Left, counter))
        {
            (factor, vector) = (product.Left, right.Array);
            return true;
        }

        return false;
    }

    /// <summary>A scalar variable or literal other than the counter: the reverse body writes only vector elements.</summary>
    private static bool IsInvariantScalar(Expr e, string counter) =>
        e is Literal { Type.IsRealScalar: true } || (e is Var { Type.IsRealScalar: true } v && v.Name != counter);

    private static string Print(Expr e) => ExprPrinter.Print(e);

    private static string Wrap(Expr e) => e is Literal or Var ? Print(e) : "(" + Print(e) + ")";
}
