using System;

namespace DiffGen;

/// <summary>
/// Marks the <c>Span&lt;T&gt;</c> parameter a <c>void</c> <see cref="DifferentiableAttribute"/> method writes its
/// vector result into: the dependent variable of its pullback (VJP), pushforward (JVP) and Jacobian. One per method; never
/// in the wrt list. Elements the method does not write keep their contents, which are constants.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class OutputAttribute : Attribute
{
}
