using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>llsq</c> (cmpad's <c>llsq_obj</c>): y(x) = ½ Σᵢ (sᵢ − Σⱼ xⱼ tᵢʲ)² over n points
/// tᵢ = −1 + 2i/(n − 1) with sᵢ = sign(tᵢ).
/// </summary>
public static partial class Llsq
{
    /// <summary>y(x) for n sample points; the polynomial's coefficients are <paramref name="x"/> (m of them).</summary>
    [Differentiable(nameof(x))]
    public static double Primal(ReadOnlySpan<double> x, int n)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double t = -1 + i * 2.0 / (n - 1);
            double residual = t > 0 ? 1.0 : t < 0 ? -1.0 : 0.0;
            double power = 1;
            for (int j = 0; j < x.Length; j++)
            {
                residual -= x[j] * power;
                power *= t;
            }

            sum += residual * residual;
        }

        return sum / 2;
    }
}
