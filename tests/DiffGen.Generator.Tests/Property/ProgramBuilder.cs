using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DiffGen.Generator.Tests.Property;

/// <summary>How a generated method is called: <c>(vector, double)</c> or <c>(double, double)</c>.</summary>
internal enum ProgramShape
{
    VectorScalar,
    TwoScalars,
}

/// <summary>One generated [Differentiable] method: its name, shape, source text and the seed that built it.</summary>
internal sealed record GeneratedProgram(string Name, ProgramShape Shape, string VectorType, string Source, ulong Seed, bool IsHelper)
{
    /// <summary>The constructs the program uses (for the coverage summary).</summary>
    public IReadOnlyCollection<string> Features { get; init; } = Array.Empty<string>();

    /// <summary>True when the method also generates a Hessian-vector product (it calls no helper: second order through calls is not generated).</summary>
    public bool HasHessianVectorProduct { get; init; }
}

/// <summary>A small deterministic PRNG (SplitMix64): the same seed builds the same program on every runtime.</summary>
internal sealed class SplitMix
{
    private ulong _state;

    public SplitMix(ulong seed) => _state = seed;

    public ulong NextULong()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n).</summary>
    public int Next(int n) => (int)(NextULong() % (ulong)n);

    public bool Chance(double p) => NextDouble() < p;

    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}

/// <summary>
/// Builds random C# [Differentiable] methods over the supported subset, recursively and deterministically from a seed.
/// Every method is warning-free C#: declarations are never initialised with constants (CS0219), assignments never
/// assign a variable to itself (CS1717), conditions are never constant (CS0162), local functions are always called
/// (CS8321), and break/continue/return only appear under a non-constant <c>if</c>, so no code is unreachable.
/// Smooth-domain rules: Log/Sqrt/Pow/division only see 1 + e·e (or 2 + sin e) arguments; Asin/Acos only see
/// 0.5·tanh e.
/// </summary>
internal sealed class ProgramBuilder
{
    private const int MaxExprDepth = 3;
    private static readonly string[] Literals = { "0.5", "1.5", "2.0", "0.25", "3.0", "0.75", "1.25" };

    private readonly SplitMix _r;
    private readonly SplitMix _window;
    private readonly SplitMix _scratch;
    private readonly SplitMix _slots;
    private readonly StringBuilder _sb = new();
    private readonly List<List<Local>> _scopes = new();
    private readonly IReadOnlyList<HelperRef> _helpers;
    private readonly List<LocalFunctionRef> _localFunctions = new();
    private readonly SortedSet<string> _features = new(StringComparer.Ordinal);
    private int _indent;
    private int _nextName;
    private int _statementBudget;

    // Context of the statement being built.
    private string? _vector; // name of the vector parameter (null: two-scalar shape)
    private string _vectorType = string.Empty;
    private readonly List<string> _scalarParams = new();
    private int _loopDepth;
    private int _blockDepth;
    private bool _inLocalFunction;

    private ProgramBuilder(ulong seed, IReadOnlyList<HelperRef> helpers)
    {
        _r = new SplitMix(seed);
        _window = new SplitMix(seed ^ 0x57494E444F57UL);
        _scratch = new SplitMix(seed ^ 0x53435241544348UL);
        _slots = new SplitMix(seed ^ 0x534C4F5453UL);
        _helpers = helpers;
    }

    /// <summary>A helper method a program may call.</summary>
    internal sealed record HelperRef(string Name, ProgramShape Shape, string VectorType);

    private sealed class Local
    {
        public Local(string name, LocalKind kind, bool writable, string? index = null)
        {
            Name = name;
            Kind = kind;
            Writable = writable;
            Index = index;
        }

        public string Name { get; }

        public LocalKind Kind { get; }

        public bool Writable { get; }

        /// <summary>For ints: an index expression known to be in [0, vector length).</summary>
        public string? Index { get; }

        /// <summary>For vectors: "double[]" or "Span&lt;double&gt;".</summary>
        public string? VectorType { get; init; }
    }

    private enum LocalKind
    {
        Real,
        Int,
        Vector,
    }

    private sealed record LocalFunctionRef(string Name, int Arity)
    {
        public bool Used { get; set; }
    }

    /// <summary>Expression context: calls may not be extracted from ?: branches, loop conditions or the right of &amp;&amp;.</summary>
    private readonly record struct ExprContext(bool AllowCalls);

    public static GeneratedProgram Build(string name, ulong seed, bool isHelper, IReadOnlyList<HelperRef> helpers)
    {
        var builder = new ProgramBuilder(seed, helpers);
        return builder.BuildMethod(name, seed, isHelper);
    }

