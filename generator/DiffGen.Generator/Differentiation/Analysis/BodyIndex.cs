using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Analysis;

/// <summary>
/// Where everything sits in one prepared body: each statement's block and position, each block's owning statement,
/// each local's declaring block and each variable's writers. Built once; keyed by node identity, so the body must not
/// share node instances (<see cref="IrRewriter.Copy"/> guarantees that).
/// </summary>
internal sealed class BodyIndex
{
    private readonly Dictionary<Stmt, (Block Block, int Index)> _position = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<Block, Stmt?> _owner = new(ReferenceComparer<Block>.Instance);
    private readonly Dictionary<string, Block> _declaredIn = new();
    private readonly Dictionary<string, Declare> _declarations = new();
    private readonly Dictionary<string, List<Stmt>> _writers = new();
    private readonly Dictionary<Stmt, Effects> _deep = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<Stmt, Effects> _own = new(ReferenceComparer<Stmt>.Instance);

    public BodyIndex(Block root)
    {
        Root = root;
        _owner[root] = null;
        Visit(root);
    }

    public Block Root { get; }

    public Block BlockOf(Stmt statement) => _position[statement].Block;

    public int IndexOf(Stmt statement) => _position[statement].Index;

    /// <summary>The If or Loop a block belongs to; null for the root.</summary>
    public Stmt? OwnerOf(Block block) => _owner[block];

    /// <summary>The block a local is declared in (a loop's Init block for its counter); null for parameters.</summary>
    public Block? DeclaringBlock(string name) => _declaredIn.TryGetValue(name, out Block? block) ? block : null;

    public Declare? DeclarationOf(string name) => _declarations.TryGetValue(name, out Declare? d) ? d : null;

    /// <summary>Statements that write the variable (declarations, assignments, calls), in body order.</summary>
    public IReadOnlyList<Stmt> WritersOf(string name) => _writers.TryGetValue(name, out List<Stmt>? list) ? list : (IReadOnlyList<Stmt>)System.Array.Empty<Stmt>();

    /// <summary>A local written only by its declaration: it holds one value wherever it is in scope.</summary>
    public bool IsSingleAssignment(string name) =>
        _declarations.TryGetValue(name, out Declare? d) && d.Init is not null && WritersOf(name).Count == 1;

    public Effects OwnEffects(Stmt statement)
    {
        if (!_own.TryGetValue(statement, out Effects? effects))
        {
            effects = Effects.Of(statement);
            _own[statement] = effects;
        }

        return effects;
    }

    public Effects DeepEffects(Stmt statement)
    {
        if (!_deep.TryGetValue(statement, out Effects? effects))
        {
            effects = Effects.Deep(statement);
            _deep[statement] = effects;
        }

        return effects;
    }

    /// <summary>The compound statements (If, Loop) enclosing a statement, innermost first.</summary>
    public IEnumerable<Stmt> Ancestors(Stmt statement)
    {
        Block block = BlockOf(statement);
        for (Stmt? owner = _owner[block]; owner is not null; owner = _owner[BlockOf(owner)])
        {
            yield return owner;
        }
    }

    /// <summary>The blocks from the statement's own block out to the root, innermost first.</summary>
    public IEnumerable<Block> EnclosingBlocks(Stmt statement)
    {
        Block block = BlockOf(statement);
        while (true)
        {
            yield return block;
            Stmt? owner = _owner[block];
            if (owner is null)
            {
                yield break;
            }

            block = BlockOf(owner);
        }
    }

    /// <summary>The statement of <paramref name="block"/> that is or holds <paramref name="statement"/>; null when it is not inside the block.</summary>
    public Stmt? TopLevelIn(Block block, Stmt statement)
    {
        Stmt current = statement;
        while (!ReferenceEquals(BlockOf(current), block))
        {
            if (_owner[BlockOf(current)] is not { } owner)
            {
                return null;
            }

            current = owner;
        }

        return current;
    }

    /// <summary>True when <paramref name="statement"/> is <paramref name="container"/> or nested inside it.</summary>
    public bool IsWithin(Stmt statement, Stmt container) =>
        ReferenceEquals(statement, container) || Ancestors(statement).Any(a => ReferenceEquals(a, container));

    /// <summary>True when the statement is inside the block (at any depth).</summary>
    public bool IsWithin(Stmt statement, Block block) => EnclosingBlocks(statement).Any(b => ReferenceEquals(b, block));

    private void Visit(Block block)
    {
        for (int i = 0; i < block.Statements.Count; i++)
        {
            Stmt statement = block.Statements[i];
            _position.Add(statement, (block, i));
            switch (statement)
            {
                case Declare d:
                    _declaredIn[d.Name] = block;
                    _declarations[d.Name] = d;
                    Writer(d.Name, d);
                    break;
                case Assign { Target: Var v } a:
                    Writer(v.Name, a);
                    break;
                case Assign { Target: Elem e } a:
                    Writer(e.Array, a);
                    break;
                case CallStmt c:
                    if (c.ResultVar is { } result)
                    {
                        _declaredIn[result] = block;
                        Writer(result, c);
                    }

                    foreach (string output in ActivityAnalysis.OutputArgs(c.Call))
                    {
                        Writer(output, c);
                    }

                    break;
            }

            foreach (Block child in IrWalk.ChildBlocks(statement))
            {
                _owner.Add(child, statement);
                Visit(child);
            }
        }
    }

    private void Writer(string name, Stmt statement)
    {
        if (!_writers.TryGetValue(name, out List<Stmt>? list))
        {
            _writers[name] = list = new List<Stmt>();
        }

        list.Add(statement);
    }
}
