using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Adversarial;
using DiffGen.Data;
using FashionMnist.Model;

namespace FashionMnist.Job;

public sealed record AttackResult(string Attack, string Norm, double Epsilon, double Accuracy);

public sealed record TargetedResult(string Source, string Target, double Epsilon, int Examples, double SuccessRate);

/// <summary>
/// The same gradient taken with respect to the data: x₊ = x ± α·sign ∇ₓLoss(x, y, θ). Untargeted attacks ascend the
/// loss of the true label; the targeted one descends the loss of the chosen label.
/// </summary>
public static class AttackReport
{
    public static readonly string[] ClassNames = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    public const int Sneaker = 7;
    public const int Bag = 8;
    public const int PgdSteps = 20;

    public static Pgd CreatePgd(Network network, float epsilon, int steps, bool targeted = false) =>
        new(network.InputGradient, Network.Inputs, new PgdOptions { Epsilon = epsilon, StepSize = 2.5f * epsilon / steps, Steps = steps, Norm = Norm.Linf, Targeted = targeted });

    public static List<AttackResult> Untargeted(Network network, Dataset test, IReadOnlyList<double> epsilons, Action<AttackResult> report)
    {
        var results = new List<AttackResult>();
        foreach (double epsilon in epsilons)
        {
            var fgsm = new Fgsm(network.InputGradient, Network.Inputs, new FgsmOptions { Epsilon = (float)epsilon });
            AttackResult f = new("FGSM", "Linf", epsilon, RobustAccuracy.Evaluate(network.Classifier, fgsm, test.Features, test.Labels, 500).AdversarialAccuracy);
            results.Add(f);
            report(f);

            AttackResult p = new("PGD-" + PgdSteps, "Linf", epsilon, RobustAccuracy.Evaluate(network.Classifier, CreatePgd(network, (float)epsilon, PgdSteps), test.Features, test.Labels, 500).AdversarialAccuracy);
            results.Add(p);
            report(p);
        }

        return results;
    }

    /// <summary>Every test "Sneaker" pushed towards "Bag" by targeted PGD.</summary>
    public static TargetedResult Targeted(Network network, Dataset test, double epsilon)
    {
        int[] rows = Enumerable.Range(0, test.Count).Where(i => test.Labels[i] == Sneaker).ToArray();
        float[] x = new float[rows.Length * Network.Inputs];
        int[] labels = new int[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            test.GetFeatures(rows[k]).CopyTo(x.AsSpan(k * Network.Inputs, Network.Inputs));
            labels[k] = Sneaker;
        }

        int[] targets = Enumerable.Repeat(Bag, rows.Length).ToArray();
        Pgd attack = CreatePgd(network, (float)epsilon, PgdSteps, targeted: true);
        TargetedSuccessResult result = TargetedSuccessRate.Evaluate(network.Classifier, attack, x, labels, targets, 500);
        return new TargetedResult(ClassNames[Sneaker], ClassNames[Bag], epsilon, result.Eligible, result.SuccessRate);
    }

    /// <summary>A few correctly classified test images, their PGD versions, and both sets of class probabilities.</summary>
    public static List<(float[] Original, float[] Adversarial, float[] OriginalP, float[] AdversarialP, int Label)> Examples(Network network, Dataset test, float epsilon, int count)
    {
        var examples = new List<(float[], float[], float[], float[], int)>();
        Pgd attack = CreatePgd(network, epsilon, PgdSteps);
        int[] prediction = new int[1];
        for (int i = 0; i < test.Count && examples.Count < count; i++)
        {
            float[] original = test.GetFeatures(i).ToArray();
            int label = test.Labels[i];
            network.Predict(original, prediction);
            if (prediction[0] != label || examples.Any(e => e.Item5 == label))
            {
                continue; // one correctly classified example per class, for variety
            }

            float[] adversarial = new float[Network.Inputs];
            attack.Perturb(original, new[] { label }, adversarial);
            examples.Add((original, adversarial, network.Probabilities(original), network.Probabilities(adversarial), label));
        }

        return examples;
    }
}
