using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Differentiation.Preparation;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Emission;

/// <summary>Prints IR expressions as C# with the fewest parentheses C#'s precedence allows.</summary>
internal static class ExprPrinter
{
    private const int Atom = 100;
    private const int UnaryLevel = 90;

    public static string Print(Expr e) => Print(e, 0);

    private static string Print(Expr e, int context)
    {
        (string text, int level) = e switch
        {
            Literal l => (l.Text, l.Text.StartsWith("-", System.StringComparison.Ordinal) ? UnaryLevel : Atom),
            Var v => (v.Name, Atom),
            Elem { ProvenInRange: true } el => (KnownTypeNames.ProvenInRange + ".At(" + el.Array + ", " + Print(el.Index, 0) + ")", Atom),
            Elem el => (el.Array + "[" + Print(el.Index, 0) + "]", Atom),
            LengthOf len => (len.Array + ".Length", Atom),
            Unary u => (UnaryText(u), UnaryLevel),
            Binary b => (BinaryText(b), Level(b.Op)),
            Conditional c => (Print(c.Condition, 31) + " ? " + Print(c.WhenTrue, 30) + " : " + Print(c.WhenFalse, 30), 30),
            MathCall { Fn: MathFn.Logistic } m => (Print(LogisticRecognition.Spelled(m), 0), Level(BinaryOp.Divide)),
            MathCall m => (MathFunctions.Spell(m.Fn, m.Args[0].Type.Element) + "(" + string.Join(", ", m.Args.Select(a => Print(a, 0))) + ")", Atom),
            OpaqueCall o => (o.Method + "(" + string.Join(", ", o.Args.Select(a => Print(a, 0))) + ")", Atom),
            Opaque o => (OpaqueText(o), Atom),
            Convert c => ("(" + c.Type.ElementKeyword + ")" + Print(c.Operand, UnaryLevel + 1), UnaryLevel),
            NewVector n => ((n.Stack ? "stackalloc " : "new ") + n.Type.ElementKeyword + "[" + Print(n.Length, 0) + "]", Atom),
            RefArg r => ((r.Out ? "out " : "ref ") + Print(r.Target, 0), Atom),
            StaticValue s => (s.Member, Atom),
            DefaultValue d => (DefaultText(d.Type), Atom),
            TapePop p => (p.Tape + ".Pop()", Atom),
            SliceOf s => (SliceText(s), Atom),
            VectorReduce v => (KnownTypeNames.TensorPrimitives + "." + v.Op + "(" + string.Join(", ", v.Operands.Select(o => Print(o, 0))) + ")", Atom),
            _ => throw new System.InvalidOperationException("ExprPrinter does not know " + e.GetType().Name),
        };
        return level < context ? "(" + text + ")" : text;
    }

    /// <summary>The user's text with each hole filled (a hole stood for an identifier: anything else is parenthesised).</summary>
    private static string OpaqueText(Opaque o)
    {
        var text = new System.Text.StringBuilder(o.Parts[0]);
        for (int i = 0; i < o.Args.Count; i++)
        {
            text.Append(Print(o.Args[i], Atom)).Append(o.Parts[i + 1]);
        }

        return text.ToString();
    }

    /// <summary>The zero of a scalar, an empty span, an empty array.</summary>
    public static string DefaultText(TypeRef type) => type switch
    {
        { IsReal: true, IsScalar: true } => LiteralFormatter.Real(0, type).Text,
        { Element: ElementKind.Int, IsScalar: true } => "0",
        { Element: ElementKind.Bool, IsScalar: true } => "false",
        { Shape: Shape.Array } => "global::System.Array.Empty<" + type.ElementKeyword + ">()",
        _ => "default",
    };

    /// <summary>A span's slice: <c>x.Slice(a, n)</c>, through a read-only view when x may be an array.</summary>
    private static string SliceText(SliceOf s)
    {
        string range = "(" + Print(s.Start, 0) + ", " + Print(s.Length, 0) + ")";
        return s.Type.Shape == Shape.ReadOnlySpan
            ? "((global::System.ReadOnlySpan<" + s.Type.ElementKeyword + ">)" + s.Vector + ").Slice" + range
            : s.Vector + ".Slice" + range;
    }

    private static string UnaryText(Unary u)
    {
        string op = u.Op switch { UnaryOp.Negate => "-", UnaryOp.Not => "!", _ => "+" };
        string operand = Print(u.Operand, UnaryLevel);

        // "- -x" and "--x" must not merge into a decrement.
        if (operand.StartsWith("-", System.StringComparison.Ordinal) || operand.StartsWith("+", System.StringComparison.Ordinal))
        {
            operand = "(" + operand + ")";
        }

        return op + operand;
    }

    private static string BinaryText(Binary b)
    {
        int level = Level(b.Op);

        // Left-associative: the right operand needs parentheses at the same level.
        return Print(b.Left, level) + " " + Symbol(b.Op) + " " + Print(b.Right, level + 1);
    }

    private static int Level(BinaryOp op) => op switch
    {
        BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder => 80,
        BinaryOp.Add or BinaryOp.Subtract => 70,
        BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual => 60,
        BinaryOp.Equal or BinaryOp.NotEqual => 55,
        BinaryOp.BitAnd => 50,
        BinaryOp.BitXor => 48,
        BinaryOp.BitOr => 46,
        BinaryOp.And => 40,
        _ => 35,
    };

    private static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Remainder => "%",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.And => "&&",
        BinaryOp.Or => "||",
        BinaryOp.BitAnd => "&",
        BinaryOp.BitOr => "|",
        _ => "^",
    };
}
