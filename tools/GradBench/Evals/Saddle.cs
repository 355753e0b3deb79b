using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>saddle</c> (Pearlmutter and Siskind): min over x ∈ ℝ² of max over y ∈ ℝ² of
/// f(x, y) = (x₁² + y₁²) − (x₂² + y₂²), both by gradient descent from the same start, the inner argmax nested in the
/// outer argmin; then the argmax for the x found.
/// </summary>
public static partial class Saddle
{
    /// <summary>f(p1, p2) = (p1₀² + p1₁²) − (p2₀² + p2₁²) (gradbench's argument order: x₁ y₁ x₂ y₂).</summary>
    [Differentiable]
    public static double Objective(double x1, double y1, double x2, double y2) => (x1 * x1 + y1 * y1) - (x2 * x2 + y2 * y2);
}
