using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Preparation;

/// <summary>
/// Gives every loop one of two forms: counted (<see cref="CountedLoopShape"/>: the counter is named and stays in the
/// header) or general, whose init statements move in front of the loop so that its variables are ordinary locals of
/// the enclosing block (the reverse sweep may need them after the loop).
/// </summary>
internal sealed class LoopPreparation : IrRewriter
{
    public static Block Apply(Block body) => new LoopPreparation().RewriteBlock(body);

    protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements)
    {
        foreach (Stmt statement in statements)
        {
            if (statement is not Loop loop)
            {
                yield return Rewrite(statement);
                continue;
            }

            var rewritten = (Loop)Rewrite(loop);
            CountedLoopShape? shape = CountedLoopShape.Of(rewritten);
            if (shape is not null)
            {
                yield return rewritten with { Counter = shape.Counter };
                continue;
            }

            foreach (Stmt init in rewritten.Init.Statements)
            {
                yield return init;
            }

            yield return rewritten with { Init = Block.Empty with { }, Counter = null };
        }
    }
}
