using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// particle's and saddle's four functions: the outer derivative's mode, then the inner one's (<c>fr</c>: forward mode
/// over a reverse-mode gradient).
/// </summary>
public enum Nesting
{
    ForwardOverForward,
    ForwardOverReverse,
    ReverseOverForward,
    ReverseOverReverse,
}

/// <summary>Names of <see cref="Nesting"/> as gradbench spells them.</summary>
public static class NestingNames
{
    public static Nesting Parse(string function) => function switch
    {
        "ff" => Nesting.ForwardOverForward,
        "fr" => Nesting.ForwardOverReverse,
        "rf" => Nesting.ReverseOverForward,
        "rr" => Nesting.ReverseOverReverse,
        _ => throw new ArgumentException("not one of ff, fr, rf, rr: " + function, nameof(function)),
    };
}
