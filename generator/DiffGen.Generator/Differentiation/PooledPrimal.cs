using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Cleanup;
using DiffGen.Generator.Differentiation.Preparation;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Differentiation;

/// <summary>
/// The method itself with its scratch pooled (<c>Derivatives.PooledPrimal</c>): the body with one return at the end,
/// then <see cref="PooledScratch"/> as in the generated gradients. No derivative: only the allocation changes.
/// </summary>
internal static class PooledPrimal
{
    public static List<Stmt> Build(DifferentiableMethodSpec spec)
    {
        var names = new NameTable(spec.ReservedNames);
        (Block body, string result) = ControlFlowNormalizer.Normalize(spec.Body, spec.ReturnType, names);
        var code = body.Statements.ToList();
        code.Add(new Return(spec.IsVectorValued || result.Length == 0 ? null : new Var(spec.ReturnType, result)));
        return PooledScratch.Apply(code, names);
    }
}
