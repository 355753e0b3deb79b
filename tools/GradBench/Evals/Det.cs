using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>det</c> (cmpad's <c>det_by_minor</c>): the determinant of an ℓ × ℓ matrix by expansion by minors
/// along the first row of each minor, recursively down to 1 × 1 minors.
/// </summary>
public static partial class Det
{
    /// <summary>det A (row-major ℓ × ℓ, ℓ ≤ 30) by expansion by minors.</summary>
    [Differentiable(nameof(a))]
    public static double Primal(ReadOnlySpan<double> a, int ell) => Minor(a, ell, 0, 0);

    /// <summary>
    /// The determinant of rows <paramref name="row"/>…ℓ−1 and the columns not set in the bit mask <paramref name="used"/>,
    /// expanded along its first row. The generated pullback recurses with it; the seed of each sub-minor's pullback
    /// (±element · the minor's adjoint) is known before the call, so one call gives the sub-minor's value and gradient.
    /// </summary>
    [Differentiable(nameof(a))]
    public static double Minor(ReadOnlySpan<double> a, int ell, int row, int used)
    {
        if (row == ell - 1)
        {
            int last = 0;
            while ((used & (1 << last)) != 0)
            {
                last++;
            }

            return a[row * ell + last];
        }

        double det = 0;
        double sign = 1;
        for (int c = 0; c < ell; c++)
        {
            if ((used & (1 << c)) != 0)
            {
                continue;
            }

            det += sign * (a[row * ell + c] * Minor(a, ell, row + 1, used | (1 << c)));
            sign = -sign;
        }

        return det;
    }
}
