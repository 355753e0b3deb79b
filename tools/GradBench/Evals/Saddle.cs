using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>saddle</c> (Pearlmutter and Siskind): min over x ∈ ℝ² of max over y ∈ ℝ² of f(x, y), both by
/// gradient descent from the same start, the inner argmax nested in the outer argmin; then the argmax for the x found.
/// </summary>
public static partial class Saddle
{
    /// <summary>
    /// f(x, y) = ‖x‖² − ‖y‖². The eval's README writes (x₁² + y₁²) − (x₂² + y₂²) with subscripts naming the two points
    /// (1 the outer, 2 the inner); read with x and y as the points, the inner maximum would not exist.
    /// </summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Nested)]
    public static double Objective(double x1, double x2, double y1, double y2) => (x1 * x1 + x2 * x2) - (y1 * y1 + y2 * y2);
}
