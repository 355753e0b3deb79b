using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation;

/// <summary>
/// Reverse mode over structured IR. The forward sweep is the user's computation plus recording: before a value the
/// reverse sweep needs is overwritten it is pushed on a typed tape; each branch decision and loop trip count that
/// the reverse sweep must replay is recorded. The reverse sweep visits the statements backwards, popping what the
/// forward sweep pushed, so every adjoint update sees the values its statement saw.
/// </summary>
internal sealed partial class ReverseModeBuilder
{
    private readonly DifferentiableMethodSpec _spec;
    private readonly GenerationOptions _options;
    private readonly GradientSpec _gradient;
    private readonly Block _body;
    private readonly string _result;
    private readonly NameTable _baseNames;
    private readonly HashSet<string> _active;
    private readonly Dictionary<string, TypeRef> _types = new();
    private readonly Dictionary<string, int> _sites = new();
    private readonly Dictionary<string, int> _lastAssignSite = new();
    private readonly HashSet<string> _assignedInLoop = new();
    private readonly HashSet<string> _counters = new();
    private readonly HashSet<string> _elementWritten = new();
    private readonly Dictionary<string, int> _vectorWrites = new();
    private readonly HashSet<string> _vectorWrittenInLoop = new();

    // Loop-body temporaries recomputed at the start of each reverse iteration instead of taped, per loop id.
    private readonly Dictionary<int, List<Declare>> _recomputed = new();
    private readonly HashSet<string> _recomputedNames = new();

    // Per pass.
    private NameTable _names = null!;
    private ReverseContext _context = null!;
    private Dictionary<string, string> _adjoints = null!;
    private HashSet<string> _tapedScalars = new();
    private HashSet<string> _tapedElements = new();
    private HashSet<string> _snapshots = new();
    private List<Stmt> _topDeclarations = null!;
    private List<Stmt> _cleanup = null!;
    private Dictionary<ElementKind, string> _tapes = null!;
    private string? _failure;

    private ReverseModeBuilder(DifferentiableMethodSpec spec, GradientSpec gradient, GenerationOptions options)
    {
        _spec = spec;
        _options = options;
        _gradient = gradient;
        var names = new NameTable(spec.ReservedNames);
        (_body, _result) = ControlFlowNormalizer.Normalize(spec.Body, spec.ReturnType, names);
        _baseNames = names;

        foreach (ParameterSpec p in spec.Parameters)
        {
            _types[p.Name] = p.Type;
        }

        Survey(_body, inLoop: false);
        IEnumerable<string> wrt = gradient.Wrt.Select(i => spec.Parameters[i].Name);
        HashSet<string> varied = ActivityAnalysis.Varied(_body, wrt);
        HashSet<string> useful = ActivityAnalysis.Useful(_body, _result);
        _active = new HashSet<string>(varied.Where(n => useful.Contains(n) && _types.TryGetValue(n, out TypeRef? t) && t.IsReal));
        _fusedLoop = FindFusionCandidate();
    }

    public static object Build(DifferentiableMethodSpec spec, GradientSpec gradient, GenerationOptions options)
    {
        var builder = new ReverseModeBuilder(spec, gradient, options);
        return builder.Run();
    }

    private object Run()
    {
        // Pass until the taped sets are stable: what must be taped depends on what the reverse sweep reads.
        GeneratedPullback? generated = null;
        for (int pass = 0; pass < 6; pass++)
        {
            generated = Generate();
            if (_failure is not null)
            {
                return new DifferentiationFailure(_failure);
            }

            HashSet<string> reads = _context.Reads;
            var scalars = new HashSet<string>(reads.Where(n => IsScalarLocal(n) && IsMultiAssigned(n) && !_counters.Contains(n) && !_recomputedNames.Contains(n) && !(_fusedLoop >= 0 && _fusedTemporaryNames.Contains(n)) && ReadBeforeLastAssignment(n)));
            var elements = new HashSet<string>(reads.Where(n => _elementWritten.Contains(n)));
            var snapshots = new HashSet<string>(reads.Where(n => _vectorWrites.TryGetValue(n, out int c) && (c > 1 || _vectorWrittenInLoop.Contains(n))));
            if (scalars.SetEquals(_tapedScalars) && elements.SetEquals(_tapedElements) && snapshots.SetEquals(_snapshots))
            {
                return generated;
            }

            _tapedScalars.UnionWith(scalars);
            _tapedElements.UnionWith(elements);
            _snapshots.UnionWith(snapshots);
        }

        return generated!;
    }

    /// <summary>
    /// A pop restores the value before an assignment; only reverse code of a statement that comes before the
    /// variable's last assignment (top level; a loop counts as one statement) can need that. Reads after it see the
    /// final value, so <c>for (…) s += …; return Math.Log(s);</c> needs no tape for s.
    /// </summary>
    private bool ReadBeforeLastAssignment(string name) =>
        !_lastAssignSite.TryGetValue(name, out int last) || !_context.FirstReadSite.TryGetValue(name, out int read) || read <= last;

    private bool IsScalarLocal(string name) => _types.TryGetValue(name, out TypeRef? t) && t.IsScalar;

    private bool IsParameter(string name) => _spec.Parameters.Any(p => p.Name == name);

    /// <summary>Assigned more than once at run time (a parameter's incoming value counts as its first assignment).</summary>
    private bool IsMultiAssigned(string name)
    {
        int count = _sites.TryGetValue(name, out int c) ? c : 0;
        return _assignedInLoop.Contains(name) || count > 1 || (count > 0 && IsParameter(name));
    }