    private GeneratedProgram BuildMethod(string name, ulong seed, bool isHelper)
    {
        ProgramShape shape = isHelper && _r.Chance(0.35) ? ProgramShape.TwoScalars : ProgramShape.VectorScalar;
        string vectorType = _r.Chance(0.65) ? "double[]" : "ReadOnlySpan<double>";
        string parameters;
        if (shape == ProgramShape.VectorScalar)
        {
            _vector = "x";
            _vectorType = vectorType;
            _scalarParams.Add("a");
            parameters = vectorType + " x, double a";
        }
        else
        {
            _scalarParams.Add("u");
            _scalarParams.Add("w");
            parameters = "double u, double w";
            vectorType = string.Empty;
        }

        _statementBudget = isHelper ? 3 + _r.Next(4) : 5 + _r.Next(10);
        Line("[Differentiable]");
        Line($"public static double {name}({parameters})");
        Open();

        // Local functions first (C# lets them be declared anywhere; they see only the parameters and their own locals).
        int localFunctions = isHelper ? (_r.Chance(0.2) ? 1 : 0) : (_r.Chance(0.5) ? 1 + _r.Next(2) : 0);
        for (int i = 0; i < localFunctions; i++)
        {
            BuildLocalFunction();
            Line(string.Empty);
        }

        // Local vectors are declared at the top level (the generator's documented rule).
        if (_vector is not null)
        {
            int vectors = _r.Chance(0.45) ? 1 + _r.Next(2) : 0;
            for (int i = 0; i < vectors; i++)
            {
                DeclareVector(fill: _r.Chance(0.7));
            }
        }

        string acc = Fresh("s");
        Line($"double {acc} = {NonConstant(Real(_r.Next(3), new ExprContext(AllowCalls: true)))};");
        Declare(new Local(acc, LocalKind.Real, writable: true));
        BuildStatements(_statementBudget);

        // Sometimes a vector is declared later, still at the top level (after loops, branches and early returns).
        if (_vector is not null && _r.Chance(0.3))
        {
            _features.Add("local vector declared after other statements");
            DeclareVector(fill: true);
            _statementBudget = 1 + _r.Next(2);
            BuildStatements(_statementBudget);
        }

        // Every local function is called at least once (CS8321).
        foreach (LocalFunctionRef f in _localFunctions.Where(f => !f.Used))
        {
            Line($"{acc} += {CallLocalFunction(f, new ExprContext(true), 1)};");
        }

        // Sometimes a sliding window (a convolution), drawn from a stream of its own so that the other draws, and the
        // programs of the batches kept as regressions, stay as they were.
        if (_vector is not null && _window.Chance(0.3))
        {
            WindowLoop(acc);
        }

        // Sometimes a loop that creates a scratch vector in each iteration, fills, clears and reads it (a third stream).
        if (_vector is not null && !isHelper && _scratch.Chance(0.3))
        {
            ScratchInLoop(acc);
        }

        // Sometimes scratch that each iteration of a two-sweep loop overwrites before reading it (a fourth stream).
        if (_vector is not null && !isHelper && _slots.Chance(0.3))
        {
            ScratchPerIteration(acc);
        }

        // Sometimes a last loop that only accumulates (the shape the generator runs as one fused sweep).
        string? accumulated = _vector is not null && _r.Chance(0.5) ? AccumulationLoop() : null;
        string final = FinalExpression(acc);
        Line(accumulated is null ? $"return {final};" : $"return {final} + {(_r.Chance(0.7) ? _r.Pick(Literals) : _r.Pick(_scalarParams))} * {accumulated};");
        Close();
        // Every method also generates its pushforward; one that calls no helper its Hessian-vector product too.
        string source = _sb.ToString();
        bool secondOrder = !isHelper && !System.Text.RegularExpressions.Regex.IsMatch(source, @"\bH\d+\(");
        string forms = "Derivatives.Reverse | Derivatives.Forward" + (secondOrder ? " | Derivatives.HessianVectorProduct" : string.Empty);
        int attribute = source.IndexOf("[Differentiable]", StringComparison.Ordinal);
        source = source.Substring(0, attribute) + "[Differentiable(Generate = " + forms + ")]" + source.Substring(attribute + "[Differentiable]".Length);
        return new GeneratedProgram(name, shape, vectorType, source, seed, isHelper) { Features = _features, HasHessianVectorProduct = secondOrder };
    }

