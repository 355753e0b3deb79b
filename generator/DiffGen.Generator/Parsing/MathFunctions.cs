using System.Collections.Generic;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Parsing;

/// <summary>Recognises Math/MathF calls and their generic-math spellings (double.Exp, float.Sqrt…).</summary>
internal static class MathFunctions
{
    /// <summary>The functions by name and number of arguments (<c>Log(a)</c> and <c>Log(a, newBase)</c> are two).</summary>
    private static readonly Dictionary<(string Name, int Arity), MathFn> Known = new()
    {
        [("Exp", 1)] = MathFn.Exp,
        [("Log", 1)] = MathFn.Log,
        [("Log", 2)] = MathFn.LogBase,
        [("Log2", 1)] = MathFn.Log2,
        [("Log10", 1)] = MathFn.Log10,
        [("Sqrt", 1)] = MathFn.Sqrt,
        [("Cbrt", 1)] = MathFn.Cbrt,
        [("Pow", 2)] = MathFn.Pow,
        [("Sin", 1)] = MathFn.Sin,
        [("Cos", 1)] = MathFn.Cos,
        [("Tan", 1)] = MathFn.Tan,
        [("Asin", 1)] = MathFn.Asin,
        [("Acos", 1)] = MathFn.Acos,
        [("Atan", 1)] = MathFn.Atan,
        [("Atan2", 2)] = MathFn.Atan2,
        [("Asinh", 1)] = MathFn.Asinh,
        [("Acosh", 1)] = MathFn.Acosh,
        [("Atanh", 1)] = MathFn.Atanh,
        [("Sinh", 1)] = MathFn.Sinh,
        [("Cosh", 1)] = MathFn.Cosh,
        [("Tanh", 1)] = MathFn.Tanh,
        [("Abs", 1)] = MathFn.Abs,
        [("Max", 2)] = MathFn.Max,
        [("Min", 2)] = MathFn.Min,
        [("Clamp", 3)] = MathFn.Clamp,
        [("FusedMultiplyAdd", 3)] = MathFn.FusedMultiplyAdd,
        [("Floor", 1)] = MathFn.Floor,
        [("Ceiling", 1)] = MathFn.Ceiling,
        [("Round", 1)] = MathFn.Round,
        [("Truncate", 1)] = MathFn.Truncate,
        [("Sign", 1)] = MathFn.Sign,
    };

    /// <summary>True when <paramref name="method"/> is a math function we can differentiate (all arguments real).</summary>
    public static bool TryGet(IMethodSymbol method, out MathFn fn)
    {
        fn = default;
        INamedTypeSymbol? type = method.ContainingType;
        if (type is null || !method.IsStatic || !Known.TryGetValue((method.Name, method.Parameters.Length), out MathFn known))
        {
            return false;
        }

        bool isMathType = type.ContainingNamespace?.ToDisplayString() == "System"
            && (type.Name is "Math" or "MathF" || type.SpecialType is SpecialType.System_Double or SpecialType.System_Single);
        if (!isMathType)
        {
            return false;
        }

        foreach (IParameterSymbol p in method.Parameters)
        {
            if (p.Type.SpecialType is not (SpecialType.System_Double or SpecialType.System_Single))
            {
                return false;
            }
        }

        fn = known;
        return true;
    }

    /// <summary>The C# spelling of the function for the element type: Math.X for double, MathF.X for float.</summary>
    public static string Spell(MathFn fn, ElementKind element)
    {
        if (fn == MathFn.Hypot)
        {
            return element == ElementKind.Float ? "float.Hypot" : "double.Hypot";
        }

        string type = element == ElementKind.Float && fn is not (MathFn.Abs or MathFn.Max or MathFn.Min or MathFn.Clamp or MathFn.Sign)
            ? "global::System.MathF"
            : "global::System.Math";
        return type + "." + (fn == MathFn.LogBase ? "Log" : fn.ToString());
    }
}
