using System.Collections.Generic;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Planning;

/// <summary>
/// A local the reverse block re-creates at its start: recomputed from its initializer, or popped from the tape (a
/// vector's first Count elements when only those change). <paramref name="Slot"/>: a whole vector that every
/// execution of the block overwrites before it reads it, so the execution may write it in place on the tape.
/// </summary>
internal sealed record Provision(string Name, TypeRef Type, Expr? Recompute, Expr? Count = null, bool Slot = false);

/// <summary>
/// How a two-sweep loop runs backwards: from its own bounds (counted loops whose bounds still hold), or from a recorded
/// trip count (and start, for a counted loop whose bounds do not).
/// </summary>
internal sealed record TripPlan(CountedLoopShape? Shape, string? Trips, string? Start)
{
    public bool FromBounds => Shape is not null && Trips is null;
}

/// <summary>
/// Every decision the sweeps need, made before any code is written (nothing is rebuilt until it settles):
/// which loops and branches run forward-then-reverse in place, which adjoints run early, which writes save the value
/// they overwrite, which locals each reverse block re-creates, which branch decisions and trip counts are recorded.
/// All keyed by node identity in the prepared body.
/// </summary>
internal sealed class ReversePlan
{
    public ReversePlan(Dictionary<Stmt, List<Stmt>> localAdjoints) => LocalAdjoints = localAdjoints;

    /// <summary>Adjoint code of each primitive statement (empty when it has none).</summary>
    public Dictionary<Stmt, List<Stmt>> LocalAdjoints { get; }

    /// <summary>Blocks whose forward and reverse code share one scope: the body, and the blocks of joint statements.</summary>
    public HashSet<Block> RegionRoots { get; } = new(ReferenceComparer<Block>.Instance);

    /// <summary>Loops and branches run forward-then-reverse in place (one fused sweep).</summary>
    public HashSet<Stmt> Joint { get; } = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>
    /// Two-sweep loops whose reverse runs first to last, re-running an inactive recurrence from its value on entry (kept
    /// in the Entry local) instead of recording it (<c>Planner.ForwardOrder.cs</c>).
    /// </summary>
    public Dictionary<Loop, List<(string Variable, string Entry)>> ForwardOrder { get; } = new(ReferenceComparer<Loop>.Instance);

    /// <summary>Loops that save the first Count elements of vectors they overwrite before they run, and restore them after their reverse.</summary>
    public Dictionary<Loop, List<(string Vector, Expr Count)>> BlockSaves { get; } = new(ReferenceComparer<Loop>.Instance);

    /// <summary>Statements whose adjoint runs before a joint statement (the one named), since that one needs it.</summary>
    public Dictionary<Stmt, Stmt> EarlyBefore { get; } = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>Writes that save the value they overwrite (the reverse sweep restores it).</summary>
    public HashSet<Stmt> Saved { get; } = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>
    /// Saved writes of the form <c>k = k ± c</c> on an integer, with c a constant: the reverse sweep undoes them
    /// (<c>k = k ∓ c</c>, exact for integers) instead of recording the old value.
    /// </summary>
    public HashSet<Stmt> Inverted { get; } = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>Where a saved write keeps the old value when it runs at most once per region: a local (else the tape).</summary>
    public Dictionary<Stmt, string> SaveLocals { get; } = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>Per block inside a two-sweep loop: the locals its reverse block re-creates, in order.</summary>
    public Dictionary<Block, List<Provision>> Provisions { get; } = new(ReferenceComparer<Block>.Instance);

    /// <summary>Locals of nested blocks of a region whose declarations move to the region's start (the reverse reads them).</summary>
    public Dictionary<Block, List<(string Name, TypeRef Type)>> Hoisted { get; } = new(ReferenceComparer<Block>.Instance);

    public HashSet<string> HoistedNames { get; } = new();

    /// <summary>Branches whose decision is recorded in a local (the name); the others are evaluated again.</summary>
    public Dictionary<If, string> RecordedDecisions { get; } = new(ReferenceComparer<If>.Instance);

    public Dictionary<Loop, TripPlan> Trips { get; } = new(ReferenceComparer<Loop>.Instance);

    /// <summary>Statements with reverse work (adjoint code, a restore, or such statements inside).</summary>
    public HashSet<Stmt> HasReverse { get; } = new(ReferenceComparer<Stmt>.Instance);
}