    /// <summary>
    /// <c>double q = 0; for (…) { double e = …; [if (…) { q += …; } else { q -= …; }] q += …; }</c>: temporaries and
    /// accumulations only, no calls, with q read nowhere in the loop. Returns q (declared only after the loop, so that no
    /// later expression inside it reads q).
    /// </summary>
    private string AccumulationLoop()
    {
        string q = Fresh("q");
        Line($"double {q} = 0;");
        string i = Fresh("i");
        bool pairs = _r.Chance(0.3);
        Line(pairs ? $"for (int {i} = 0; {i} + 1 < {_vector}.Length; {i} += 2)" : $"for (int {i} = 0; {i} < {_vector}.Length; {i}++)");
        Open();
        PushScope();
        Declare(new Local(i, LocalKind.Int, writable: false, index: i));
        _loopDepth++;
        var context = new ExprContext(AllowCalls: false);
        var temporaries = new List<string>();
        if (pairs)
        {
            string next = Fresh("e");
            Line($"double {next} = {_vector}[{i} + 1];");
            Declare(new Local(next, LocalKind.Real, writable: false));
            temporaries.Add(next);
        }

        for (int k = _r.Next(3); k > 0; k--)
        {
            string e = Fresh("e");
            Line($"double {e} = {NonConstant(Real(1 + _r.Next(2), context))};");
            Declare(new Local(e, LocalKind.Real, writable: false));
            temporaries.Add(e);
        }

        // Loop nests as people write them: a pair loop accumulating into q, or a loop-local accumulator filled by an
        // inner loop (a dot product) and then used.
        switch (_r.Next(4))
        {
            case 0:
                {
                    string j = Fresh("j");
                    Line(_r.Chance(0.5) ? $"for (int {j} = {i} + 1; {j} < {_vector}.Length; {j}++)" : $"for (int {j} = 0; {j} < {i}; {j}++)");
                    Open();
                    PushScope();
                    Declare(new Local(j, LocalKind.Int, writable: false, index: j));
                    string e = Fresh("e");
                    Line($"double {e} = {_vector}[{i}] - {_vector}[{j}];");
                    Declare(new Local(e, LocalKind.Real, writable: false));
                    Line($"{q} += {Real(1 + _r.Next(2), context, prefer: e)} * {e};");
                    PopScope();
                    Close();
                    Feature("pair loop");
                    break;
                }

            case 1:
                {
                    string a = Fresh("a");
                    Line($"double {a} = {NonConstant(Real(1, context))};");
                    string j = Fresh("j");

                    // Sometimes over a triangle (j < i: a range that differs per row), drawn from the second stream.
                    bool triangle = _window.Chance(0.3);
                    Line($"for (int {j} = 0; {j} < {(triangle ? i : _vector + ".Length")}; {j}++)");
                    if (triangle)
                    {
                        Feature("loop-local accumulator over a triangle");
                    }

                    Open();
                    PushScope();
                    Declare(new Local(j, LocalKind.Int, writable: false, index: j));
                    // Often a dot product with a value fixed for the inner loop (its adjoint is an axpy).
                    string factor = _r.Chance(0.6) ? (temporaries.Count > 0 && _r.Chance(0.5) ? _r.Pick(temporaries) : _r.Pick(_scalarParams)) : Real(1, context);
                    Line($"{a} += {_vector}[{j}] * {factor};");
                    PopScope();
                    Close();
                    Declare(new Local(a, LocalKind.Real, writable: false));
                    string h = Fresh("e");
                    Line($"double {h} = Math.Tanh({a});");
                    Declare(new Local(h, LocalKind.Real, writable: false));
                    temporaries.Add(h);
                    Feature("loop-local accumulator");
                    break;
                }

            case 2:
                {
                    // A series with a running power that does not depend on the inputs (p *= t of a polynomial).
                    string a = Fresh("a");
                    string p = Fresh("p");
                    Line($"double {a} = 0;");
                    Line($"double {p} = 1;");
                    string j = Fresh("j");
                    Line($"for (int {j} = 0; {j} < {_vector}.Length; {j}++)");
                    Open();
                    PushScope();
                    Declare(new Local(j, LocalKind.Int, writable: false, index: j));
                    Line($"{a} += {_vector}[{j}] * {p};");
                    Line(_r.Chance(0.5) ? $"{p} *= {(0.5 + _r.Next(5) * 0.25).ToString("0.00", CultureInfo.InvariantCulture)};" : $"{p} = {p} * 0.75 + 0.125 * ({j} % 3);");
                    PopScope();
                    Close();
                    Declare(new Local(a, LocalKind.Real, writable: false));
                    string h = Fresh("e");
                    Line($"double {h} = Math.Sin({a});");
                    Declare(new Local(h, LocalKind.Real, writable: false));
                    temporaries.Add(h);
                    Feature("running power");
                    break;
                }
        }

        if (_r.Chance(0.5))
        {
            Line($"if ({Condition(context)})");
            Open();
            PushScope();
            if (_r.Chance(0.4))
            {
                string e = Fresh("e");
                Line($"double {e} = {NonConstant(Real(1 + _r.Next(2), context))};");
                Declare(new Local(e, LocalKind.Real, writable: false));
                Line($"{q} += {Real(1 + _r.Next(2), context)} * {e};");
            }
            else
            {
                Line($"{q} += {Real(1 + _r.Next(2), context)};");
            }

            PopScope();
            Close();
            if (_r.Chance(0.6))
            {
                Line("else");
                Open();
                Line($"{q} -= {Real(1 + _r.Next(2), context)};");
                Close();
            }

            Feature("accumulation loop with a branch");
        }

        // Every temporary feeds the sum (an unread one would be CS0219 in the user's code, or dead).
        string used = string.Concat(temporaries.Select(t => " + 0.5 * " + t));
        Line($"{q} {(_r.Chance(0.7) ? "+=" : "-=")} {Real(1 + _r.Next(2), context)}{used};");
        _loopDepth--;
        PopScope();
        Close();
        Feature("accumulation loop");
        return q;
    }

