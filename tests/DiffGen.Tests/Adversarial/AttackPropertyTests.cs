using System;
using CsCheck;
using DiffGen.Adversarial;
using Xunit;

namespace DiffGen.Tests.Adversarial;

/// <summary>Properties of every attack over random models, batches and settings (CsCheck).</summary>
public sealed class AttackPropertyTests
{
    /// <summary>A random attack setting: the model and batch come from <see cref="Seed"/>.</summary>
    public sealed record Case(
        int Rows, int Features, int Classes, bool SymmetricRange, float Epsilon, float StepSize, int Steps,
        bool L2, bool RandomStart, bool Targeted, float Decay, int Seed)
    {
        public float Lo => SymmetricRange ? -1f : 0f;

        public float Hi => 1f;

        /// <summary>
        /// Float tolerance for the ball check, computed in double: 1e-6·max(1, ε). Each adversarial feature is one float
        /// rounding (≤ ½ ulp ≤ 6e-8 for |x| ≤ 1) away from an exact point of the ball, so the L∞ excess is ≤ 6e-8 and the L2
        /// excess ≤ √features·6e-8 ≤ 3e-7 for ≤ 24 features.
        /// </summary>
        public double Tolerance => 1e-6 * Math.Max(1.0, Epsilon);
    }

    private static readonly Gen<Case> Cases = Gen.Select(
        Gen.Int[1, 5],
        Gen.Int[1, 24],
        Gen.Int[2, 4],
        Gen.Bool,
        Gen.Frequency((1, Gen.Const(0f)), (6, Gen.Float[0f, 0.6f]), (1, Gen.Float[0.6f, 3f])),
        Gen.Float[0.001f, 0.5f],
        Gen.Int[1, 6],
        Gen.Bool,
        Gen.Bool,
        Gen.Bool,
        Gen.Float[0f, 2f],
        Gen.Int,
        (rows, features, classes, symmetric, eps, step, steps, l2, randomStart, targeted, decay, seed) =>
            new Case(rows, features, classes, symmetric, eps, step, steps, l2, randomStart, targeted, decay, seed));

    private static (SoftmaxRegression Model, float[] X, int[] Labels) Build(Case c)
    {
        var random = new Random(c.Seed);
        var model = SoftmaxRegression.Random(c.Features, c.Classes, random, scale: 2f);
        var x = new float[c.Rows * c.Features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = c.Lo + ((c.Hi - c.Lo) * random.NextSingle());
        }

        var labels = new int[c.Rows];
        for (int r = 0; r < labels.Length; r++)
        {
            labels[r] = random.Next(c.Classes);
        }

        return (model, x, labels);
    }

    private static AdversarialAttack[] Attacks(Case c, InputGradient gradient)
    {
        return
        [
            new Fgsm(gradient, c.Features, new FgsmOptions { Epsilon = c.Epsilon, Min = c.Lo, Max = c.Hi, Targeted = c.Targeted }),
            new Bim(gradient, c.Features, new BimOptions { Epsilon = c.Epsilon, StepSize = c.StepSize, Steps = c.Steps, Min = c.Lo, Max = c.Hi, Targeted = c.Targeted }),
            new Pgd(gradient, c.Features, new PgdOptions
            {
                Epsilon = c.Epsilon, StepSize = c.StepSize, Steps = c.Steps, Min = c.Lo, Max = c.Hi, Targeted = c.Targeted,
                Norm = c.L2 ? Norm.L2 : Norm.Linf, RandomStart = c.RandomStart, Seed = (ulong)c.Seed,
            }),
            new MomentumIfgsm(gradient, c.Features, new MomentumIfgsmOptions
            {
                Epsilon = c.Epsilon, StepSize = c.StepSize, Steps = c.Steps, Min = c.Lo, Max = c.Hi, Targeted = c.Targeted, Decay = c.Decay,
            }),
        ];
    }

