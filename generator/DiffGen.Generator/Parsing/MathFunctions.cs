using System.Collections.Generic;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Parsing;

/// <summary>Recognises Math/MathF calls and their generic-math spellings (double.Exp, float.Sqrt…).</summary>
internal static class MathFunctions
{
    private static readonly Dictionary<string, (MathFn Fn, int Arity)> Known = new()
    {
        ["Exp"] = (MathFn.Exp, 1),
        ["Log"] = (MathFn.Log, 1),
        ["Log2"] = (MathFn.Log2, 1),
        ["Log10"] = (MathFn.Log10, 1),
        ["Sqrt"] = (MathFn.Sqrt, 1),
        ["Cbrt"] = (MathFn.Cbrt, 1),
        ["Pow"] = (MathFn.Pow, 2),
        ["Sin"] = (MathFn.Sin, 1),
        ["Cos"] = (MathFn.Cos, 1),
        ["Tan"] = (MathFn.Tan, 1),
        ["Asin"] = (MathFn.Asin, 1),
        ["Acos"] = (MathFn.Acos, 1),
        ["Atan"] = (MathFn.Atan, 1),
        ["Atan2"] = (MathFn.Atan2, 2),
        ["Asinh"] = (MathFn.Asinh, 1),
        ["Acosh"] = (MathFn.Acosh, 1),
        ["Atanh"] = (MathFn.Atanh, 1),
        ["Sinh"] = (MathFn.Sinh, 1),
        ["Cosh"] = (MathFn.Cosh, 1),
        ["Tanh"] = (MathFn.Tanh, 1),
        ["Abs"] = (MathFn.Abs, 1),
        ["Max"] = (MathFn.Max, 2),
        ["Min"] = (MathFn.Min, 2),
        ["Clamp"] = (MathFn.Clamp, 3),
        ["FusedMultiplyAdd"] = (MathFn.FusedMultiplyAdd, 3),
        ["Floor"] = (MathFn.Floor, 1),
        ["Ceiling"] = (MathFn.Ceiling, 1),
        ["Round"] = (MathFn.Round, 1),
        ["Truncate"] = (MathFn.Truncate, 1),
        ["Sign"] = (MathFn.Sign, 1),
    };

    /// <summary>True when <paramref name="method"/> is a math function we can differentiate (all arguments real).</summary>
    public static bool TryGet(IMethodSymbol method, out MathFn fn)
    {
        fn = default;
        INamedTypeSymbol? type = method.ContainingType;
        // Log(a, newBase) shares its name with Log(a).
        (MathFn Fn, int Arity) entry = method.Name == "Log" && method.Parameters.Length == 2 ? (MathFn.LogBase, 2) : default;
        if (type is null || !method.IsStatic || entry.Arity == 0 && (!Known.TryGetValue(method.Name, out entry) || method.Parameters.Length != entry.Arity))
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

        fn = entry.Fn;
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