    /// <summary>
    /// <c>double q = 0; for (int i = 0; i &lt; x.Length - w + 1; i++) { double a = …; for (int j = 0; j &lt; w; j++) a += x[i + j] * f; q += g(a) * …; }
    /// acc += c * q;</c>: a valid 1-D convolution of x with a kernel f (literal taps, x itself, or a parameter), then
    /// an activation. The shape whose gradient additions run a block of outputs at a time.
    /// </summary>
    private void WindowLoop(string acc)
    {
        SplitMix r = _window;
        int width = 1 + r.Next(3);
        string q = Fresh("q");
        string i = Fresh("i");
        string a = Fresh("a");
        string j = Fresh("j");
        string h = Fresh("e");
        string vector = _vector!;
        Line($"double {q} = 0;");
        Line($"for (int {i} = 0; {i} < {vector}.Length - {width - 1}; {i}++)");
        Open();
        Line(r.Chance(0.5) ? $"double {a} = 0;" : $"double {a} = {vector}[{i}] * 0.25;");
        Line($"for (int {j} = 0; {j} < {width}; {j}++)");
        Open();
        string tap = r.Next(4) switch
        {
            0 => $"({j} + 1) * 0.25",
            1 => $"{vector}[{j}]",
            2 => _scalarParams[0],
            _ => $"{vector}[{width - 1} - {j}]",
        };
        Line(r.Chance(0.5) ? $"{a} += {vector}[{i} + {j}] * {tap};" : $"{a} += {tap} * {vector}[{i} + {j}];");
        Close();
        Line(r.Next(3) switch
        {
            0 => $"double {h} = Math.Tanh({a});",
            1 => $"double {h} = {a} * {a};",
            _ => $"double {h} = Math.Sin({a}) - {vector}[{i}];",
        });
        Line(r.Chance(0.5) ? $"{q} += {h} * {h};" : $"{q} {(r.Chance(0.5) ? "+=" : "-=")} {h} * {_scalarParams[0]};");
        Close();
        Line($"{acc} += 0.5 * {q};");
        Feature("sliding window");
    }

    /// <summary>
    /// <c>for (…) { double[] t = new double[x.Length]; t[k] = f(x[k]) …; Array.Fill / span Fill / Array.Clear; q += t[0] * t[^1]; }</c>:
    /// a vector created in a loop (made once at the top and zeroed there), filled and cleared as the framework does.
    /// </summary>
    private void ScratchInLoop(string acc)
    {
        SplitMix r = _scratch;
        string q = Fresh("q");
        string i = Fresh("i");
        string t = Fresh("t");
        string k = Fresh("k");
        string vector = _vector!;
        Line($"double {q} = 0;");
        Line($"for (int {i} = 0; {i} < {1 + r.Next(3)}; {i}++)");
        Open();
        Line($"double[] {t} = new double[{vector}.Length];");
        Line($"for (int {k} = 0; {k} < {t}.Length; {k}++)");
        Open();
        Line(r.Next(3) switch
        {
            0 => $"{t}[{k}] = {vector}[{k}] * ({i} + 1) * 0.5;",
            1 => $"{t}[{k}] = Math.Sin({vector}[{k}]) + {_scalarParams[0]};",
            _ => $"{t}[{k}] = {vector}[{k}] * {vector}[{k}];",
        });
        Close();
        Line($"{q} += {t}[0] * {t}[^1];");
        switch (r.Next(4))
        {
            case 0:
                Line($"Array.Fill({t}, {vector}[0] * 0.5);");
                break;
            case 1:
                Line($"{t}.AsSpan().Fill({_scalarParams[0]});");
                break;
            case 2:
                Line($"Array.Clear({t});");
                break;
            default:
                Line($"Array.Clear({t}, 0, 1);");
                break;
        }

        Line($"{q} += {t}[0] - {t}[^1] * 0.25;");
        Close();
        Line($"{acc} += 0.5 * {q};");
        Feature("vector created in a loop");
    }

    /// <summary>
    /// <c>Span&lt;double&gt; s = …; for (…) { for (k…) s[k] = f(x[k], r); q = Σ g(s[k]); r = sin(r) + q/4; }</c>: scratch each
    /// iteration of a loop with a nonlinear recurrence (two sweeps) overwrites whole before reading it — written in
    /// place on slots of a tape of its own — and sometimes read again after the loop (which keeps the copies instead).
    /// </summary>
    private void ScratchPerIteration(string acc)
    {
        SplitMix r = _slots;
        string sc = Fresh("sc");
        string rr = Fresh("r");
        string i = Fresh("i");
        string k = Fresh("k");
        string q = Fresh("q");
        string k2 = Fresh("k");
        string vector = _vector!;
        Line(r.Chance(0.5) ? $"Span<double> {sc} = stackalloc double[{vector}.Length];" : $"double[] {sc} = new double[{vector}.Length];");
        Line($"double {rr} = {_scalarParams[0]} * 0.5;");
        Line($"for (int {i} = 0; {i} < {1 + r.Next(3)}; {i}++)");
        Open();
        Line($"for (int {k} = 0; {k} < {sc}.Length; {k}++)");
        Open();
        Line(r.Next(3) switch
        {
            0 => $"{sc}[{k}] = {vector}[{k}] - {rr} * 0.5;",
            1 => $"{sc}[{k}] = Math.Sin({vector}[{k}] + {rr}) * ({i} + 1);",
            _ => $"{sc}[{k}] = {vector}[{k}] * {rr} + {_scalarParams[0]};",
        });
        Close();
        Line($"double {q} = 0;");
        Line($"for (int {k2} = 0; {k2} < {sc}.Length; {k2}++)");
        Open();
        Line(r.Chance(0.5) ? $"{q} += {sc}[{k2}] * {sc}[{k2}];" : $"{q} += Math.Cos({sc}[{k2}]) * {sc}[{k2}];");
        Close();
        Line($"{rr} = Math.Sin({rr}) + 0.25 * {q};");
        Close();
        if (r.Chance(0.25))
        {
            Line($"{rr} += {sc}[0] * 0.5;"); // read after the loop: the copies stay
        }

        Line($"{acc} += {rr};");
        Feature("scratch overwritten per iteration of a two-sweep loop");
    }