    [Fact]
    public void EveryAdversarialExample_IsInTheEpsilonBall_AndInTheRange()
    {
        Cases.Sample(c =>
        {
            var (model, x, labels) = Build(c);
            foreach (AdversarialAttack attack in Attacks(c, model.InputGradient))
            {
                var adversarial = new float[x.Length];
                attack.Perturb(x, labels, adversarial);
                bool l2 = attack is Pgd { Options.Norm: Norm.L2 };
                for (int r = 0; r < c.Rows; r++)
                {
                    double distance = 0;
                    for (int j = 0; j < c.Features; j++)
                    {
                        int i = (r * c.Features) + j;
                        float v = adversarial[i];
                        Assert.True(v >= c.Lo && v <= c.Hi, $"{attack.GetType().Name}: feature {i} = {v} outside [{c.Lo}, {c.Hi}]");
                        double d = Math.Abs((double)v - x[i]);
                        distance = l2 ? distance + (d * d) : Math.Max(distance, d);
                    }

                    if (l2)
                    {
                        distance = Math.Sqrt(distance);
                    }

                    Assert.True(
                        distance <= c.Epsilon + c.Tolerance,
                        $"{attack.GetType().Name} ({(l2 ? "L2" : "L∞")}): row {r} is {distance:R} from the original, ε = {c.Epsilon:R}");
                }
            }
        }, iter: 300);
    }

