using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DiffGen.Adversarial;
using Xunit;
using Xunit.Abstractions;

namespace DiffGen.Tests.Adversarial;

/// <summary>
/// The attacks against PyTorch (issue #6, part 5): <c>torch_reference.py</c>, run with Debian's <c>/usr/bin/python3</c> and
/// <c>python3-torch</c>, recomputes them with autograd input gradients in float32 on the same fixed softmax regression and
/// batch (no random start). Asserted per attack: the perturbation x' − x has the same sign as PyTorch's wherever it is not
/// tiny (|·| &gt; 1e-5; for FGSM wherever |∇ₓL| &gt; 1e-6), max |x'_DiffGen − x'_torch| ≤ 1e-5, and the same robust accuracy
/// (or targeted success count). The tolerance covers float32 summation-order differences (≈ 1e-7 here); a single flipped
/// gradient sign would differ by 2α ≥ 0.02.
/// If torch cannot be imported the tests fail, saying how to install it (test.sh installs it on fresh machines).
/// </summary>
public sealed class TorchReferenceTests(ITestOutputHelper output)
{
    private const int Features = 20;
    private const int Classes = 4;
    private const int Rows = 32;
    private const float Lo = 0f, Hi = 1f;
    private const double Tolerance = 1e-5;

    private static readonly Lazy<Fixture> Data = new(Fixture.Create);

    private static readonly Lazy<JsonDocument> Torch = new(RunTorch);

    /// <summary>The attacks compared: name → (kind, targeted, ε, α, steps, μ).</summary>
    private static readonly Dictionary<string, (string Kind, bool Targeted, float Eps, float Alpha, int Steps, float Decay)> Attacks = new()
    {
        ["fgsm"] = ("fgsm", false, 0.05f, 0f, 1, 0f),
        ["fgsm_targeted"] = ("fgsm", true, 0.05f, 0f, 1, 0f),
        ["pgd_linf"] = ("linf", false, 0.05f, 0.01f, 10, 0f),
        ["pgd_linf_targeted"] = ("linf", true, 0.05f, 0.01f, 10, 0f),
        ["pgd_l2"] = ("l2", false, 0.5f, 0.1f, 10, 0f),
        ["pgd_l2_targeted"] = ("l2", true, 0.5f, 0.1f, 10, 0f),
        ["mi_fgsm"] = ("mi", false, 0.05f, 0.01f, 10, 1f),
        ["mi_fgsm_targeted"] = ("mi", true, 0.05f, 0.01f, 10, 0.5f),
    };

    public static TheoryData<string> AttackNames => new(Attacks.Keys);

    private sealed record Fixture(SoftmaxRegression Model, float[] X, int[] Labels, int[] Targets)
    {
        public static Fixture Create()
        {
            // Fixed model and batch (a seeded System.Random is stable across .NET versions).
            var random = new Random(20240611);
            var model = SoftmaxRegression.Random(Features, Classes, random, scale: 1.5f);
            var x = new float[Rows * Features];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = random.NextSingle();
            }

            // Mostly the clean prediction (so there is accuracy to attack), every fifth row another class.
            var labels = new int[Rows];
            model.Classify(x, labels);
            for (int r = 0; r < Rows; r += 5)
            {
                labels[r] = (labels[r] + 1) % Classes;
            }

            var targets = new int[Rows];
            for (int r = 0; r < Rows; r++)
            {
                targets[r] = r % 7 == 0 ? labels[r] : (labels[r] + 1 + (r % (Classes - 1))) % Classes;
            }