    private void DeclareVector(bool fill)
    {
        string t = Fresh("t");
        bool stack = _r.Chance(0.4);
        string type = stack ? "Span<double>" : "double[]";
        Line(stack ? $"Span<double> {t} = stackalloc double[{_vector}.Length];" : $"double[] {t} = new double[{_vector}.Length];");
        Declare(new Local(t, LocalKind.Vector, writable: true) { VectorType = type });
        _features.Add(stack ? "local stackalloc span" : "local array");
        if (fill)
        {
            FillVector(t);
        }
    }

    private void FillVector(string t)
    {
        string i = Fresh("i");
        Line($"for (int {i} = 0; {i} < {_vector}.Length; {i}++)");
        Open();
        PushScope();
        Declare(new Local(i, LocalKind.Int, writable: false, index: i));
        _loopDepth++;
        Line($"{t}[{i}] = {Real(1 + _r.Next(2), new ExprContext(true))};");
        _loopDepth--;
        PopScope();
        Close();
    }

    private void BuildLocalFunction()
    {
        string name = "F" + _nextName++;
        int arity = 1 + _r.Next(2);
        var parameters = Enumerable.Range(0, arity).Select(_ => Fresh("p")).ToList();
        Line($"double {name}({string.Join(", ", parameters.Select(p => "double " + p))})");
        Open();
        bool savedInLocal = _inLocalFunction;
        string? savedVector = _vector;

        // A local function cannot capture a ref-like parameter (CS9108): only arrays are visible inside.
        if (_vectorType != "double[]")
        {
            _vector = null;
        }

        List<List<Local>> savedScopes = new(_scopes);
        _scopes.Clear();
        _inLocalFunction = true;
        PushScope();
        foreach (string p in parameters)
        {
            Declare(new Local(p, LocalKind.Real, writable: true));
        }

        string r = Fresh("r");
        Line($"double {r} = {NonConstant(Real(1 + _r.Next(2), new ExprContext(true)))};");
        Declare(new Local(r, LocalKind.Real, writable: true));
        BuildStatements(1 + _r.Next(3));
        Line($"return {NonConstant(Real(1 + _r.Next(2), new ExprContext(true)))};");
        PopScope();
        _scopes.Clear();
        _scopes.AddRange(savedScopes);
        _inLocalFunction = savedInLocal;
        _vector = savedVector;
        Close();
        _localFunctions.Add(new LocalFunctionRef(name, arity));
        _features.Add("local function");
    }

    private string FinalExpression(string acc)
    {
        var reals = Visible(LocalKind.Real).Select(l => l.Name).Where(n => n != acc).ToList();
        string e = acc;
        foreach (string name in reals.Where(_ => _r.Chance(0.5)))
        {
            e = $"{e} + {(_r.Chance(0.5) ? name : $"Math.Sin({name})")}";
        }

        foreach (Local t in Visible(LocalKind.Vector).Where(_ => _r.Chance(0.6)))
        {
            e = $"{e} + 0.5 * {t.Name}[{_r.Next(3)}]";
        }

        if (_r.Chance(0.5))
        {
            e = $"{e} * {Real(1, new ExprContext(true))}";
        }

        return e;
    }

    private void BuildStatements(int budget)
    {
        int count = Math.Max(1, budget);
        for (int i = 0; i < count && _statementBudget > 0; i++)
        {
            _statementBudget--;
            BuildStatement();
        }
    }

    private void BuildStatement()
    {
        bool canNest = _blockDepth < 3;
        var choices = new List<(int Weight, Action Build)>
        {
            (4, DeclareLocal),
            (5, AssignLocal),
            (4, CompoundAssign),
            (1, IncrementLocal),
        };
        if (canNest)
        {
            choices.Add((3, IfElse));
            if (_vector is not null)
            {
                choices.Add((4, ForLoop));
                choices.Add((1, ForEachLoop));
            }

            choices.Add((2, WhileLoop));
        }

        if (Visible(LocalKind.Vector).Any())
        {
            choices.Add((3, WriteElement));
        }

        if (_loopDepth > 0)
        {
            choices.Add((2, BreakOrContinue));
        }

        if (!_inLocalFunction && _blockDepth > 0)
        {
            choices.Add((1, EarlyReturn));
        }

        int total = choices.Sum(c => c.Weight);
        int pick = _r.Next(total);
        foreach (var (weight, build) in choices)
        {
            if (pick < weight)
            {
                build();
                return;
            }

            pick -= weight;
        }
    }

    private void DeclareLocal()
    {
        string v = Fresh("v");
        string init = _r.Chance(0.25) && CanCall() ? CallHelper(new ExprContext(true), 1) : NonConstant(Real(1 + _r.Next(MaxExprDepth), new ExprContext(true)));
        Line($"double {v} = {init};");
        Declare(new Local(v, LocalKind.Real, writable: true));
    }

