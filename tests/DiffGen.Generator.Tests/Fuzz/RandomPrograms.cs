using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.Tests.Fuzz;

/// <summary>
/// Programs for the robustness fuzz test: valid functions cut off or damaged the way code looks while it is being
/// typed, and method bodies drawn from a small C# grammar that includes every construct DiffGen rejects.
/// </summary>
internal static class RandomPrograms
{
    /// <summary>Code every program starts with: usings and a helper class (one differentiable, one opaque function).</summary>
    public const string Prelude = """
        using System;
        using System.Linq;
        using DiffGen;

        namespace Fuzz;

        public static partial class Helpers
        {
            [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
            public static double Square(double v) => v * v;

            public static double Opaque(double v) => v + 1;
        }

        """;

    public static string Wrap(string method) => Prelude + "public static partial class Functions\n{\n" + method + "\n}\n";

    /// <summary>Every [Differentiable] method of a C# file, as text.</summary>
    public static List<string> DifferentiableMethods(string source) =>
        CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() == "Differentiable"))
            .Select(m => m.ToFullString())
            .ToList();

    /// <summary>The method cut after a random token, as if the user were still typing it.</summary>
    public static string Truncate(string method, Random random)
    {
        List<SyntaxToken> tokens = Tokens(method);
        int keep = random.Next(1, tokens.Count);
        return string.Concat(tokens.Take(keep).Select(t => t.ToFullString()));
    }

    /// <summary>One to three random token deletions, duplications or swaps.</summary>
    public static string Damage(string method, Random random)
    {
        List<SyntaxToken> tokens = Tokens(method);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && tokens.Count > 2; e++)
        {
            int i = random.Next(tokens.Count - 1);
            switch (random.Next(3))
            {
                case 0:
                    tokens.RemoveAt(i);
                    break;
                case 1:
                    tokens.Insert(i, tokens[i]);
                    break;
                default:
                    (tokens[i], tokens[i + 1]) = (tokens[i + 1], tokens[i]);
                    break;
            }
        }

        // Keep tokens apart so that a swap never glues two identifiers into one.
        return string.Join(" ", tokens.Select(t => t.ToFullString()));
    }

    private static List<SyntaxToken> Tokens(string text) =>
        SyntaxFactory.ParseTokens(text).Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)).ToList();

    /// <summary>A [Differentiable] method whose body comes from the grammar below.</summary>
    public static string Grammar(Random random) => new GrammarWriter(random).Method();

    private sealed class GrammarWriter
    {
        private static readonly string[] Unary = { "Exp", "Log", "Sqrt", "Sin", "Cos", "Tanh", "Abs", "Floor", "Atan", "Cbrt" };
        private static readonly string[] Binary = { "Max", "Min", "Pow", "Atan2" };

        private readonly Random _random;
        private readonly StringBuilder _text = new();
        private readonly List<string> _scalars = new() { "x", "y" };
        private readonly List<string> _ints = new() { "n" };
        // Statements DiffGen supports; half the programs use only these, so many methods are differentiated.
        private static readonly int[] Supported = { 0, 1, 2, 3, 10, 12, 13, 14, 15, 16, 18, 25, 30, 31, 33 };

        private readonly bool _supportedOnly;
        private int _next;
        private int _loopDepth;
        private int _nesting;
        private int _noCalls;

        public GrammarWriter(Random random)
        {
            _random = random;
            _supportedOnly = random.Next(2) == 0;
        }

        public string Method()
        {
            string wrt = _random.Next(4) switch
            {
                0 => "[Differentiable]",
                1 => "[Differentiable(nameof(x), nameof(w))]",
                2 => "[Differentiable(nameof(y))]",
                _ => "[Differentiable(nameof(x))]",
            };

            // Forward mode and second order must survive the same programs.
            string generate = _random.Next(3) switch
            {
                0 => string.Empty,
                1 => "Generate = Derivatives.Reverse | Derivatives.Forward",
                _ => "Generate = Derivatives.Forward | Derivatives.Hessian",
            };
            if (generate.Length > 0)
            {
                wrt = wrt == "[Differentiable]" ? "[Differentiable(" + generate + ")]" : wrt.Substring(0, wrt.Length - 2) + ", " + generate + ")]";
            }

            _text.Append("    ").Append(wrt).Append('\n');
            _text.Append("    public static double F(double x, double y, double[] w, int n)\n    {\n");
            int count = _random.Next(1, 7);
            for (int i = 0; i < count; i++)
            {
                Statement(2, 2);
            }

            Line(2, "return " + Expr(3) + ";");
            _text.Append("    }\n");
            return _text.ToString();
        }

        private void Line(int indent, string text) => _text.Append(' ', indent * 4).Append(text).Append('\n');

        private string Fresh(string prefix) => prefix + _next++;

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        private void Block(int indent, int depth)
        {
            Line(indent, "{");
            _nesting++;
            int scalars = _scalars.Count;
            int ints = _ints.Count;
            int count = _random.Next(0, 4);
            for (int i = 0; i < count; i++)
            {
                Statement(indent + 1, depth - 1);
            }

            _scalars.RemoveRange(scalars, _scalars.Count - scalars);
            _ints.RemoveRange(ints, _ints.Count - ints);
            _nesting--;
            Line(indent, "}");
        }

        private void Statement(int indent, int depth)
        {
            int choice = _random.Next(depth > 0 ? 34 : 12);
            if (_supportedOnly)
            {
                choice = _nesting == 0 && _random.Next(8) == 0 ? 26 + _random.Next(2) : Supported[_random.Next(depth > 0 ? Supported.Length : 5)];
            }

            // Supported programs never write the (differentiated) parameters x and y (DG0012).
            string v = Pick(_scalars);
            if (_supportedOnly && v is "x" or "y")
            {
                if (_scalars.Count == 2)
                {
                    choice = 0;
                }

                v = _scalars.Count > 2 ? _scalars[2 + _random.Next(_scalars.Count - 2)] : v;
            }

            switch (choice)
            {
                case 0:
                case 1:
                    {
                        string name = Fresh("v");
                        Line(indent, "double " + name + " = " + Expr(3) + ";");
                        _scalars.Add(name);
                        break;
                    }

                case 2:
                    Line(indent, v + " = " + Expr(3) + ";");
                    break;
                case 3:
                    Line(indent, v + " " + Pick(new[] { "+=", "-=", "*=", "/=" }) + " " + Expr(2) + ";");
                    break;
                case 4:
                    Line(indent, "w[" + Index() + "] = " + Expr(2) + ";");
                    break;
                case 5:
                    Line(indent, "string " + Fresh("s") + " = \"v\" + " + v + ";");
                    break;
                case 6:
                    Line(indent, "var " + Fresh("o") + " = new object();");
                    break;
                case 7:
                    Line(indent, "ref double " + Fresh("r") + " = ref w[0];");
                    break;
                case 8:
                    Line(indent, "Func<double, double> " + Fresh("f") + " = a => a * " + v + ";");
                    break;
                case 9:
                    Line(indent, v + " = w.Sum() + w.Select(a => a * a).Max();");
                    break;
                case 10:
                    Line(indent, _loopDepth > 0 ? Pick(new[] { "break;", "continue;" }) : "return " + Expr(2) + ";");
                    break;
                case 11:
                    Line(indent, "throw new InvalidOperationException();");
                    break;
                case 12:
                case 13:
                    Line(indent, "if (" + Condition() + ")");
                    Block(indent, depth);
                    if (_random.Next(2) == 0)
                    {
                        Line(indent, "else");
                        Block(indent, depth);
                    }

                    break;
                case 14:
                case 15:
                    {
                        string i = Fresh("i");
                        Line(indent, "for (int " + i + " = 0; " + i + " < " + Pick(new[] { "n", "w.Length", "3" }) + "; " + i + "++)");
                        _ints.Add(i);
                        _loopDepth++;
                        Block(indent, depth);
                        _loopDepth--;
                        _ints.Remove(i);
                        break;
                    }

                case 16:
                    Line(indent, "while (" + Condition() + ")");
                    _loopDepth++;
                    Block(indent, depth);
                    _loopDepth--;
                    break;
                case 17:
                    Line(indent, "do");
                    _loopDepth++;
                    Block(indent, depth);
                    _loopDepth--;
                    Line(indent, "while (" + Condition() + ");");
                    break;
                case 18:
                    {
                        string e = Fresh("e");
                        Line(indent, "foreach (double " + e + " in w)");
                        _scalars.Add(e);
                        _loopDepth++;
                        Block(indent, depth);
                        _loopDepth--;
                        _scalars.Remove(e);
                        break;
                    }

                case 19:
                    Line(indent, "switch (n)");
                    Line(indent, "{");
                    Line(indent + 1, "case 1: " + v + " = " + Expr(2) + "; break;");
                    Line(indent + 1, "default: break;");
                    Line(indent, "}");
                    break;
                case 20:
                    Line(indent, "try");
                    Block(indent, depth);
                    Line(indent, _random.Next(2) == 0 ? "catch (Exception) { }" : "finally { }");
                    break;
                case 21:
                    {
                        string label = Fresh("L");
                        Line(indent, "goto " + label + ";");
                        Line(indent, label + ": " + v + " = " + Expr(1) + ";");
                        break;
                    }

                case 22:
                    Line(indent, "lock (w)");
                    Block(indent, depth);
                    break;
                case 23:
                    Line(indent, "using (var " + Fresh("m") + " = new System.IO.MemoryStream())");
                    Block(indent, depth);
                    break;
                case 24:
                    Line(indent, "unsafe");
                    Line(indent, "{");
                    Line(indent + 1, "double* " + Fresh("p") + " = &" + v + ";");
                    Line(indent, "}");
                    break;
                case 25:
                    {
                        string f = Fresh("Local");
                        Line(indent, "double " + f + "(double a) => a * " + Expr(1) + ";");
                        Line(indent, v + " = " + f + "(" + Expr(1) + ");");
                        break;
                    }

                case 26:
                    {
                        string a = Fresh("arr");
                        Line(indent, "double[] " + a + " = new double[" + Pick(new[] { "n", "3", "w.Length" }) + "];");
                        Line(indent, a + "[0] = " + Expr(2) + ";");
                        Line(indent, v + " += " + a + "[0];");
                        break;
                    }

                case 27:
                    {
                        string s = Fresh("sp");
                        Line(indent, "Span<double> " + s + " = stackalloc double[4];");
                        Line(indent, s + "[1] = " + Expr(2) + ";");
                        Line(indent, v + " = " + s + "[1] * " + v + ";");
                        break;
                    }

                case 28:
                    Line(indent, "(" + v + ", y) = (y, " + v + ");");
                    break;
                case 29:
                    Line(indent, v + " = n switch { 0 => " + Expr(1) + ", _ => " + Expr(1) + " };");
                    break;
                case 30:
                    Line(indent, "Helpers.Square(" + v + ");");
                    break;
                case 31:
                    Line(indent, "n++;");
                    break;
                case 32:
                    Line(indent, "checked { " + v + " = " + Expr(2) + "; }");
                    break;
                default:
                    Line(indent, "const double " + Fresh("c") + " = 2.5;");
                    break;
            }
        }

        private string Index() => _random.Next(3) == 0 ? Pick(_ints) : _random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture);

        private string Condition()
        {
            // DiffGen cannot pull a call out of a condition (DG0022): supported programs keep calls out of them.
            _noCalls++;
            string condition = _random.Next(_supportedOnly ? 3 : 4) switch
            {
                0 => Expr(1) + " < " + Expr(1),
                1 => Pick(_ints) + " > 2",
                2 => Expr(1) + " != 0 && " + Expr(1) + " > 1",
                _ => "x is > 0",
            };
            _noCalls--;
            return condition;
        }

        private string Expr(int depth)
        {
            int choice = _random.Next(depth > 0 ? 16 : 4);
            if (_supportedOnly && (choice == 15 || (_noCalls > 0 && choice is 10 or 11 or 12)))
            {
                choice = 4;
            }

            switch (choice)
            {
                case 0:
                    return Pick(_scalars);
                case 1:
                    return Pick(new[] { "1", "2.5", "0.5", "3e-2", "1f" });
                case 2:
                    return "w[" + Index() + "]";
                case 3:
                    return Pick(_ints);
                case 4:
                case 5:
                    return "(" + Expr(depth - 1) + " " + Pick(_supportedOnly ? new[] { "+", "-", "*", "/" } : new[] { "+", "-", "*", "/", "%" }) + " " + Expr(depth - 1) + ")";
                case 6:
                    return "-" + Expr(depth - 1);
                case 7:
                case 8:
                    return "Math." + Pick(Unary) + "(" + Expr(depth - 1) + ")";
                case 9:
                    return "Math." + Pick(Binary) + "(" + Expr(depth - 1) + ", " + Expr(depth - 1) + ")";
                case 10:
                    {
                        _noCalls++;
                        string conditional = "(" + Condition() + " ? " + Expr(depth - 1) + " : " + Expr(depth - 1) + ")";
                        _noCalls--;
                        return conditional;
                    }

                case 11:
                    return "Helpers." + (_supportedOnly ? "Square" : Pick(new[] { "Square", "Opaque" })) + "(" + Expr(depth - 1) + ")";
                case 12:
                    return "Gradient.StopGradient(" + Expr(depth - 1) + ")";
                case 13:
                    return "(float)" + Expr(depth - 1);
                case 14:
                    return "w.Length";
                default:
                    return Pick(new[] { "x.ToString().Length", "new Random(1).NextDouble()", "Math.PI", "default(double)", "(x > 0 ? w : w)[0]" });
            }
        }
    }
}