            return new Fixture(model, x, labels, targets);
        }
    }

    private static JsonDocument RunTorch()
    {
        Fixture data = Data.Value;
        var spec = new Dictionary<string, object>
        {
            ["features"] = Features,
            ["classes"] = Classes,
            // Floats go out as the exact double of each float32 value, so torch reads the very same numbers.
            ["weights"] = data.Model.Weights.Select(v => (double)v).ToArray(),
            ["bias"] = data.Model.Bias.Select(v => (double)v).ToArray(),
            ["x"] = data.X.Select(v => (double)v).ToArray(),
            ["labels"] = data.Labels,
            ["targets"] = data.Targets,
            ["lo"] = (double)Lo,
            ["hi"] = (double)Hi,
            ["attacks"] = Attacks.Select(a => new Dictionary<string, object>
            {
                ["name"] = a.Key, ["kind"] = a.Value.Kind, ["targeted"] = a.Value.Targeted,
                ["eps"] = (double)a.Value.Eps, ["alpha"] = (double)a.Value.Alpha, ["steps"] = a.Value.Steps, ["decay"] = (double)a.Value.Decay,
            }).ToArray(),
        };
        return TorchScript.Run(Path.Combine("Adversarial", "torch_reference.py"), spec);
    }

    private static AdversarialAttack CreateAttack(SoftmaxRegression model, string name)
    {
        var (kind, targeted, eps, alpha, steps, decay) = Attacks[name];
        return kind switch
        {
            "fgsm" => new Fgsm(model.InputGradient, Features, new FgsmOptions { Epsilon = eps, Targeted = targeted, Min = Lo, Max = Hi }),
            "linf" => new Pgd(model.InputGradient, Features, new PgdOptions { Epsilon = eps, StepSize = alpha, Steps = steps, Targeted = targeted, Min = Lo, Max = Hi }),
            "l2" => new Pgd(model.InputGradient, Features, new PgdOptions { Norm = Norm.L2, Epsilon = eps, StepSize = alpha, Steps = steps, Targeted = targeted, Min = Lo, Max = Hi }),
            "mi" => new MomentumIfgsm(model.InputGradient, Features, new MomentumIfgsmOptions { Epsilon = eps, StepSize = alpha, Steps = steps, Decay = decay, Targeted = targeted, Min = Lo, Max = Hi }),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    [Fact]
    public void InputGradient_MatchesAutograd()
    {
        Fixture data = Data.Value;
        float[] expected = Floats(Torch.Value.RootElement.GetProperty("gradient"));
        var actual = new float[data.X.Length];
        data.Model.InputGradient(data.X, data.Labels, actual);
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v));
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * scale, $"∂L/∂x[{i}]: {actual[i]:R} vs torch {expected[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(AttackNames))]
    public void Attack_MatchesPyTorch(string name)
    {
        Fixture data = Data.Value;
        JsonElement root = Torch.Value.RootElement;
        JsonElement reference = root.GetProperty("results").GetProperty(name);
        float[] expected = Floats(reference.GetProperty("adversarial"));
        float[] gradient = Floats(root.GetProperty("gradient"));
        bool targeted = Attacks[name].Targeted;

        AdversarialAttack attack = CreateAttack(data.Model, name);
        var actual = new float[data.X.Length];
        attack.Perturb(data.X, targeted ? data.Targets : data.Labels, actual);

        Assert.Equal(expected.Length, actual.Length);
        double maxDifference = 0;
        int compared = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double mine = (double)actual[i] - data.X[i], theirs = (double)expected[i] - data.X[i];
            maxDifference = Math.Max(maxDifference, Math.Abs((double)actual[i] - expected[i]));
            bool significant = Attacks[name].Kind == "fgsm" && !targeted
                ? Math.Abs(gradient[i]) > 1e-6
                : Math.Max(Math.Abs(mine), Math.Abs(theirs)) > Tolerance;
            if (significant)
            {
                compared++;
                Assert.True(Math.Sign(mine) == Math.Sign(theirs), $"{name}: perturbation sign of x[{i}]: {mine:R} vs torch {theirs:R}");
            }
        }

        Assert.True(maxDifference <= Tolerance, $"{name}: max |x'_DiffGen − x'_torch| = {maxDifference:R} > {Tolerance}");
        Assert.True(compared > actual.Length / 2, $"{name}: only {compared} of {actual.Length} perturbations were large enough to compare signs");

        output.WriteLine($"{name} (torch {root.GetProperty("torch").GetString()}): max |Δ| = {maxDifference:R}, signs compared = {compared}/{actual.Length}, torch hits = {reference.GetProperty("hits").GetInt32()}");

        // The same robust accuracy (untargeted) or targeted success count, through the evaluation API.
        int hits = reference.GetProperty("hits").GetInt32();
        if (targeted)
        {
            TargetedSuccessResult result = TargetedSuccessRate.Evaluate(
                data.Model.Classify, CreateAttack(data.Model, name), data.X, data.Labels, data.Targets, batchSize: Rows);
            Assert.Equal(hits, result.Succeeded);
            Assert.Equal(data.Labels.Zip(data.Targets).Count(p => p.First != p.Second), result.Eligible);
        }
        else
        {
            RobustAccuracyResult result = RobustAccuracy.Evaluate(data.Model.Classify, CreateAttack(data.Model, name), data.X, data.Labels, batchSize: Rows);
            Assert.Equal(hits, result.AdversarialCorrect);
            Assert.Equal(root.GetProperty("clean_correct").GetInt32(), result.CleanCorrect);
            Assert.True(result.AdversarialCorrect < result.CleanCorrect, $"{name}: the attack should lower the accuracy ({result.CleanCorrect} → {result.AdversarialCorrect})");
        }
    }
}