    private void AssignLocal()
    {
        Local? target = PickWritableReal();
        if (target is null)
        {
            DeclareLocal();
            return;
        }

        string value = Real(1 + _r.Next(MaxExprDepth), new ExprContext(true), prefer: target.Name);
        if (value == target.Name)
        {
            value = $"-{value}";
        }

        Line($"{target.Name} = {value};");
        Feature(_loopDepth > 0 ? "reassignment in a loop" : "reassignment");
    }

    private void CompoundAssign()
    {
        Local? target = PickWritableReal();
        if (target is null)
        {
            DeclareLocal();
            return;
        }

        string e = Real(_r.Next(MaxExprDepth), new ExprContext(true));
        Feature(_loopDepth > 0 ? "compound assignment in a loop" : "compound assignment");
        switch (_r.Next(4))
        {
            case 0:
                Line($"{target.Name} += {e};");
                break;
            case 1:
                Line($"{target.Name} -= {e};");
                break;
            case 2:
                Line($"{target.Name} *= {Squash(e)};");
                break;
            default:
                Line($"{target.Name} /= {Positive(e)};");
                break;
        }
    }

    private void IncrementLocal()
    {
        Local? target = PickWritableReal();
        if (target is null)
        {
            DeclareLocal();
            return;
        }

        Line(_r.Chance(0.5) ? $"{target.Name}++;" : $"{target.Name}--;");
        Feature("++/--");
    }

    private void WriteElement()
    {
        Local t = _r.Pick(Visible(LocalKind.Vector).ToList());
        Feature("vector element write");
        string index = Index();
        string e = Real(1 + _r.Next(2), new ExprContext(true));
        switch (_r.Next(3))
        {
            case 0:
                Line($"{t.Name}[{index}] = {e};");
                break;
            case 1:
                Line($"{t.Name}[{index}] += {e};");
                break;
            default:
                Line($"{t.Name}[{index}] *= {Squash(e)};");
                break;
        }
    }

    private void IfElse()
    {
        Line($"if ({Condition(new ExprContext(true))})");
        Feature("if");
        Block(() => BuildStatements(1 + _r.Next(3)));
        if (_r.Chance(0.6))
        {
            Line("else");
            Feature("else");
            Block(() => BuildStatements(1 + _r.Next(2)));
        }
    }

    private void ForLoop()
    {
        string i = Fresh("i");
        string? outer = _r.Chance(0.4) ? Visible(LocalKind.Int).Where(l => l.Index == l.Name).Select(l => l.Name).LastOrDefault() : null;
        string header = outer is not null && _r.Chance(0.6)
            ? $"for (int {i} = 0; {i} < {outer}; {i}++)"
            : _r.Next(4) switch
            {
                0 => $"for (int {i} = {_vector}.Length - 1; {i} >= 0; {i}--)",
                1 => $"for (int {i} = 0; {i} < {_vector}.Length; {i} += 2)",
                _ => $"for (int {i} = 0; {i} < {_vector}.Length; {i}++)",
            };
        Line(header);
        Feature(header.Contains("--", StringComparison.Ordinal) ? "for (reverse)" : header.Contains("+= 2", StringComparison.Ordinal) ? "for (step 2)" : outer is not null && header.Contains("< " + outer, StringComparison.Ordinal) ? "for (triangular)" : "for");
        Loop(() =>
        {
            Declare(new Local(i, LocalKind.Int, writable: false, index: i));
            BuildStatements(1 + _r.Next(4));
        });
    }

    private void ForEachLoop()
    {
        string e = Fresh("e");
        var sources = new List<string> { _vector! };
        sources.AddRange(Visible(LocalKind.Vector).Select(l => l.Name));
        Line($"foreach (double {e} in {_r.Pick(sources)})");
        Feature("foreach");
        Loop(() =>
        {
            Declare(new Local(e, LocalKind.Real, writable: false));
            BuildStatements(1 + _r.Next(3));
        });
    }

    private void WhileLoop()
    {
        string k = Fresh("k");
        int bound = 2 + _r.Next(3);
        Line($"int {k} = 0;");
        Local? guard = _r.Chance(0.4) ? PickWritableReal() : null;
        string condition = guard is null ? $"{k} < {bound}" : $"{k} < {bound} && {guard.Name} < {_r.Pick(Literals)}";
        Line($"while ({condition})");
        Feature(guard is null ? "while (counter)" : "while (counter && data)");
        Loop(() =>
        {
            Line($"{k}++;");

            // After the increment, k − 1 is in [0, bound) and bound ≤ 4; the vector has at least 3 elements.
            Declare(new Local(k, LocalKind.Int, writable: false, index: bound <= 3 ? $"{k} - 1" : null));
            BuildStatements(1 + _r.Next(3));
        });
    }

    private void BreakOrContinue()
    {
        Line($"if ({Condition(new ExprContext(true))})");
        Open();
        bool isBreak = _r.Chance(0.5);
        Line(isBreak ? "break;" : "continue;");
        Feature(isBreak ? "break" : "continue");
        Close();
    }

    private void EarlyReturn()
    {
        Line($"if ({Condition(new ExprContext(true))})");
        Open();
        Line($"return {Real(1 + _r.Next(2), new ExprContext(true))};");
        Close();
        Feature("early return");
    }

