using System;
using System.Buffers;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// The careful person's gradient of <see cref="GmmLoop.Objective"/>, in one pass over the points: for each point the
/// components' centred vectors and Q·(x − μ) are kept (K × d scratch), then the log-sum-exp's weights
/// pₖ = softmax(main term)ₖ are pushed back through Q·(x − μ) into alphas, means and icf directly. Scalar: with d = 10
/// the inner loops are too short and triangular to gain from SIMD. The forward sums run in the user's order, so the
/// value is the user's bit for bit.
/// </summary>
public static class GmmLoopHandWritten
{
    /// <summary>Returns the objective and adds its gradient with respect to alphas, means and icf.</summary>
    public static double ObjectiveGradient(
        ReadOnlySpan<double> alphas, ReadOnlySpan<double> means, ReadOnlySpan<double> icf, ReadOnlySpan<double> x, double wishartGamma, int wishartM,
        Span<double> dalphas, Span<double> dmeans, Span<double> dicf)
    {
        int k = alphas.Length;
        int d = means.Length / k;
        int n = x.Length / d;
        int icfSize = d * (d + 1) / 2;
        if (means.Length != k * d || icf.Length != k * icfSize || x.Length != n * d
            || dalphas.Length != k || dmeans.Length != means.Length || dicf.Length != icf.Length)
        {
            throw new ArgumentException("means must be K × d, icf K × d(d+1)/2, x n × d, and each gradient like its parameter.");
        }

        // Scratch: Q's diagonals, per component x − μ and Q·(x − μ), the sums of log-diagonals, the main terms and the
        // sums of their weights over the points.
        int scratchLength = 3 * k * d + 3 * k;
        double[]? rented = null;
        Span<double> scratch = scratchLength <= 2048 ? stackalloc double[2048] : (rented = ArrayPool<double>.Shared.Rent(scratchLength));
        Span<double> qdiags = scratch[..(k * d)];
        Span<double> xcentered = scratch.Slice(k * d, k * d);
        Span<double> qx = scratch.Slice(2 * k * d, k * d);
        Span<double> sumQs = scratch.Slice(3 * k * d, k);
        Span<double> mainTerm = scratch.Slice(3 * k * d + k, k);
        Span<double> weightSums = scratch.Slice(3 * k * d + 2 * k, k);
        weightSums.Clear();

        for (int ik = 0; ik < k; ik++)
        {
            double sumQ = 0;
            for (int id = 0; id < d; id++)
            {
                double q = icf[ik * icfSize + id];
                sumQ += q;
                qdiags[ik * d + id] = Math.Exp(q);
            }

            sumQs[ik] = sumQ;
        }

        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            ReadOnlySpan<double> point = x.Slice(ix * d, d);
            double mx = double.NegativeInfinity;
            for (int ik = 0; ik < k; ik++)
            {
                ReadOnlySpan<double> diagonal = qdiags.Slice(ik * d, d);
                ReadOnlySpan<double> lower = icf.Slice(ik * icfSize + d, icfSize - d);
                ReadOnlySpan<double> mean = means.Slice(ik * d, d);
                Span<double> xc = xcentered.Slice(ik * d, d);
                Span<double> y = qx.Slice(ik * d, d);
                for (int id = 0; id < d; id++)
                {
                    xc[id] = point[id] - mean[id];
                    y[id] = diagonal[id] * xc[id];
                }

                int l = 0;
                for (int i = 0; i < d; i++)
                {
                    double xi = xc[i];
                    for (int j = i + 1; j < d; j++)
                    {
                        y[j] += lower[l++] * xi;
                    }
                }

                double sqnorm = 0;
                for (int id = 0; id < d; id++)
                {
                    sqnorm += y[id] * y[id];
                }

                double term = alphas[ik] + sumQs[ik] - 0.5 * sqnorm;
                mainTerm[ik] = term;
                mx = Math.Max(mx, term);
            }

            double semx = 0;
            for (int ik = 0; ik < k; ik++)
            {
                mainTerm[ik] = Math.Exp(mainTerm[ik] - mx);
                semx += mainTerm[ik];
            }

            slse += Math.Log(semx) + mx;

            // Backward through each component: ∂/∂(main term) = p, ∂(main term)/∂y = −y with y = Q·(x − μ).
            double inverse = 1 / semx;
            for (int ik = 0; ik < k; ik++)
            {
                double p = mainTerm[ik] * inverse;
                weightSums[ik] += p;
                ReadOnlySpan<double> diagonal = qdiags.Slice(ik * d, d);
                ReadOnlySpan<double> lower = icf.Slice(ik * icfSize + d, icfSize - d);
                ReadOnlySpan<double> xc = xcentered.Slice(ik * d, d);
                Span<double> dy = qx.Slice(ik * d, d);
                Span<double> dlower = dicf.Slice(ik * icfSize + d, icfSize - d);
                Span<double> ddiagonal = dicf.Slice(ik * icfSize, d);
                Span<double> dmean = dmeans.Slice(ik * d, d);
                for (int id = 0; id < d; id++)
                {
                    dy[id] *= -p;
                }

                // y_j = diag_j·xc_j + Σ_{i<j} L_ij·xc_i: ∂diag (through exp) and ∂L, and ∂xc = −∂μ.
                int l = 0;
                for (int i = 0; i < d; i++)
                {
                    double xi = xc[i];
                    double dxi = dy[i] * diagonal[i];
                    ddiagonal[i] += dxi * xi;
                    for (int j = i + 1; j < d; j++)
                    {
                        dlower[l] += dy[j] * xi;
                        dxi += lower[l++] * dy[j];
                    }

                    dmean[i] -= dxi;
                }
            }
        }

        // −n·logsumexp(alphas).
        double amax = double.NegativeInfinity;
        for (int ik = 0; ik < k; ik++)
        {
            amax = Math.Max(amax, alphas[ik]);
        }

        double asum = 0;
        for (int ik = 0; ik < k; ik++)
        {
            asum += Math.Exp(alphas[ik] - amax);
        }

        double lseAlphas = Math.Log(asum) + amax;
        for (int ik = 0; ik < k; ik++)
        {
            dalphas[ik] += weightSums[ik] - n * Math.Exp(alphas[ik] - lseAlphas);
        }

        // The prior: ½γ²(Σ exp(q)² + Σ L²) − m·Σq per component, summed as the user does; each point's p also reaches
        // every q through Σq.
        int wn = d + wishartM + 1;
        double c = wn * d * (Math.Log(wishartGamma) - 0.5 * Math.Log(2)) - GmmLoop.LogMultivariateGamma(wn, d);
        double gamma2 = wishartGamma * wishartGamma;
        double prior = 0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0;
            for (int id = 0; id < d; id++)
            {
                double qd = qdiags[ik * d + id];
                frobenius += qd * qd;
                dicf[ik * icfSize + id] += weightSums[ik] + gamma2 * qd * qd - wishartM;
            }

            for (int i = d; i < icfSize; i++)
            {
                double l = icf[ik * icfSize + i];
                frobenius += l * l;
                dicf[ik * icfSize + i] += gamma2 * l;
            }

            prior += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[ik];
        }

        prior -= k * c;
        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }

        return -n * d * 0.5 * Math.Log(2 * Math.PI) + slse - n * lseAlphas + prior;
    }
}
