using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// ADBench's Gaussian mixture model objective (gradbench's <c>gmm</c>), written as a C# port of its loop version:
/// scratch vectors for Q's diagonals, the centred point, Q times it and the per-component terms, the log-sum-exps and
/// the Wishart prior written out as loops.
/// </summary>
public static partial class GmmLoop
{
    /// <summary>
    /// The log-likelihood of the n points <paramref name="x"/> (row-major n × d) under K components plus the log Wishart
    /// prior: alphas (K) are unnormalised log mixture weights, means K × d, and icf K × d(d+1)/2 the inverse covariance
    /// factors Q = L: each row the logs of the diagonal, then the strictly lower part column by column.
    /// </summary>
    [Differentiable(nameof(alphas), nameof(means), nameof(icf))]
    public static double Objective(
        ReadOnlySpan<double> alphas, ReadOnlySpan<double> means, ReadOnlySpan<double> icf, ReadOnlySpan<double> x, double wishartGamma, int wishartM)
    {
        int k = alphas.Length;
        int d = means.Length / k;
        int n = x.Length / d;
        int icfSize = d * (d + 1) / 2;
        Span<double> qdiags = stackalloc double[d * k];
        Span<double> sumQs = stackalloc double[k];
        Span<double> xcentered = stackalloc double[d];
        Span<double> qxcentered = stackalloc double[d];
        Span<double> mainTerm = stackalloc double[k];

        for (int ik = 0; ik < k; ik++)
        {
            sumQs[ik] = 0;
            for (int id = 0; id < d; id++)
            {
                double q = icf[ik * icfSize + id];
                sumQs[ik] += q;
                qdiags[ik * d + id] = Math.Exp(q);
            }
        }

        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                for (int id = 0; id < d; id++)
                {
                    xcentered[id] = x[ix * d + id] - means[ik * d + id];
                }

                for (int id = 0; id < d; id++)
                {
                    qxcentered[id] = qdiags[ik * d + id] * xcentered[id];
                }

                int lparamsIdx = ik * icfSize + d;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        qxcentered[j] += icf[lparamsIdx] * xcentered[i];
                        lparamsIdx++;
                    }
                }

                double sqnorm = 0;
                for (int id = 0; id < d; id++)
                {
                    sqnorm += qxcentered[id] * qxcentered[id];
                }

                mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * sqnorm;
            }

            double mx = mainTerm[0];
            for (int ik = 1; ik < k; ik++)
            {
                if (mainTerm[ik] > mx)
                {
                    mx = mainTerm[ik];
                }
            }

            double semx = 0;
            for (int ik = 0; ik < k; ik++)
            {
                semx += Math.Exp(mainTerm[ik] - mx);
            }

            slse += Math.Log(semx) + mx;
        }

        double amax = alphas[0];
        for (int ik = 1; ik < k; ik++)
        {
            if (alphas[ik] > amax)
            {
                amax = alphas[ik];
            }
        }

        double asum = 0;
        for (int ik = 0; ik < k; ik++)
        {
            asum += Math.Exp(alphas[ik] - amax);
        }

        double lseAlphas = Math.Log(asum) + amax;

        int wn = d + wishartM + 1;
        double c = wn * d * (Math.Log(wishartGamma) - 0.5 * Math.Log(2)) - LogMultivariateGamma(wn, d);
        double prior = 0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0;
            for (int id = 0; id < d; id++)
            {
                frobenius += qdiags[ik * d + id] * qdiags[ik * d + id];
            }

            for (int i = d; i < icfSize; i++)
            {
                frobenius += icf[ik * icfSize + i] * icf[ik * icfSize + i];
            }

            prior += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[ik];
        }

        prior -= k * c;
        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        return constant + slse - n * lseAlphas + prior;
    }

    /// <summary>log Γ_p(twiceA / 2), the multivariate gamma function at a half-integer (the prior's normaliser, a constant).</summary>
    public static double LogMultivariateGamma(int twiceA, int p)
    {
        double result = 0.25 * p * (p - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= p; j++)
        {
            result += LogGammaOfHalf(twiceA + 1 - j);
        }

        return result;
    }

    /// <summary>log Γ(t / 2) for an integer t ≥ 1, by Γ(z + 1) = z·Γ(z) from Γ(1) = 1 or Γ(1/2) = √π.</summary>
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