    private void Loop(Action body)
    {
        if (_loopDepth > 0)
        {
            Feature("nested loop");
        }

        _loopDepth++;
        Block(body);
        _loopDepth--;
    }

    private void Block(Action body)
    {
        Open();
        PushScope();
        _blockDepth++;
        body();
        _blockDepth--;
        PopScope();
        Close();
    }

    // ---------------------------------------------------------------- expressions

    private string Condition(ExprContext context)
    {
        var ints = Visible(LocalKind.Int).ToList();
        int kind = _r.Next(ints.Count > 0 ? 5 : 4);
        string Lhs() => NonConstant(Real(_r.Next(3), context));
        switch (kind)
        {
            case 0:
                {
                    // Not "v < v" (CS1718).
                    string left = Lhs();
                    string right = Real(_r.Next(2), context);
                    return $"{left} < {(right == left ? _r.Pick(Literals) : right)}";
                }

            case 1:
                return $"{Lhs()} > {_r.Pick(Literals)}";
            case 2:
                return $"{Lhs()} >= -{_r.Pick(Literals)}";
            case 3:
                {
                    string right = NonConstant(Real(_r.Next(2), context with { AllowCalls = false }));
                    return $"{Lhs()} > 0.0 {(_r.Chance(0.5) ? "&&" : "||")} {right} < {_r.Pick(Literals)}";
                }

            default:
                {
                    string i = _r.Pick(ints).Name;
                    return _r.Chance(0.5) ? $"{i} % 2 == 0" : $"{i} > 1";
                }
        }
    }

    /// <summary>A random real expression of the given depth (parenthesised so that printing is unambiguous).</summary>
    private string Real(int depth, ExprContext context, string? prefer = null)
    {
        if (depth <= 0)
        {
            return Leaf(prefer);
        }

        int choice = _r.Next(20);
        string Sub() => Real(depth - 1 - (_r.Chance(0.3) ? 1 : 0), context, prefer);
        switch (choice)
        {
            case 0:
            case 1:
                return $"({Sub()} + {Sub()})";
            case 2:
                return $"({Sub()} - {Sub()})";
            case 3:
            case 4:
                return $"({Sub()} * {Sub()})";
            case 5:
                Feature("division");
                return $"({Sub()} / {Positive(Sub())})";
            case 6:
                return $"-{Paren(Sub())}";
            case 7:
                {
                    // ?: branches must not contain calls (documented: the generator asks for a local instead).
                    string condition = Condition(context);
                    var inner = context with { AllowCalls = false };
                    Feature("?:");
                    return $"({condition} ? {Real(depth - 1, inner, prefer)} : {Real(depth - 1, inner, prefer)})";
                }

            case 8:
                if (context.AllowCalls && CanCall())
                {
                    return CallHelper(context, depth - 1);
                }

                goto case 9;
            case 9:
                if (context.AllowCalls && _localFunctions.Count > 0)
                {
                    return CallLocalFunction(_r.Pick(_localFunctions), context, depth - 1);
                }

                goto default;
            default:
                return MathCall(Sub(), Sub);
        }
    }

    private string MathCall(string e, Func<string> second)
    {
        int which = _r.Next(24);
        string f = which is 12 or 18 or 19 or 21 ? second() : string.Empty;
        return which switch
        {
            0 => $"Math.Exp(Math.Sin({e}))",
            1 => $"Math.Log(1.0 + {e} * {e})",
            2 => $"Math.Sqrt(1.0 + {e} * {e})",
            3 => $"Math.Tanh({e})",
            4 => $"Math.Atan({e})",
            5 => $"Math.Pow(1.0 + {e} * {e}, {_r.Pick(new[] { "0.5", "1.5", "-0.5", "2.0", "0.3" })})",
            6 => $"Math.Sin({e})",
            7 => $"Math.Cos({e})",
            8 => $"Math.Exp(-{Paren(e)} * {Paren(e)})",
            9 => $"Math.Cbrt(2.0 + {e} * {e})",
            10 => $"Math.Log2(1.0 + {e} * {e})",
            11 => $"Math.Log10(2.0 + Math.Sin({e}))",
            12 => $"Math.Atan2({e}, 2.0 + {f} * {f})",
            13 => $"Math.Sinh(Math.Tanh({e}))",
            14 => $"Math.Cosh(Math.Sin({e}))",
            15 => $"Math.Asin(0.5 * Math.Tanh({e}))",
            16 => $"Math.Acos(0.5 * Math.Tanh({e}))",
            17 => $"Math.Tan(0.5 * Math.Tanh({e}))",
            18 => $"Math.Max({e}, {f})",
            19 => $"Math.Min({e}, {f})",
            20 => $"Math.Abs({e})",
            22 => $"Math.Clamp({e}, -0.5, 0.75)",
            23 => $"(0.25 * Math.Floor({e}) + {e})",
            _ => $"Math.FusedMultiplyAdd({e}, {f}, 0.5)",
        };
    }