    /// <summary>Types, assignment sites, loop membership and counters of every variable.</summary>
    /// <param name="site">The enclosing top-level statement's index, or -1 at the top level.</param>
    private void Survey(Block block, bool inLoop, int site = -1)
    {
        for (int index = 0; index < block.Statements.Count; index++)
        {
            Stmt statement = block.Statements[index];
            int here = site >= 0 ? site : index;
            switch (statement)
            {
                case Declare d:
                    _types[d.Name] = d.Type;
                    if (d.Type.IsScalar && d.Init is not null)
                    {
                        Site(d.Name, inLoop, here);
                    }

                    break;
                case Assign { Target: Var v }:
                    Site(v.Name, inLoop, here);
                    break;
                case Assign { Target: Elem e }:
                    _elementWritten.Add(e.Array);
                    VectorWrite(e.Array, inLoop);
                    break;
                case CallStmt call:
                    if (call.ResultVar is { } r)
                    {
                        _types[r] = call.Call.ReturnType;
                        Site(r, inLoop, here);
                    }

                    foreach (string output in ActivityAnalysis.OutputArgs(call.Call))
                    {
                        VectorWrite(output, inLoop);
                    }

                    break;
                case If i:
                    Survey(i.Then, inLoop, here);
                    if (i.Else is not null)
                    {
                        Survey(i.Else, inLoop, here);
                    }

                    break;
                case Loop l:
                    if (l.Counter is not null)
                    {
                        _counters.Add(l.Counter);
                    }

                    Survey(l.Init, inLoop, here);
                    FindRecomputable(l);
                    Survey(l.Body, true, here);
                    Survey(l.Update, true, here);
                    break;
            }
        }
    }

    /// <summary>
    /// A temporary declared at the top of a loop body, assigned only there, from values the loop never writes (or
    /// from earlier such temporaries), can be recomputed at the start of each reverse iteration: no tape needed.
    /// </summary>
    private void FindRecomputable(Loop loop)
    {
        var written = new HashSet<string>();
        var candidates = new List<Declare>();
        foreach (Stmt statement in IrWalk.Descendants(loop.Body).Concat(IrWalk.Descendants(loop.Update)))
        {
            switch (statement)
            {
                case Declare d when d.Type.IsScalar && d.Init is not null && loop.Body.Statements.Contains(statement):
                    candidates.Add(d);
                    break;
                case Declare d:
                    written.Add(d.Name);
                    break;
                case Assign a:
                    written.Add(ActivityAnalysis.TargetName(a.Target));
                    break;
                case CallStmt c:
                    if (c.ResultVar is not null)
                    {
                        written.Add(c.ResultVar);
                    }

                    written.UnionWith(ActivityAnalysis.OutputArgs(c.Call));
                    break;
            }
        }

        // A counted loop's counter is recomputed first in each reverse iteration.
        if (loop.Counter is not null)
        {
            written.Remove(loop.Counter);
        }

        var assignedElsewhere = new HashSet<string>(written);
        var accepted = new List<Declare>();
        var acceptedNames = new HashSet<string>();
        foreach (Declare candidate in candidates)
        {
            var reads = new HashSet<string>();
            IrWalk.CollectReads(candidate.Init!, reads);
            bool onlyEarlier = reads.All(r => !candidates.Any(c => c.Name == r) || acceptedNames.Contains(r));
            if (!assignedElsewhere.Contains(candidate.Name) && !reads.Overlaps(written) && onlyEarlier && !reads.Contains(candidate.Name))
            {
                accepted.Add(candidate);
                acceptedNames.Add(candidate.Name);
            }
            else
            {
                written.Add(candidate.Name);
            }
        }

        if (accepted.Count > 0)
        {
            _recomputed[loop.Id] = accepted;
            _recomputedNames.UnionWith(acceptedNames);
        }
    }

    /// <summary>Recomputations of the loop's temporaries that the reverse body reads (in declaration order).</summary>
    private List<Stmt> Recomputations(Loop loop)
    {
        var statements = new List<Stmt>();
        if (_recomputed.TryGetValue(loop.Id, out List<Declare>? declares))
        {
            // Later temporaries may need earlier ones: include those too.
            var needed = new HashSet<string>(_context.Reads);
            for (int i = declares.Count - 1; i >= 0; i--)
            {
                if (needed.Contains(declares[i].Name))
                {
                    IrWalk.CollectReads(declares[i].Init!, needed);
                }
            }

            foreach (Declare d in declares)
            {
                if (needed.Contains(d.Name))
                {
                    statements.Add(new Assign(new Var(d.Type, d.Name), d.Init!));
                    _context.RecordReads(d.Init!);
                }
            }
        }

        return statements;
    }

    private void Site(string name, bool inLoop, int site)
    {
        _sites[name] = _sites.TryGetValue(name, out int c) ? c + 1 : 1;
        _lastAssignSite[name] = _lastAssignSite.TryGetValue(name, out int last) && last > site ? last : site;
        if (inLoop)
        {
            _assignedInLoop.Add(name);
        }
    }

    private void VectorWrite(string name, bool inLoop)
    {
        _vectorWrites[name] = _vectorWrites.TryGetValue(name, out int c) ? c + 1 : 1;
        if (inLoop)
        {
            _vectorWrittenInLoop.Add(name);
        }
    }
}
