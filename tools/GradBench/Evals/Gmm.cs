using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>gmm</c>: the log posterior of a Gaussian mixture (K components in D dimensions, N points) with a
/// Wishart prior on the precision matrices Σₖ⁻¹ = QₖᵀQₖ, Qₖ lower triangular with diagonal exp(qₖ) and the strictly lower
/// part lₖ filled column by column; written with the README's simplifications (β, logsumexp, Frobenius norms).
/// </summary>
public static partial class Gmm
{
    /// <summary>
    /// F = −N(D/2·log 2π + logsumexp α) + Σᵢ logsumexpₖ βᵢₖ + K(nD·log(γ/√2) − log Γ_D(n/2)) − γ²/2·Σₖ‖Qₖ‖²_F + m·Σₖⱼ qₖⱼ
    /// with βᵢₖ = αₖ − ½‖Qₖ(xᵢ − μₖ)‖² + Σⱼ qₖⱼ and n = D + m + 1. <paramref name="mu"/> and <paramref name="q"/> are K × D,
    /// <paramref name="l"/> K × D(D−1)/2, <paramref name="x"/> N × D, all row-major. The last five spans are the caller's
    /// scratch (so a call allocates nothing): exp(q) (K × D), Σⱼ qₖⱼ (K), a centred point (D), Q times it (D) and a
    /// point's β (K).
    /// </summary>
    [Differentiable(nameof(alpha), nameof(mu), nameof(q), nameof(l))]
    public static double Objective(
        ReadOnlySpan<double> alpha, ReadOnlySpan<double> mu, ReadOnlySpan<double> q, ReadOnlySpan<double> l,
        ReadOnlySpan<double> x, double gamma, int m,
        Span<double> diagonal, Span<double> sumQ, Span<double> centred, Span<double> transformed, Span<double> beta)
    {
        int k = alpha.Length;
        int d = q.Length / k;
        int n = x.Length / d;
        int lSize = d * (d - 1) / 2;

        // Qₖ's diagonal and log-determinant, once per component.
        for (int component = 0; component < k; component++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++)
            {
                diagonal[component * d + j] = Math.Exp(q[component * d + j]);
                sum += q[component * d + j];
            }

            sumQ[component] = sum;
        }

        double likelihood = 0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    centred[j] = x[i * d + j] - mu[c * d + j];
                    transformed[j] = diagonal[c * d + j] * centred[j];
                }

                // The strictly lower part, column by column: Q[row, col] = l[…] for row > col.
                int index = c * lSize;
                for (int col = 0; col < d; col++)
                {
                    for (int row = col + 1; row < d; row++)
                    {
                        transformed[row] += l[index] * centred[col];
                        index++;
                    }
                }

                double squaredNorm = 0;
                for (int j = 0; j < d; j++)
                {
                    squaredNorm += transformed[j] * transformed[j];
                }

                beta[c] = alpha[c] + sumQ[c] - 0.5 * squaredNorm;
            }

            likelihood += LogSumExp(beta, k);
        }

        // The log prior's variable part: −γ²/2·‖Qₖ‖²_F + m·Σⱼ qₖⱼ per component.
        double logPrior = 0;
        for (int component = 0; component < k; component++)
        {
            double frobenius = 0;
            for (int j = 0; j < d; j++)
            {
                frobenius += diagonal[component * d + j] * diagonal[component * d + j];
            }

            for (int j = 0; j < lSize; j++)
            {
                frobenius += l[component * lSize + j] * l[component * lSize + j];
            }

            logPrior += m * sumQ[component] - 0.5 * gamma * gamma * frobenius;
        }

        int wishartN = d + m + 1;
        double priorConstant = k * (wishartN * d * (Math.Log(gamma) - 0.5 * Math.Log(2)) - LogMultivariateGamma(wishartN, d));
        return -n * (0.5 * d * Math.Log(2 * Math.PI) + LogSumExp(alpha, k)) + likelihood + priorConstant + logPrior;
    }

    /// <summary>
    /// log Σᵢ exp(vᵢ) over the first <paramref name="count"/> values, shifted by their maximum; the shift is a constant
    /// to the derivative (the result does not depend on it), as in <see cref="Lse.Primal"/>. A plain helper, not
    /// <c>[Differentiable]</c>: the generator inlines it into <see cref="Objective"/>, so each point's exponentials are
    /// evaluated once and kept for the reverse sweep (a <c>[Differentiable]</c> callee's pullback would evaluate them again).
    /// </summary>
    public static double LogSumExp(ReadOnlySpan<double> v, int count)
    {
        double max = v[0];
        for (int i = 1; i < count; i++)
        {
            max = Math.Max(max, v[i]);
        }

        double shift = Gradient.StopGradient(max);
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += Math.Exp(v[i] - shift);
        }

        return Math.Log(sum) + shift;
    }

    /// <summary>log Γ_p(twiceA / 2): the multivariate gamma function at a half-integer (a constant of the prior).</summary>
    public static double LogMultivariateGamma(int twiceA, int p)
    {
        double result = 0.25 * p * (p - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= p; j++)
        {
            result += LogGammaOfHalf(twiceA + 1 - j);
        }

        return result;
    }

    /// <summary>log Γ(t / 2) for an integer t ≥ 1, from Γ(1) = 1 or Γ(½) = √π by Γ(z + 1) = z·Γ(z).</summary>
    private static double LogGammaOfHalf(int t)
    {
        double result = t % 2 == 0 ? 0 : 0.5 * Math.Log(Math.PI);
        for (int u = 2 - t % 2; u < t; u += 2)
        {
            result += Math.Log(0.5 * u);
        }

        return result;
    }
}
