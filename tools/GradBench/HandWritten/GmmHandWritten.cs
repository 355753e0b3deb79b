using System;
using System.Buffers;
using DiffGen.GradBench.Evals;

namespace DiffGen.GradBench.HandWritten;

/// <summary>
/// The careful person's gradient of <see cref="Gmm.Objective"/>, in one pass over the points: per point each
/// component's centred vector and Q·(x − μ) are kept (K × D scratch), then the log-sum-exp's weights
/// pₖ = softmax(β)ₖ are pushed back through Q·(x − μ) into α, μ, q and l directly.
/// </summary>
public static class GmmHandWritten
{
    /// <summary>Returns the log posterior and adds its gradient with respect to α, μ, q and l.</summary>
    public static double ObjectiveGradient(
        ReadOnlySpan<double> alpha, ReadOnlySpan<double> mu, ReadOnlySpan<double> q, ReadOnlySpan<double> l,
        ReadOnlySpan<double> x, double gamma, int m,
        Span<double> dalpha, Span<double> dmu, Span<double> dq, Span<double> dl)
    {
        int k = alpha.Length;
        int d = q.Length / k;
        int n = x.Length / d;
        int lSize = d * (d - 1) / 2;
        if (mu.Length != k * d || q.Length != k * d || l.Length != k * lSize || x.Length != n * d
            || dalpha.Length != k || dmu.Length != mu.Length || dq.Length != q.Length || dl.Length != l.Length)
        {
            throw new ArgumentException("μ and q must be K × D, l K × D(D−1)/2, x N × D, and each gradient like its parameter.");
        }

        int scratchLength = 3 * k * d + 3 * k;
        double[] rented = ArrayPool<double>.Shared.Rent(scratchLength);
        Span<double> scratch = rented.AsSpan(0, scratchLength);
        Span<double> diagonals = scratch[..(k * d)];
        Span<double> centred = scratch.Slice(k * d, k * d);
        Span<double> transformed = scratch.Slice(2 * k * d, k * d);
        Span<double> sumQ = scratch.Slice(3 * k * d, k);
        Span<double> beta = scratch.Slice(3 * k * d + k, k);
        Span<double> weightSums = scratch.Slice(3 * k * d + 2 * k, k);
        weightSums.Clear();

        for (int c = 0; c < k; c++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++)
            {
                diagonals[c * d + j] = Math.Exp(q[c * d + j]);
                sum += q[c * d + j];
            }

            sumQ[c] = sum;
        }

        double likelihood = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> point = x.Slice(i * d, d);
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                ReadOnlySpan<double> diagonal = diagonals.Slice(c * d, d);
                ReadOnlySpan<double> lower = l.Slice(c * lSize, lSize);
                ReadOnlySpan<double> mean = mu.Slice(c * d, d);
                Span<double> xc = centred.Slice(c * d, d);
                Span<double> y = transformed.Slice(c * d, d);
                for (int j = 0; j < d; j++)
                {
                    xc[j] = point[j] - mean[j];
                    y[j] = diagonal[j] * xc[j];
                }

                int index = 0;
                for (int col = 0; col < d; col++)
                {
                    double xcol = xc[col];
                    for (int row = col + 1; row < d; row++)
                    {
                        y[row] += lower[index++] * xcol;
                    }
                }

                double squaredNorm = 0;
                for (int j = 0; j < d; j++)
                {
                    squaredNorm += y[j] * y[j];
                }

                double b = alpha[c] + sumQ[c] - 0.5 * squaredNorm;
                beta[c] = b;
                max = Math.Max(max, b);
            }

            double total = 0;
            for (int c = 0; c < k; c++)
            {
                beta[c] = Math.Exp(beta[c] - max);
                total += beta[c];
            }

            likelihood += Math.Log(total) + max;

            // ∂/∂βₖ = pₖ; ∂βₖ/∂y = −y with y = Q·(x − μ); y_row = diag_row·xc_row + Σ_{col<row} L[row, col]·xc_col.
            double inverse = 1 / total;
            for (int c = 0; c < k; c++)
            {
                double p = beta[c] * inverse;
                weightSums[c] += p;
                ReadOnlySpan<double> diagonal = diagonals.Slice(c * d, d);
                ReadOnlySpan<double> lower = l.Slice(c * lSize, lSize);
                ReadOnlySpan<double> xc = centred.Slice(c * d, d);
                Span<double> dy = transformed.Slice(c * d, d);
                Span<double> dlower = dl.Slice(c * lSize, lSize);
                Span<double> dqc = dq.Slice(c * d, d);
                Span<double> dmean = dmu.Slice(c * d, d);
                for (int j = 0; j < d; j++)
                {
                    dy[j] *= -p;
                }

                int index = 0;
                for (int col = 0; col < d; col++)
                {
                    double xcol = xc[col];
                    double dxcol = dy[col] * diagonal[col];
                    dqc[col] += dxcol * xcol;
                    for (int row = col + 1; row < d; row++)
                    {
                        dlower[index] += dy[row] * xcol;
                        dxcol += lower[index++] * dy[row];
                    }

                    dmean[col] -= dxcol;
                }
            }
        }

        // −N·logsumexp(α): its gradient is −N·softmax(α); each point's pₖ reaches αₖ and every qₖⱼ through βₖ.
        double alphaMax = double.NegativeInfinity;
        for (int c = 0; c < k; c++)
        {
            alphaMax = Math.Max(alphaMax, alpha[c]);
        }

        double alphaSum = 0;
        for (int c = 0; c < k; c++)
        {
            alphaSum += Math.Exp(alpha[c] - alphaMax);
        }

        double lseAlpha = Math.Log(alphaSum) + alphaMax;
        for (int c = 0; c < k; c++)
        {
            dalpha[c] += weightSums[c] - n * Math.Exp(alpha[c] - lseAlpha);
        }

        // The prior: m·Σq − γ²/2·(Σ exp(q)² + Σ l²) per component.
        double gamma2 = gamma * gamma;
        double logPrior = 0;
        for (int c = 0; c < k; c++)
        {
            double frobenius = 0;
            for (int j = 0; j < d; j++)
            {
                double diagonal = diagonals[c * d + j];
                frobenius += diagonal * diagonal;
                dq[c * d + j] += weightSums[c] + m - gamma2 * diagonal * diagonal;
            }

            for (int j = 0; j < lSize; j++)
            {
                double lj = l[c * lSize + j];
                frobenius += lj * lj;
                dl[c * lSize + j] -= gamma2 * lj;
            }

            logPrior += m * sumQ[c] - 0.5 * gamma2 * frobenius;
        }

        ArrayPool<double>.Shared.Return(rented);
        int wishartN = d + m + 1;
        double priorConstant = k * (wishartN * d * (Math.Log(gamma) - 0.5 * Math.Log(2)) - Gmm.LogMultivariateGamma(wishartN, d));
        return -n * (0.5 * d * Math.Log(2 * Math.PI) + lseAlpha) + likelihood + priorConstant + logPrior;
    }
}
