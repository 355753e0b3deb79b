using System;
using DiffGen;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Loops as people write them (issue #12): nests, pair loops, loop-local accumulators, scratch vectors overwritten per
/// iteration, data-dependent trip counts; and shapes that must not be fused. Checked in LoopNestTests.
/// </summary>
public static partial class Functions
{
    /// <summary>A softened pair potential over atoms (x[3i + c]): for i, for j &gt; i, temporaries, e += ….</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double PairPotential(ReadOnlySpan<double> x)
    {
        int n = x.Length / 3;
        double e = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double dx = x[3 * i] - x[3 * j];
                double dy = x[3 * i + 1] - x[3 * j + 1];
                double dz = x[3 * i + 2] - x[3 * j + 2];
                double inv2 = 1 / (1 + dx * dx + dy * dy + dz * dz);
                double inv6 = inv2 * inv2 * inv2;
                e += 4 * (inv6 * inv6 - inv6);
            }
        }

        return e;
    }

    /// <summary>Pairs the other way round (j &lt; i), with the fixed atom's gradient summed across the inner loop.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double PairsBelow(ReadOnlySpan<double> x)
    {
        double e = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double d = x[i] - x[j];
                e += Math.Exp(-d * d) * x[i];
            }
        }

        return e;
    }

    /// <summary>A dense tanh layer and its squared error, two nested loops.</summary>
    [Differentiable(nameof(w), nameof(b), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double DenseTanh(ReadOnlySpan<double> w, ReadOnlySpan<double> b, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double loss = 0;
        for (int o = 0; o < b.Length; o++)
        {
            double z = b[o];
            for (int i = 0; i < x.Length; i++)
            {
                z += w[o * x.Length + i] * x[i];
            }

            double d = Math.Tanh(z) - y[o];
            loss += d * d;
        }

        return loss;
    }

    /// <summary>The same layer with its dot products reassociated (checked with a value tolerance).</summary>
    [Differentiable(nameof(w), nameof(b), AllowReassociation = true, Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double DenseTanhReassociated(ReadOnlySpan<double> w, ReadOnlySpan<double> b, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double loss = 0;
        for (int o = 0; o < b.Length; o++)
        {
            double z = b[o];
            for (int i = 0; i < x.Length; i++)
            {
                z += w[o * x.Length + i] * x[i];
            }

            double d = Math.Tanh(z) - y[o];
            loss += d * d;
        }

        return loss;
    }

    /// <summary>Softmax regression: the dot loop nested in the class loop, logits in stackalloc, the maximum subtracted.</summary>
    [Differentiable(nameof(w), nameof(b), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double SoftmaxNested(ReadOnlySpan<double> w, ReadOnlySpan<double> b, ReadOnlySpan<double> x, int label)
    {
        Span<double> logits = stackalloc double[b.Length];
        double max = double.NegativeInfinity;
        for (int k = 0; k < b.Length; k++)
        {
            double a = b[k];
            for (int j = 0; j < x.Length; j++)
            {
                a += w[k * x.Length + j] * x[j];
            }

            logits[k] = a;
            if (a > max)
            {
                max = a;
            }
        }

        double sum = 0;
        for (int k = 0; k < b.Length; k++)
        {
            sum += Math.Exp(logits[k] - max);
        }

        return Math.Log(sum) + max - logits[label];
    }

    /// <summary>A two-layer network with loops: tanh hidden layer in stackalloc, squared error.</summary>
    [Differentiable(nameof(w1), nameof(b1), nameof(w2), nameof(x), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double TwoLayer(ReadOnlySpan<double> w1, ReadOnlySpan<double> b1, ReadOnlySpan<double> w2, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int hidden = b1.Length;
        Span<double> h = stackalloc double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            double z = b1[j];
            for (int i = 0; i < x.Length; i++)
            {
                z += w1[j * x.Length + i] * x[i];
            }

            h[j] = Math.Tanh(z);
        }

        double loss = 0;
        for (int o = 0; o < y.Length; o++)
        {
            double s = 0;
            for (int j = 0; j < hidden; j++)
            {
                s += w2[o * hidden + j] * h[j];
            }

            double d = s - y[o];
            loss += d * d;
        }

        return loss;
    }

    /// <summary>
    /// A small Gaussian-mixture objective as ADBench writes it: scratch vectors overwritten per point and component, a
    /// loop-local index stepping through the packed lower triangle, log-sum-exp with the maximum subtracted.
    /// </summary>
    [Differentiable(nameof(alphas), nameof(means), nameof(icf), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Mixture(ReadOnlySpan<double> alphas, ReadOnlySpan<double> means, ReadOnlySpan<double> icf, ReadOnlySpan<double> x)
    {
        int k = alphas.Length;
        int d = means.Length / k;
        int n = x.Length / d;
        int icfSize = d * (d + 1) / 2;
        Span<double> xcentered = stackalloc double[d];
        Span<double> qx = stackalloc double[d];
        Span<double> mainTerm = stackalloc double[k];
        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                double sumQ = 0;
                for (int id = 0; id < d; id++)
                {
                    xcentered[id] = x[ix * d + id] - means[ik * d + id];
                }

                for (int id = 0; id < d; id++)
                {
                    double q = icf[ik * icfSize + id];
                    sumQ += q;
                    qx[id] = Math.Exp(q) * xcentered[id];
                }

                int l = ik * icfSize + d;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        qx[j] += icf[l] * xcentered[i];
                        l++;
                    }
                }

                double sqnorm = 0;
                for (int id = 0; id < d; id++)
                {
                    sqnorm += qx[id] * qx[id];
                }

                mainTerm[ik] = alphas[ik] + sumQ - 0.5 * sqnorm;
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

        return slse;
    }

    /// <summary>One LSTM step with matrix-vector loops; loss = Σ (h' − target)².</summary>
    [Differentiable(nameof(w), nameof(u), nameof(b), nameof(x), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double LstmStep(ReadOnlySpan<double> w, ReadOnlySpan<double> u, ReadOnlySpan<double> b, ReadOnlySpan<double> x, ReadOnlySpan<double> h, ReadOnlySpan<double> c, ReadOnlySpan<double> target)
    {
        int hidden = h.Length;
        Span<double> gates = stackalloc double[4 * hidden];
        for (int r = 0; r < 4 * hidden; r++)
        {
            double z = b[r];
            for (int k = 0; k < x.Length; k++)
            {
                z += w[r * x.Length + k] * x[k];
            }

            for (int k = 0; k < hidden; k++)
            {
                z += u[r * hidden + k] * h[k];
            }

            gates[r] = z;
        }

        double loss = 0;
        for (int j = 0; j < hidden; j++)
        {
            double input = 1 / (1 + Math.Exp(-gates[j]));
            double forget = 1 / (1 + Math.Exp(-gates[hidden + j]));
            double candidate = Math.Tanh(gates[2 * hidden + j]);
            double output = 1 / (1 + Math.Exp(-gates[3 * hidden + j]));
            double cell = forget * c[j] + input * candidate;
            double e = output * Math.Tanh(cell) - target[j];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>A valid 1-D convolution, then tanh and a squared error.</summary>
    [Differentiable(nameof(kernel), nameof(signal), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Convolution(ReadOnlySpan<double> kernel, ReadOnlySpan<double> signal, ReadOnlySpan<double> target)
    {
        double loss = 0;
        for (int t = 0; t + kernel.Length <= signal.Length; t++)
        {
            double y = 0;
            for (int k = 0; k < kernel.Length; k++)
            {
                y += kernel[k] * signal[t + k];
            }

            double e = Math.Tanh(y) - target[t];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>Kepler's equation solved per element by Newton's method: a trip count that depends on the data.</summary>
    [Differentiable(nameof(mean), nameof(eccentricity), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Kepler(ReadOnlySpan<double> mean, double eccentricity)
    {
        double loss = 0;
        for (int i = 0; i < mean.Length; i++)
        {
            double anomaly = mean[i];
            double delta = 1;
            int iterations = 0;
            while (Math.Abs(delta) > 1e-13 && iterations < 50)
            {
                delta = (anomaly - eccentricity * Math.Sin(anomaly) - mean[i]) / (1 - eccentricity * Math.Cos(anomaly));
                anomaly -= delta;
                iterations++;
            }

            loss += Math.Cos(anomaly) * (1 + i);
        }

        return loss;
    }

    /// <summary>Not fusable: after the loop a is overwritten, so the loop's share of da must wait for the reverse sweep.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double InputOverwrittenAfterLoop(ReadOnlySpan<double> x, double a)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * a;
        }

        a = a * a + 1;
        return s + a * x[0];
    }

    /// <summary>Two branches that may both assign r: the later one's overwrite consumes r's adjoint.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double LaterBranchOverwrites(double x, double y)
    {
        double r = x;
        if (x > -0.5)
        {
            r = x * x;
        }

        if (y > 0)
        {
            r = y * 3 + Math.Sin(x);
        }

        return r + y;
    }

    /// <summary>A loop-local integer stepping by two through pairs (undone in the reverse sweep, not recorded).</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double SteppedPairs(ReadOnlySpan<double> x)
    {
        double p = 1;
        int k = 0;
        while (k + 1 < x.Length)
        {
            p = p * Math.Sin(x[k]) + x[k + 1];
            k += 2;
        }

        return p;
    }

    /// <summary>
    /// Row i sums w[i − 1]·x[j]² over j &lt; i: the element w[i − 1] is the same throughout the inner loop (kept in a local
    /// in both sweeps) and does not exist when that loop is empty (i = 0), so it must not be read then.
    /// </summary>
    [Differentiable(nameof(w), nameof(x))]
    public static double LaggedRows(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double row = 0;
            for (int j = 0; j < i; j++)
            {
                row += w[i - 1] * x[j] * x[j];
            }

            s += Math.Sin(row);
        }

        return s;
    }

    /// <summary>
    /// Each component's distance through the caller's scratch spans (longer than the part used: only xc[0..d) and
    /// terms[0..k) change), each element of xc read right after it is stored and again by the next loop; then a soft
    /// minimum over the components.
    /// </summary>
    [Differentiable(nameof(mu), nameof(scale))]
    public static double ScratchMixture(ReadOnlySpan<double> mu, ReadOnlySpan<double> scale, ReadOnlySpan<double> x, Span<double> xc, Span<double> terms)
    {
        int d = x.Length;
        int k = scale.Length;
        for (int c = 0; c < k; c++)
        {
            double dist = 0;
            for (int j = 0; j < d; j++)
            {
                xc[j] = x[j] - mu[c * d + j];
                dist += xc[j] * xc[j];
            }

            for (int j = 1; j < d; j++)
            {
                dist += scale[c] * xc[j] * xc[j - 1];
            }

            terms[c] = scale[c] * dist;
        }

        double s = 0;
        for (int c = 0; c < k; c++)
        {
            s += Math.Exp(-terms[c]);
        }

        return Math.Log(s);
    }

    /// <summary>
    /// A mixture's log-likelihood over several points through the caller's scratch spans (longer than the part used):
    /// each point's loop runs forward then reverse in place, the spans' used prefixes being that point's own; the
    /// log-sum-exp's maximum is held constant (StopGradient: the value does not depend on it).
    /// </summary>
    [Differentiable(nameof(mu), nameof(scale))]
    public static double ScratchMixturePoints(ReadOnlySpan<double> mu, ReadOnlySpan<double> scale, ReadOnlySpan<double> x, int d, Span<double> xc, Span<double> beta)
    {
        int n = x.Length / d;
        int k = scale.Length;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    xc[j] = x[i * d + j] - mu[c * d + j];
                    xc[j] *= scale[c];
                }

                double dist = 0;
                for (int j = 0; j < d; j++)
                {
                    dist += xc[j] * xc[j];
                }

                beta[c] = -0.5 * dist + scale[c];
            }

            double max = beta[0];
            for (int c = 1; c < k; c++)
            {
                max = Math.Max(max, beta[c]);
            }

            double shift = Gradient.StopGradient(max);
            double sum = 0;
            for (int c = 0; c < k; c++)
            {
                sum += Math.Exp(beta[c] - shift);
            }

            total += Math.Log(sum) + shift;
        }

        return total;
    }

    /// <summary>
    /// A polynomial least-squares fit written with running powers: two inactive recurrences (the power of t and a
    /// damping factor) stepped per coefficient, which the reverse runs again first to last instead of recording.
    /// </summary>
    [Differentiable(nameof(c))]
    public static double PolynomialFit(ReadOnlySpan<double> c, ReadOnlySpan<double> ts, ReadOnlySpan<double> ys)
    {
        double loss = 0;
        for (int i = 0; i < ts.Length; i++)
        {
            double t = ts[i];
            double r = -ys[i];
            double power = 1;
            double damping = 1;
            for (int j = 0; j < c.Length; j++)
            {
                r += c[j] * power * damping;
                power *= t;
                damping = damping * 0.5 + 0.25;
            }

            loss += r * r;
        }

        return loss;
    }

    /// <summary>A power series at the method's top level, its sum's adjoint known only after the loop; the power is read afterwards.</summary>
    [Differentiable(nameof(c))]
    public static double SineOfSeries(ReadOnlySpan<double> c, double t)
    {
        double s = 0;
        double power = 1;
        for (int j = 0; j < c.Length; j++)
        {
            s += c[j] * power;
            power *= t;
        }

        return Math.Sin(s) + power;
    }

    /// <summary>An active running product: its adjoint flows from iteration to iteration, so the reverse must run last to first.</summary>
    [Differentiable(nameof(c))]
    public static double RunningProduct(ReadOnlySpan<double> c, double t)
    {
        double s = 0;
        double product = 1;
        for (int j = 0; j < c.Length; j++)
        {
            product *= c[j] + t;
            s += product;
        }

        return Math.Sin(s);
    }

    /// <summary>
    /// Midpoint steps of y' = a ∘ shift(y) + b on the caller's scratch (longer than y): the stage and the state are
    /// overwritten by loops each step (one from 1), saved as blocks of n elements, not element by element.
    /// </summary>
    [Differentiable(nameof(a), nameof(b))]
    public static double MidpointSteps(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int steps, Span<double> y, Span<double> stage)
    {
        int n = a.Length;
        double h = 0.5 / steps;
        for (int i = 0; i < n; i++)
        {
            y[i] = 1.0 / (i + 1);
        }

        for (int step = 0; step < steps; step++)
        {
            stage[0] = y[0] + h / 2 * b[0];
            for (int i = 1; i < n; i++)
            {
                stage[i] = y[i] + h / 2 * (a[i] * y[i - 1] * y[i - 1] + b[i]);
            }

            y[0] += h * b[0];
            for (int i = 1; i < n; i++)
            {
                y[i] += h * (a[i] * stage[i - 1] * stage[i - 1] + b[i]);
            }
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += y[i] * y[i];
        }

        return sum;
    }

    /// <summary>
    /// Logistic gates written out, 1 / (1 + exp(−z)) and 1 / (exp(−z) + 1), one of them inside a loop and fed by the
    /// other: reverse mode takes their derivative σ(1 − σ) from the gate's value, and the HVP differentiates that again.
    /// </summary>
    [Differentiable(nameof(w), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double SigmoidGates(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        double z = 0;
        for (int i = 0; i < w.Length; i++)
        {
            z += w[i] * x[i];
        }

        double p = 1 / (1 + Math.Exp(-z));
        double q = 0;
        for (int i = 0; i < w.Length; i++)
        {
            q += 1.0 / (Math.Exp(-(w[i] * p)) + 1.0);
        }

        return Math.Log(p) + (q * q);
    }

    /// <summary>
    /// A helper's parameter reassigned after a local read it, inside a loop that runs two sweeps (found by the property
    /// test): the local cannot be recomputed in the reverse from the parameter's final value.
    /// </summary>
    [Differentiable]
    public static double ReassignedAfterUse(double[] x, double a)
    {
        double Step(double p)
        {
            double r = p * 0.5;
            p /= 3.0;
            return Math.FusedMultiplyAdd(x[2], r, 0.5) + (0.1 * p);
        }

        double s = a;
        for (int i = 0; i < x.Length; i += 2)
        {
            s += 0.25 * i;
            if (s > 3.0)
            {
                break;
            }

            s += Step(s / (2.0 + Math.Sin(s)));
        }

        return s;
    }

    /// <summary>
    /// A vector scaled in place by every pass of an outer loop, by a factor that reads a running value (found by the
    /// property test): the derivative of t[i] *= f(v) with respect to v reads the old t[i], so t cannot be recorded once
    /// per outer iteration from its value at the end of it.
    /// </summary>
    [Differentiable]
    public static double ScaledInPlacePerPass(double[] x)
    {
        double[] t = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            t[i] = 1.0 + x[i];
        }

        double v = 0.3 * x[0];
        int pass = 0;
        while (pass < 4)
        {
            pass++;
            for (int i = 0; i < x.Length; i++)
            {
                t[i] *= 1.0 + (0.5 * Math.Tanh(v));
                v--;
            }
        }

        return t[2] + (0.5 * t[0]);
    }

    /// <summary>
    /// The same call before and after the variable it reads changes (found by the property test): the division's
    /// derivative needs sin of the old s, which the later local sin(s) does not hold.
    /// </summary>
    [Differentiable]
    public static double SineBeforeAndAfter(double x, double a)
    {
        double s = x;
        for (int i = 0; i < 3; i++)
        {
            s += a;
            s /= 2.0 + Math.Sin(s);
            double t = Math.Sin(s);
            s = Math.Sqrt(1.0 + s * s) + t;
        }

        return s;
    }

    /// <summary>
    /// A branch that could run forward-then-reverse in place, then a vector declared after it that the return also
    /// reads (found by the property test): the return's adjoint cannot run before the branch, where the vector's
    /// adjoint does not exist yet.
    /// </summary>
    [Differentiable]
    public static double BranchThenVector(ReadOnlySpan<double> x, double a)
    {
        double s = a * 2;
        if (s < 10)
        {
            s = Math.Sin(s) * x[0];
        }

        Span<double> t = stackalloc double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            t[i] = x[i] * x[i];
        }

        return s + 0.5 * t[1];
    }

    /// <summary>
    /// A dense tanh layer whose rows' dot products the generated gradient runs four at a time (ReductionJam), with a
    /// second accumulator per row and an int the row starts with; any number of rows (blocks of four and the rest).
    /// </summary>
    [Differentiable(nameof(w), nameof(x), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double JammedRows(ReadOnlySpan<double> w, ReadOnlySpan<double> x, int rows)
    {
        int inputs = x.Length;
        double loss = 0;
        for (int i = 0; i < rows; i++)
        {
            int offset = i * inputs;
            double z = 0.1 * i;
            double norm = 0;
            for (int j = 0; j < inputs; j++)
            {
                z += w[offset + j] * x[j];
                norm += w[offset + j] * w[offset + j];
            }

            double h = Math.Tanh(z) + 0.01 * norm;
            loss += h * h;
        }

        return loss;
    }

    /// <summary>
    /// Rows of a lower-triangular matrix: the inner loop's range depends on the row (j &lt; i), so one inner loop cannot
    /// serve four rows (ReductionJam leaves it; it once jammed it with the first row's range, which did not compile).
    /// </summary>
    [Differentiable(nameof(w), nameof(x), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double TriangularRows(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        int n = x.Length;
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double z = 0.5;
            for (int j = 0; j < i; j++)
            {
                z += w[i * n + j] * x[j];
            }

            loss += Math.Tanh(z);
        }

        return loss;
    }

    /// <summary>
    /// A scratch span written per component inside a loop over points that runs in two sweeps (the points' recurrence
    /// is nonlinear and feeds the centring): every component's centred point is written in place on slots of a tape of
    /// its own, n·k of them in the forward sweep, taken back in reverse order.
    /// </summary>
    [Differentiable(nameof(mu), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double RecurrentMixture(ReadOnlySpan<double> mu, ReadOnlySpan<double> x, int d)
    {
        int k = mu.Length / d;
        int n = x.Length / d;
        Span<double> xc = stackalloc double[d];
        double acc = 0;
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    xc[j] = x[i * d + j] - mu[c * d + j] * (1 + 0.1 * acc);
                }

                double dist = 0;
                for (int j = 0; j < d; j++)
                {
                    dist += xc[j] * xc[j];
                }

                sum += Math.Exp(-dist);
            }

            acc = Math.Sin(acc) + Math.Log(sum);
        }

        return acc;
    }

    /// <summary>
    /// The same scratch read after its loop (the last component's centred point): it keeps its copies on the tape, since
    /// its final values must still be there when the loop ends.
    /// </summary>
    [Differentiable(nameof(mu), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double ScratchReadAfterTheLoop(ReadOnlySpan<double> mu, ReadOnlySpan<double> x)
    {
        int d = x.Length;
        int k = mu.Length / d;
        Span<double> xc = stackalloc double[d];
        double s = 0;
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < d; j++)
            {
                xc[j] = x[j] - mu[c * d + j];
            }

            double dist = 0;
            for (int j = 0; j < d; j++)
            {
                dist += xc[j] * xc[j];
            }

            s = Math.Sqrt((s * s) + Math.Exp(-dist));
        }

        return Math.Log(s) + (xc[0] * xc[d - 1]);
    }
}
