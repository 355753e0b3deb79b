using System;

namespace DiffGen;

/// <summary>
/// Marks a method whose result a <see cref="DifferentiableAttribute"/> method treats as a constant: no gradient
/// flows through calls to it (for example a prediction's arg-max or a data-dependent scale). On a field or property of a
/// model type it marks state that is not trained (running statistics, a fixed scale): a constant, not a leaf.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}