    [Fact]
    public void Fgsm_WithEpsilonZero_ChangesNothing_BitExact()
    {
        Cases.Sample(c =>
        {
            var (model, x, labels) = Build(c);
            var adversarial = new float[x.Length];
            new Fgsm(model.InputGradient, c.Features, new FgsmOptions { Epsilon = 0f, Min = c.Lo, Max = c.Hi, Targeted = c.Targeted })
                .Perturb(x, labels, adversarial);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(x[i]), BitConverter.SingleToInt32Bits(adversarial[i]));
            }
        }, iter: 200);
    }

    /// <summary>
    /// Binary logistic regression, L_t(x) = softplus(−s_t·(w·x + b)) with s_t = +1 for target 1 and −1 for target 0.
    /// Its input gradient is −s_t·σ(−s_t·(w·x + b))·w: a positive float times ∓w, so in float arithmetic every component
    /// has the sign of −s_t·w_j (or is 0) at every point. Every targeted attack therefore only ever moves feature j in the
    /// direction s_t·sign(w_j) (sign steps, L2 steps along ±w, MI-FGSM momentum as a positive sum of such vectors), and the
    /// ball projections and range clamps only pull a feature back towards the original (never past it: the original is
    /// inside both sets). So s_t·w_j·(x'_j − x_j) ≥ 0 for every j, exactly in float; hence the margin s_t·(w·x' + b) does
    /// not decrease, and L_t, decreasing in the margin, does not increase. This holds for the result, not just one step, and
    /// needs no random start (a random start may move against the gradient).
    /// </summary>
    private sealed class BinaryLogistic(float[] w, float b)
    {
        public float InputGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> targets, Span<float> gradient)
        {
            int features = w.Length;
            float loss = 0;
            for (int r = 0; r < targets.Length; r++)
            {
                float s = targets[r] == 1 ? 1f : -1f;
                float z = b;
                for (int j = 0; j < features; j++)
                {
                    z += w[j] * x[(r * features) + j];
                }

                float margin = s * z;
                float weight = 1f / (1f + MathF.Exp(margin)); // σ(−margin) > 0 (or 0 after underflow)
                loss += MathF.Log(1f + MathF.Exp(-margin));
                for (int j = 0; j < features; j++)
                {
                    gradient[(r * features) + j] += -s * weight * w[j];
                }
            }

            return loss;
        }

        public double MarginIncrease(ReadOnlySpan<float> before, ReadOnlySpan<float> after, int target)
        {
            double s = target == 1 ? 1 : -1, sum = 0;
            for (int j = 0; j < w.Length; j++)
            {
                double term = s * w[j] * ((double)after[j] - before[j]);
                Assert.True(term >= 0, $"feature {j} moved against the target: w = {w[j]}, {before[j]} → {after[j]}");
                sum += term;
            }

            return sum;
        }

        public double Loss(ReadOnlySpan<float> row, int target)
        {
            double z = b;
            for (int j = 0; j < w.Length; j++)
            {
                z += (double)w[j] * row[j];
            }

            double margin = target == 1 ? z : -z;
            return margin > 0 ? Math.Log(1 + Math.Exp(-margin)) : -margin + Math.Log(1 + Math.Exp(margin));
        }
    }

    [Fact]
    public void TargetedAttacks_NeverIncreaseTheTargetLoss_OnLogisticRegression()
    {
        Cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            var w = new float[c.Features];
            for (int j = 0; j < w.Length; j++)
            {
                w[j] = (2f * random.NextSingle()) - 1f;
            }

            var model = new BinaryLogistic(w, 0.2f * ((2f * random.NextSingle()) - 1f));
            var (_, x, _) = Build(c);
            var targets = new int[c.Rows];
            for (int r = 0; r < targets.Length; r++)
            {
                targets[r] = random.Next(2);
            }

            Case targeted = c with { Targeted = true, RandomStart = false };
            foreach (AdversarialAttack attack in Attacks(targeted, model.InputGradient))
            {
                var adversarial = new float[x.Length];
                attack.Perturb(x, targets, adversarial);
                for (int r = 0; r < c.Rows; r++)
                {
                    ReadOnlySpan<float> before = x.AsSpan(r * c.Features, c.Features);
                    ReadOnlySpan<float> after = adversarial.AsSpan(r * c.Features, c.Features);
                    Assert.True(model.MarginIncrease(before, after, targets[r]) >= 0);
                    double lossBefore = model.Loss(before, targets[r]), lossAfter = model.Loss(after, targets[r]);
                    // The margin computed in double can lose the last bits of a tiny increase: allow 1e-12 relative.
                    Assert.True(lossAfter <= lossBefore + (1e-12 * (1 + lossBefore)), $"{attack.GetType().Name}: target loss {lossBefore:R} → {lossAfter:R}");
                }
            }
        }, iter: 300);
    }

    /// <summary>
    /// adversarial may be x itself or overlap it (Perturb copies x only when it must; FGSM not even in place): every
    /// layout gives the bits of the separate output, and a separate output leaves x untouched.
    /// </summary>
    [Fact]
    public void InPlace_AndOverlappingOutputs_GiveTheSeparateResult_BitForBit()
    {
        static void AssertSameBits(float[] expected, ReadOnlySpan<float> actual, string what)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(
                    BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                    $"{what}: [{i}] {actual[i]:R} vs {expected[i]:R} (separate)");
            }
        }

        Cases.Sample(c =>
        {
            var (model, x, labels) = Build(c);
            int n = x.Length;
            float[] clean = (float[])x.Clone();
            AdversarialAttack[] attacks = Attacks(c, model.InputGradient);
            for (int a = 0; a < attacks.Length; a++)
            {
                string name = attacks[a].GetType().Name;
                var separate = new float[n];
                attacks[a].Perturb(x, labels, separate);
                AssertSameBits(clean, x, $"{name}: x after a separate call");

                float[] inPlace = (float[])x.Clone();
                Attacks(c, model.InputGradient)[a].Perturb(inPlace, labels, inPlace);
                AssertSameBits(separate, inPlace, $"{name} in place");

                foreach (int shift in new[] { 1, 5, 16, 17 })
                {
                    // adversarial starts `shift` values after x, then `shift` values before it, in one buffer.
                    var buffer = new float[n + shift];
                    x.CopyTo(buffer, 0);
                    Attacks(c, model.InputGradient)[a].Perturb(buffer.AsSpan(0, n), labels, buffer.AsSpan(shift, n));
                    AssertSameBits(separate, buffer.AsSpan(shift, n), $"{name}, adversarial {shift} after x");

                    buffer = new float[n + shift];
                    x.CopyTo(buffer, shift);
                    Attacks(c, model.InputGradient)[a].Perturb(buffer.AsSpan(shift, n), labels, buffer.AsSpan(0, n));
                    AssertSameBits(separate, buffer.AsSpan(0, n), $"{name}, adversarial {shift} before x");
                }
            }
        }, iter: 200);
    }

    [Fact]
    public void InvalidOptions_ThrowArgumentOutOfRange_NamingTheProperty()
    {
        Gen.Float[-1e6f, -1e-6f].Sample(bad =>
        {
            Assert.Equal("Epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new FgsmOptions { Epsilon = bad }).ParamName);
            Assert.Equal("StepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new PgdOptions { Epsilon = 1, StepSize = bad, Steps = 1 }).ParamName);
            Assert.Equal("Decay", Assert.Throws<ArgumentOutOfRangeException>(() => new MomentumIfgsmOptions { Epsilon = 1, StepSize = 1, Steps = 1, Decay = bad }).ParamName);
        }, iter: 50);
        Gen.Int[int.MinValue, 0].Sample(bad =>
            Assert.Equal("Steps", Assert.Throws<ArgumentOutOfRangeException>(() => new BimOptions { Epsilon = 1, StepSize = 1, Steps = bad }).ParamName), iter: 50);

        Assert.Equal("Epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new FgsmOptions { Epsilon = float.NaN }).ParamName);
        Assert.Equal("StepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new BimOptions { Epsilon = 1, StepSize = 0f, Steps = 1 }).ParamName);
        Assert.Equal("StepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new BimOptions { Epsilon = 1, StepSize = float.PositiveInfinity, Steps = 1 }).ParamName);
        Assert.Equal("Min", Assert.Throws<ArgumentOutOfRangeException>(() => new FgsmOptions { Epsilon = 1, Min = float.NaN }).ParamName);
        Assert.Equal("Max", Assert.Throws<ArgumentOutOfRangeException>(() => new FgsmOptions { Epsilon = 1, Max = float.NaN }).ParamName);
    }

    [Fact]
    public void MinNotBelowMax_ThrowsArgumentException_NamingOptions()
    {
        InputGradient g = static (x, y, dx) => 0f;
        Gen.Select(Gen.Float[-10f, 10f], Gen.Float[0f, 10f]).Sample((max, gap) =>
        {
            float min = max + gap; // min ≥ max
            var fgsm = new FgsmOptions { Epsilon = 0.1f, Min = min, Max = max };
            var bim = new BimOptions { Epsilon = 0.1f, StepSize = 0.1f, Steps = 1, Min = min, Max = max };
            var pgd = new PgdOptions { Epsilon = 0.1f, StepSize = 0.1f, Steps = 1, Min = min, Max = max };
            var mi = new MomentumIfgsmOptions { Epsilon = 0.1f, StepSize = 0.1f, Steps = 1, Min = min, Max = max };
            Assert.Equal("options", Assert.Throws<ArgumentException>(() => new Fgsm(g, 3, fgsm)).ParamName);
            Assert.Equal("options", Assert.Throws<ArgumentException>(() => new Bim(g, 3, bim)).ParamName);
            Assert.Equal("options", Assert.Throws<ArgumentException>(() => new Pgd(g, 3, pgd)).ParamName);
            Assert.Equal("options", Assert.Throws<ArgumentException>(() => new MomentumIfgsm(g, 3, mi)).ParamName);
        }, iter: 50);
    }

    [Fact]
    public void MismatchedLengths_ThrowArgumentException_NamingTheArgument()
    {
        InputGradient g = static (x, y, dx) => 0f;
        Gen.Select(Gen.Int[1, 8], Gen.Int[0, 6], Gen.Int[1, 20]).Sample((features, rows, delta) =>
        {
            var attack = new Pgd(g, features, new PgdOptions { Epsilon = 0.1f, StepSize = 0.1f, Steps = 2, Norm = Norm.L2 });
            var x = new float[rows * features];
            var labels = new int[rows];
            var output = new float[x.Length];

            if (features > 1)
            {
                var ragged = new float[(rows * features) + 1 + (delta % (features - 1))];
                Assert.Equal("x", Assert.Throws<ArgumentException>(() => attack.Perturb(ragged, new int[rows], new float[ragged.Length])).ParamName);
            }

            Assert.Equal("labels", Assert.Throws<ArgumentException>(() => attack.Perturb(x, new int[rows + delta], output)).ParamName);
            Assert.Equal("adversarial", Assert.Throws<ArgumentException>(() => attack.Perturb(x, labels, new float[x.Length + delta])).ParamName);
            if (rows > 0)
            {
                Assert.Equal("labels", Assert.Throws<ArgumentException>(() => attack.Perturb(x, new int[rows - 1], output)).ParamName);
                Assert.Equal("adversarial", Assert.Throws<ArgumentException>(() => attack.Perturb(x, labels, new float[x.Length - 1])).ParamName);
            }
        }, iter: 100);

        Assert.Equal("features", Assert.Throws<ArgumentOutOfRangeException>(() => new Fgsm(g, 0, new FgsmOptions { Epsilon = 1 })).ParamName);
        Assert.Equal("inputGradient", Assert.Throws<ArgumentNullException>(() => new Fgsm(null!, 2, new FgsmOptions { Epsilon = 1 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(
            () => new Pgd(g, 2, new PgdOptions { Epsilon = float.PositiveInfinity, StepSize = 1, Steps = 1, RandomStart = true })).ParamName);
    }
}
