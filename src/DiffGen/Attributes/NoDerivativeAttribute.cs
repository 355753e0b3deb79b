using System;

namespace DiffGen;

/// <summary>
/// Marks a method whose result a <see cref="DifferentiableAttribute"/> method treats as a constant: no gradient
/// flows through calls to it (for example a prediction's arg-max or a data-dependent scale).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}
