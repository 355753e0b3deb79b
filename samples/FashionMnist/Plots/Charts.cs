using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace FashionMnist.Plots;

/// <summary>
/// The sample's figures, each written as a PNG file: the training curve, the one-dimensional
/// gradient-descent picture and the adversarial-example slide.
/// </summary>
public static class Charts
{
    /// <summary>Pixels in one Fashion-MNIST image (28 × 28).</summary>
    public const int ImagePixels = ImageSide * ImageSide;

    /// <summary>Side of a Fashion-MNIST image in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>
    /// Training curve: the training loss per epoch on the left axis and the test accuracy per
    /// epoch, in percent, on the right axis.
    /// </summary>
    /// <param name="path">The PNG file to write; its folder is created if missing.</param>
    /// <param name="trainLoss">Mean training loss of epochs 1..N.</param>
    /// <param name="testAccuracy">
    /// Test accuracy after epochs 1..N, as fractions in [0, 1]; a list whose largest value exceeds 1
    /// is taken to be in percent already (values in [0, 100]).
    /// </param>
    public static void LossAndAccuracy(string path, IReadOnlyList<double> trainLoss, IReadOnlyList<double> testAccuracy)
    {
        CheckPath(path);
        CheckSeries(trainLoss, nameof(trainLoss));
        CheckSeries(testAccuracy, nameof(testAccuracy));
        if (testAccuracy.Count != trainLoss.Count)
        {
            throw new ArgumentException(
                Format($"Expected one accuracy per epoch ({trainLoss.Count}), got {testAccuracy.Count}."),
                nameof(testAccuracy));
        }

        double max = 0;
        foreach (double a in testAccuracy)
        {
            if (a < 0)
            {
                throw new ArgumentException(Format($"Accuracy {a} is negative."), nameof(testAccuracy));
            }

            max = Math.Max(max, a);
        }

        if (max > 100)
        {
            throw new ArgumentException(
                Format($"Accuracy {max} is neither a fraction in [0, 1] nor a percentage in [0, 100]."),
                nameof(testAccuracy));
        }

        double scale = max > 1 ? 1 : 100;
        var percent = new double[testAccuracy.Count];
        for (int i = 0; i < percent.Length; i++)
        {
            percent[i] = testAccuracy[i] * scale;
        }

        var loss = new double[trainLoss.Count];
        for (int i = 0; i < loss.Length; i++)
        {
            loss[i] = trainLoss[i];
        }

        CurveCharts.LossAndAccuracy(path, loss, percent);
    }

    /// <summary>
    /// The lecture's first picture: a 1-D loss curve f(θ) with the gradient-descent iterates
    /// θ₀..θ_T drawn on it, joined by arrows, the first few labelled with their step number.
    /// </summary>
    /// <param name="path">The PNG file to write; its folder is created if missing.</param>
    /// <param name="loss">The function f to draw.</param>
    /// <param name="thetaMin">Left end of the drawn range (widened if an iterate lies outside).</param>
    /// <param name="thetaMax">Right end of the drawn range (widened if an iterate lies outside).</param>
    /// <param name="iterates">θ₀, θ₁, …, θ_T.</param>
    /// <param name="learningRate">The step size η, shown in the title.</param>
    /// <param name="title">The chart title; η is appended.</param>
    public static void Descent(
        string path,
        Func<double, double> loss,
        double thetaMin,
        double thetaMax,
        IReadOnlyList<double> iterates,
        double learningRate,
        string title)
    {
        CheckPath(path);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(title);
        if (!double.IsFinite(thetaMin))
        {
            throw new ArgumentException("The range must be finite.", nameof(thetaMin));
        }

        if (!double.IsFinite(thetaMax) || thetaMax <= thetaMin)
        {
            throw new ArgumentException(
                Format($"The range [{thetaMin}, {thetaMax}] must be finite and non-empty."),
                nameof(thetaMax));
        }

        CheckSeries(iterates, nameof(iterates));
        if (!double.IsFinite(learningRate))
        {
            throw new ArgumentException("The learning rate must be finite.", nameof(learningRate));
        }

        var thetas = new double[iterates.Count];
        for (int i = 0; i < thetas.Length; i++)
        {
            thetas[i] = iterates[i];
        }

        CurveCharts.Descent(path, loss, thetaMin, thetaMax, thetas, learningRate, title);
    }

    /// <summary>
    /// The "dog → Siamese cat: 100 %" slide: one row per example showing the original image with
    /// its top-3 class probabilities, the perturbation (adversarial − original) on a diverging
    /// colour scale symmetric around 0, and the adversarial image with its new top-3 probabilities.
    /// </summary>
    /// <param name="path">The PNG file to write; its folder is created if missing.</param>
    /// <param name="examples">The rows; each image has 784 pixels, each probability vector one entry per class.</param>
    /// <param name="classNames">The class names, indexed by label.</param>
    /// <param name="attackDescription">The header line, for example "FGSM, ε = 0.10".</param>
    public static void Attack(
        string path,
        IReadOnlyList<AttackExample> examples,
        IReadOnlyList<string> classNames,
        string attackDescription)
    {
        CheckPath(path);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(attackDescription);
        if (examples.Count == 0)
        {
            throw new ArgumentException("At least one example is needed.", nameof(examples));
        }

        if (classNames.Count == 0)
        {
            throw new ArgumentException("At least one class name is needed.", nameof(classNames));
        }

        for (int c = 0; c < classNames.Count; c++)
        {
            if (classNames[c] is null)
            {
                throw new ArgumentException(Format($"Class name {c} is null."), nameof(classNames));
            }
        }

        for (int i = 0; i < examples.Count; i++)
        {
            AttackExample? e = examples[i];
            if (e is null)
            {
                throw new ArgumentException(Format($"Example {i} is null."), nameof(examples));
            }

            CheckVector(e.Original, ImagePixels, i, nameof(AttackExample.Original), nameof(examples));
            CheckVector(e.Adversarial, ImagePixels, i, nameof(AttackExample.Adversarial), nameof(examples));
            CheckVector(e.OriginalProbabilities, classNames.Count, i, nameof(AttackExample.OriginalProbabilities), nameof(examples));
            CheckVector(e.AdversarialProbabilities, classNames.Count, i, nameof(AttackExample.AdversarialProbabilities), nameof(examples));
            if (e.TrueLabel < 0 || e.TrueLabel >= classNames.Count)
            {
                throw new ArgumentException(
                    Format($"Example {i}: TrueLabel {e.TrueLabel} is not in [0, {classNames.Count})."),
                    nameof(examples));
            }
        }

        AttackSlide.Render(path, examples, classNames, attackDescription);
    }

    internal static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    internal static void EnsureFolder(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    private static void CheckPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("The output path is empty.", nameof(path));
        }
    }

    private static void CheckSeries(IReadOnlyList<double> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count == 0)
        {
            throw new ArgumentException("The list is empty.", name);
        }

        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(Format($"Element {i} is {values[i]}; values must be finite."), name);
            }
        }
    }

    private static void CheckVector(float[]? values, int length, int example, string member, string argument)
    {
        if (values is null)
        {
            throw new ArgumentException(Format($"Example {example}: {member} is null."), argument);
        }

        if (values.Length != length)
        {
            throw new ArgumentException(
                Format($"Example {example}: {member} has {values.Length} values, expected {length}."),
                argument);
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    Format($"Example {example}: {member}[{i}] is {values[i]}; values must be finite."),
                    argument);
            }
        }
    }
}
