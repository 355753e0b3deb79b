using System;
using System.Globalization;
using System.IO;

namespace FashionMnist.Job;

/// <summary>Command-line options of the main job.</summary>
public sealed record Options
{
    public string DataDirectory { get; init; } = DefaultDataDirectory();

    public string OutputDirectory { get; init; } = "out";

    /// <summary>"cnn" or "mlp" (see <see cref="Model.Network.Create"/>).</summary>
    public string Model { get; init; } = "cnn";

    /// <summary>Training epochs; without --epochs, the model's default (<see cref="DefaultEpochs"/>).</summary>
    public int Epochs { get; init; } = DefaultEpochs("cnn");

    public int BatchSize { get; init; } = 64;

    public double LearningRate { get; init; } = 0.05;

    public double Momentum { get; init; } = 0.9;

    public int Seed { get; init; } = 1;

    /// <summary>Use only this many training images (0 = all): for quick runs and tests.</summary>
    public int TrainLimit { get; init; }

    /// <summary>Use only this many test images (0 = all).</summary>
    public int TestLimit { get; init; }

    public bool AdversarialTraining { get; init; }

    public int AdversarialEpochs { get; init; } = 6;

    /// <summary>ε (L∞) of the PGD examples the second network trains on, and of the attacks that evaluate both.</summary>
    public double AdversarialEpsilon { get; init; } = 0.1;

    /// <summary>Epochs over which the training ε grows linearly to <see cref="AdversarialEpsilon"/> (0: full ε from the start).</summary>
    public int AdversarialWarmup { get; init; }

    public bool SkipAttacks { get; init; }

    public bool Help { get; init; }

    public ScaleOutOptions ScaleOut { get; init; } = new();

    public const string Usage = """
        FashionMnist: train a CNN (or the lecture's MLP 784→256→128→10) with minibatch SGD, then attack it.
        Options:
          --model cnn|mlp         the network (default cnn: conv 32 → pool → conv 64 → pool → 128 → 10)
          --data DIR              IDX files (train-images-idx3-ubyte[.gz], …); default: samples/data/fashion-mnist
          --out DIR               output directory (summary.json, loss.png, descent.png, attack.png, MODEL.params); default: out
          --epochs N              training epochs (default: cnn 8, mlp 12)
          --batch-size N          minibatch size (default 64)
          --lr X                  learning rate (default 0.05, SGD with momentum 0.9, cosine schedule)
          --seed N                seed for initialisation and shuffling (default 1)
          --train-limit N         use the first N training images only
          --test-limit N          use the first N test images only
          --adversarial-training  also train a second network on PGD examples and compare robustness
          --adversarial-epochs N  epochs for the adversarially trained network (default 6)
          --adversarial-epsilon X ε of its PGD-7 training examples and of the PGD-20/PGD-100 evaluation (default 0.1)
          --adversarial-warmup N  grow the training ε linearly over the first N epochs (default 0: full ε from the start)
          --skip-attacks          train and evaluate only
          --help                  this text
        """ + ScaleOutOptions.Usage;

    public static Options Parse(string[] args)
    {
        var options = new Options();
        bool epochsGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option {args[i]} needs a value.");
            int NextInt() => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v : throw new ArgumentException($"Option {args[i - 1]} needs a non-negative integer, got '{args[i]}'.");
            double NextDouble() => double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 ? v : throw new ArgumentException($"Option {args[i - 1]} needs a positive number, got '{args[i]}'.");
            int GivenEpochs()
            {
                epochsGiven = true;
                return NextInt();
            }

            options = args[i] switch
            {
                "--data" => options with { DataDirectory = Next() },
                "--out" => options with { OutputDirectory = Next() },
                "--model" => options with { Model = Next() is "cnn" or "mlp" ? args[i] : throw new ArgumentException($"Option --model needs cnn or mlp, got '{args[i]}'.") },
                "--epochs" => options with { Epochs = GivenEpochs() },
                "--batch-size" => options with { BatchSize = Math.Max(1, NextInt()) },
                "--lr" => options with { LearningRate = NextDouble() },
                "--seed" => options with { Seed = NextInt() },
                "--train-limit" => options with { TrainLimit = NextInt() },
                "--test-limit" => options with { TestLimit = NextInt() },
                "--adversarial-training" => options with { AdversarialTraining = true },
                "--adversarial-epochs" => options with { AdversarialEpochs = NextInt() },
                "--adversarial-epsilon" => options with { AdversarialEpsilon = NextDouble() },
                "--adversarial-warmup" => options with { AdversarialWarmup = NextInt() },
                "--skip-attacks" => options with { SkipAttacks = true },
                "--help" or "-h" => options with { Help = true },
                string o when ScaleOutOptions.Handles(o) => options with { ScaleOut = options.ScaleOut.With(o, Next) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}"),
            };
        }

        return epochsGiven ? options : options with { Epochs = DefaultEpochs(options.Model) };
    }

    /// <summary>Epochs that reach each model's stated accuracy (README) with the default schedule.</summary>
    public static int DefaultEpochs(string model) => model == "mlp" ? 12 : 8;

    /// <summary>The data shipped in the repository: samples/data/fashion-mnist, found from the working or program directory.</summary>
    private static string DefaultDataDirectory()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "samples", "data", "fashion-mnist");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return Path.Combine("samples", "data", "fashion-mnist");
    }
}
