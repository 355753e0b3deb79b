using System;
using System.Collections.Generic;
using System.Linq;

namespace DiffGen.Generator.Model;

/// <summary>The generator's copy of the runtime's <c>DiffGen.Derivatives</c> flags (same values).</summary>
[Flags]
internal enum DerivativeForms
{
    None = 0,
    Reverse = 1,
    Forward = 2,
    Jacobian = 4,
    HessianVectorProduct = 8,
    Hessian = 16,
    Nested = 32,
    PooledPrimal = 64,
}

/// <summary>The names of one attribute's generated methods, all built from one stem (the method's name, or Name without "Gradient").</summary>
internal static class GeneratedNames
{
    public static string Pushforward(string stem) => stem + "Pushforward";

    public static string Jacobian(string stem) => stem + "Jacobian";

    /// <summary>The private helper of the dense Jacobian that runs one forward and m reverse sweeps.</summary>
    public static string JacobianRows(string stem) => stem + "JacobianByRows";

    public static string HessianVectorProduct(string stem) => stem + "HessianVectorProduct";

    /// <summary>The Hessian-vector product that also adds the gradient it computes on the way.</summary>
    public static string GradientAndHessianVectorProduct(string stem) => stem + "GradientAndHessianVectorProduct";

    public static string Hessian(string stem) => stem + "Hessian";

    public static string HessianDiagonal(string stem) => stem + "HessianDiagonal";

    public static string PooledPrimal(string stem) => stem + "Pooled";

    /// <summary>The stem of an attribute's names: the method's name, or Name with a trailing "Gradient" removed.</summary>
    public static string Stem(string methodName, string? name) =>
        name is null ? methodName
        : name.EndsWith("Gradient", StringComparison.Ordinal) && name.Length > "Gradient".Length ? name.Substring(0, name.Length - "Gradient".Length)
        : name;
}

/// <summary>
/// The names <c>Derivatives.Nested</c> adds for an attribute with stem <c>F</c>: <c>FNested…</c> (gradient, pullback,
/// pushforward and Hessian-vector product with respect to every real parameter) and the helpers a nested call lowers to,
/// each a scalar function of the inputs with its pullback and pushforward: <c>FNestedPartial</c> (a component of
/// <c>FGradient</c>), <c>FNestedSeededPartial</c> (of <c>FPullback</c>), <c>FNestedTangent</c> (<c>FPushforward</c>'s tangent).
/// </summary>
internal static class NestedNames
{
    public static string Stem(string stem) => stem + "Nested";

    public static string Partial(string nestedStem) => nestedStem + "Partial";

    public static string SeededPartial(string nestedStem) => nestedStem + "SeededPartial";

    public static string Tangent(string nestedStem) => nestedStem + "Tangent";

    public static string PullbackOf(string helper) => helper + "Pullback";

    public static string PushforwardOf(string helper) => helper + "Pushforward";

    public static IEnumerable<string> Helpers(string nestedStem) =>
        new[] { Partial(nestedStem), SeededPartial(nestedStem), Tangent(nestedStem) }.SelectMany(h => new[] { h, PullbackOf(h), PushforwardOf(h) });
}
