using System;
using System.Collections.Generic;
using System.IO;

namespace FashionMnist.Plots;

/// <summary>
/// Renders the three charts from synthetic data, to check the figures without training a model:
/// <c>FashionMnist [--plots-demo] DIR</c> writes training.png, descent.png and attack.png to DIR.
/// </summary>
public static class PlotsDemo
{
    /// <summary>The Fashion-MNIST class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>Runs the demo; returns the process exit code.</summary>
    /// <param name="args">The output folder, optionally preceded by <c>--plots-demo</c>.</param>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int first = args.Length > 0 && args[0] == "--plots-demo" ? 1 : 0;
        if (args.Length != first + 1)
        {
            Console.Error.WriteLine("usage: FashionMnist [--plots-demo] OUTPUT_FOLDER");
            return 2;
        }

        string folder = args[first];
        Directory.CreateDirectory(folder);

        string training = Path.Combine(folder, "training.png");
        TrainingCurve(training);
        Console.WriteLine(training);

        string descent = Path.Combine(folder, "descent.png");
        DescentPicture(descent);
        Console.WriteLine(descent);

        string attack = Path.Combine(folder, "attack.png");
        AttackSlide(attack);
        Console.WriteLine(attack);
        return 0;
    }

    private static void TrainingCurve(string path)
    {
        var random = new Random(7);
        var loss = new List<double>();
        var accuracy = new List<double>();
        for (int epoch = 1; epoch <= 15; epoch++)
        {
            loss.Add(0.27 + 0.38 * Math.Exp(-0.33 * (epoch - 1)) + 0.008 * random.NextDouble());
            accuracy.Add(0.905 - 0.085 * Math.Exp(-0.4 * (epoch - 1)) + 0.006 * (random.NextDouble() - 0.5));
        }

        Charts.LossAndAccuracy(path, loss, accuracy);
    }

    private static void DescentPicture(string path)
    {
        // A tilted double well: gradient descent from the left settles in the nearer, worse minimum.
        static double F(double t) => 0.25 * t * t * t * t - t * t + 0.35 * t + 1.6;
        static double Gradient(double t) => t * t * t - 2 * t + 0.35;

        const double LearningRate = 0.035;
        var iterates = new List<double> { -2.3 };
        for (int step = 0; step < 25; step++)
        {
            iterates.Add(iterates[^1] - LearningRate * Gradient(iterates[^1]));
        }

        Charts.Descent(path, F, -2.5, 2.3, iterates, LearningRate, "Gradient descent on f(θ)");
    }

    private static void AttackSlide(string path)
    {
        var random = new Random(3);
        var examples = new List<AttackExample>
        {
            Example(random, Shape(Trouser), 1, 3, 0.97f, 0.91f),
            Example(random, Shape(Bag), 8, 4, 0.88f, 0.64f),
            Example(random, Shape(Boot), 9, 5, 0.995f, 0.999f),
        };
        Charts.Attack(path, examples, ClassNames, "FGSM (fast gradient sign method), ε = 0.10 in L∞, pixels clipped to [0, 1]");
    }

    private static AttackExample Example(Random random, float[] original, int label, int target, float before, float after)
    {
        const float Epsilon = 0.10f;
        var adversarial = new float[original.Length];
        for (int p = 0; p < original.Length; p++)
        {
            // A smooth pseudo-gradient sign pattern, as FGSM produces.
            int r = p / Charts.ImageSide;
            int c = p % Charts.ImageSide;
            double g = Math.Sin(0.9 * r + 0.4 * c + label) + 0.6 * Math.Cos(0.5 * r - 0.8 * c) + 1.4 * (random.NextDouble() - 0.5);
            adversarial[p] = Math.Clamp(original[p] + Epsilon * Math.Sign(g), 0f, 1f);
        }

        return new AttackExample(
            original,
            adversarial,
            Probabilities(random, label, before),
            Probabilities(random, target, after),
            label);
    }

    private static float[] Probabilities(Random random, int top, float mass)
    {
        var p = new float[ClassNames.Count];
        float rest = 1 - mass;
        float total = 0;
        for (int k = 0; k < p.Length; k++)
        {
            p[k] = k == top ? 0 : (float)Math.Pow(random.NextDouble(), 3);
            total += p[k];
        }

        for (int k = 0; k < p.Length; k++)
        {
            p[k] = k == top ? mass : p[k] / total * rest;
        }

        return p;
    }

    private static float[] Shape(Func<double, double, double> inside)
    {
        var image = new float[Charts.ImagePixels];
        for (int r = 0; r < Charts.ImageSide; r++)
        {
            for (int c = 0; c < Charts.ImageSide; c++)
            {
                double value = inside(r + 0.5, c + 0.5);
                double texture = 0.75 + 0.2 * Math.Sin(0.7 * r) * Math.Cos(0.5 * c);
                image[r * Charts.ImageSide + c] = (float)Math.Clamp(value * texture, 0, 1);
            }
        }

        return image;
    }

    private static double Trouser(double r, double c)
    {
        bool waist = r is > 2 and < 7 && c is > 8 and < 20;
        bool leftLeg = r is >= 7 and < 26 && c > 8 + (r - 7) * 0.1 && c < 13.5;
        bool rightLeg = r is >= 7 and < 26 && c > 14.5 && c < 20 - (r - 7) * 0.1;
        return waist || leftLeg || rightLeg ? 1 : 0;
    }

    private static double Bag(double r, double c)
    {
        bool body = r is > 10 and < 25 && c is > 4 and < 24;
        double dr = r - 11;
        double dc = c - 14;
        double ring = Math.Sqrt(dr * dr + dc * dc);
        bool handle = r < 11 && ring is > 5 and < 7;
        return body ? 0.9 : handle ? 0.7 : 0;
    }

    private static double Boot(double r, double c)
    {
        bool shaft = r is > 4 and < 22 && c is > 12 and < 21;
        bool foot = r is >= 16 and < 24 && c is > 3 and < 23 && (c - 3) + (24 - r) > 6;
        bool heel = r is >= 22 and < 25 && c is > 17 and < 22;
        return shaft || foot || heel ? 1 : 0;
    }
}
