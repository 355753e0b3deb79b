using System.Runtime.CompilerServices;

namespace DiffGen;

/// <summary>Helpers usable inside <see cref="DifferentiableAttribute"/> methods.</summary>
public static class Gradient
{
    /// <summary>Returns <paramref name="value"/> unchanged; the generator treats it as a constant (no gradient flows).</summary>
    [NoDerivative]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double StopGradient(double value) => value;

    /// <summary>Returns <paramref name="value"/> unchanged; the generator treats it as a constant (no gradient flows).</summary>
    [NoDerivative]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float StopGradient(float value) => value;
}