    private string Leaf(string? prefer)
    {
        var reals = Visible(LocalKind.Real).ToList();
        var vectors = Visible(LocalKind.Vector).ToList();
        var ints = Visible(LocalKind.Int).ToList();
        int choice = _r.Next(20);
        if (prefer is not null && choice < 4)
        {
            return prefer;
        }

        if (choice < 9 && reals.Count > 0)
        {
            return _r.Pick(reals).Name;
        }

        if (choice < 12 && _vector is not null)
        {
            return $"{_vector}[{Index()}]";
        }

        if (choice < 13 && vectors.Count > 0)
        {
            return $"{_r.Pick(vectors).Name}[{Index()}]";
        }

        if (choice < 14 && ints.Count > 0)
        {
            return $"(0.25 * {_r.Pick(ints).Name})";
        }

        if (choice < 15 && _vector is not null)
        {
            return $"(0.1 * {_vector}.Length)";
        }

        if (choice < 17)
        {
            return _r.Pick(Literals);
        }

        return _r.Pick(_scalarParams);
    }

    /// <summary>An int expression in [0, vector length): a constant below 3, or a loop index.</summary>
    private string Index()
    {
        var indices = Visible(LocalKind.Int).Where(l => l.Index is not null).Select(l => l.Index!).ToList();
        if (indices.Count > 0 && _r.Chance(0.7))
        {
            string i = _r.Pick(indices);
            return _r.Chance(0.2) ? $"({i} + 1) % {_vector}.Length" : i;
        }

        return _r.Next(3).ToString(CultureInfo.InvariantCulture);
    }

    private bool CanCall() => _helpers.Count > 0;

    private void Feature(string name)
    {
        _features.Add(_inLocalFunction ? name + " (in a local function)" : name);
    }

    private string CallHelper(ExprContext context, int depth)
    {
        HelperRef helper = _r.Pick(_helpers);
        Feature("call of a [Differentiable] helper");
        var inner = context with { AllowCalls = false };
        string arg = NonConstant(Real(Math.Max(0, depth), inner));
        if (helper.Shape == ProgramShape.TwoScalars)
        {
            return $"{helper.Name}({arg}, {Real(Math.Max(0, depth - 1), inner)})";
        }

        // A local vector may be passed instead of the parameter when the types allow it.
        var vectors = new List<string>();
        if (_vector is not null)
        {
            vectors.Add(_vector);
        }

        foreach (Local t in Visible(LocalKind.Vector))
        {
            if (helper.VectorType == "ReadOnlySpan<double>" || t.VectorType == "double[]")
            {
                vectors.Add(t.Name);
            }
        }

        // A helper taking double[] cannot be given a ReadOnlySpan parameter.
        vectors.RemoveAll(v => v == _vector && helper.VectorType == "double[]" && _vectorType != "double[]");
        if (vectors.Count == 0)
        {
            return $"Math.Sin({arg})";
        }

        string vector = _r.Pick(vectors);
        if (vector != _vector)
        {
            Feature("local vector passed to a helper");
        }

        return $"{helper.Name}({vector}, {arg})";
    }

    private string CallLocalFunction(LocalFunctionRef f, ExprContext context, int depth)
    {
        f.Used = true;
        var args = Enumerable.Range(0, f.Arity).Select(_ => Real(Math.Max(0, depth), context with { AllowCalls = false }));
        return $"{f.Name}({string.Join(", ", args)})";
    }

    /// <summary>A value bounded away from zero: 1 + e², or 2 + sin e.</summary>
    private string Positive(string e) => _r.Chance(0.7) ? $"(1.0 + {e} * {e})" : $"(2.0 + Math.Sin({e}))";

    /// <summary>A factor in (0.5, 1.5): keeps repeated *= in loops bounded.</summary>
    private string Squash(string e) => _r.Chance(0.5) ? $"(1.0 + 0.5 * Math.Tanh({e}))" : $"(1.0 + 0.25 * Math.Sin({e}))";

    private static string Paren(string e) => e.StartsWith('(') ? e : $"({e})";

    /// <summary>
    /// Makes sure the expression is not a C# constant (a constant initialiser of an unused local is CS0219, a constant
    /// condition makes a branch unreachable, CS0162). Only literal arithmetic is constant: any letter means a variable
    /// or a call.
    /// </summary>
    private string NonConstant(string e) => e.Any(char.IsLetter) ? e : $"({e} + {_r.Pick(_scalarParams)})";

    // ---------------------------------------------------------------- scopes and text

    private Local? PickWritableReal()
    {
        var writable = Visible(LocalKind.Real).Where(l => l.Writable).ToList();
        return writable.Count == 0 ? null : _r.Pick(writable);
    }

    private IEnumerable<Local> Visible(LocalKind kind) => _scopes.SelectMany(s => s).Where(l => l.Kind == kind);

    private void PushScope() => _scopes.Add(new List<Local>());

    private void PopScope() => _scopes.RemoveAt(_scopes.Count - 1);

    private void Declare(Local local)
    {
        if (_scopes.Count == 0)
        {
            PushScope();
        }

        _scopes[_scopes.Count - 1].Add(local);
    }

    private string Fresh(string prefix) => prefix + _nextName++.ToString(CultureInfo.InvariantCulture);

    private void Open()
    {
        Line("{");
        _indent++;
    }

    private void Close()
    {
        _indent--;
        Line("}");
    }

    private void Line(string text)
    {
        if (text.Length > 0)
        {
            _sb.Append(' ', 4 * (_indent + 1));
        }

        _sb.Append(text).Append('\n');
    }
}
