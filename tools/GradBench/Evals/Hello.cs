namespace DiffGen.GradBench.Evals;

/// <summary>gradbench's <c>hello</c>: <c>square</c> is f(x) = x², <c>double</c> its derivative 2x.</summary>
public static partial class Hello
{
    /// <summary>f(x) = x².</summary>
    [Differentiable]
    public static double Square(double x) => x * x;
}
