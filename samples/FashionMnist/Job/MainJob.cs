using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using DiffGen.Adversarial;
using DiffGen.Data;
using FashionMnist.Model;
using FashionMnist.Plots;

namespace FashionMnist.Job;

/// <summary>
/// The main job: train θ = (W1, c, W2, d, W3) by minibatch SGD on Fashion-MNIST (θ moves), then attack the trained
/// network with the gradient with respect to the input (x moves), and write summary.json and the pictures.
/// </summary>
public static class MainJob
{
    private static readonly double[] Epsilons = { 0.05, 0.1, 0.2 };

    public static int Run(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        using ScaleOut scale = ScaleOut.Start(options.ScaleOut);
        Directory.CreateDirectory(options.OutputDirectory);
        Dataset train, test;
        try
        {
            (train, test) = LoadData(options);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine("Cannot load the data: " + ex.Message);
            return 1;
        }

        var network = Network.Create(options.Model, options.Seed);
        Console.WriteLine($"Fashion-MNIST from {options.DataDirectory}: {train.Count} training and {test.Count} test images; {network.Description}");
        Console.WriteLine($"SGD: batch {options.BatchSize}, η = {options.LearningRate} (cosine), momentum {options.Momentum} (Nesterov), {options.Epochs} epochs, seed {options.Seed}");

        var summary = new JsonObject
        {
            ["model"] = network.Name,
            ["seed"] = options.Seed,
            ["epochs"] = options.Epochs,
            ["batchSize"] = options.BatchSize,
            ["learningRate"] = options.LearningRate,
            ["optimizer"] = $"SGD momentum {options.Momentum} Nesterov, cosine schedule",
            ["trainImages"] = train.Count,
            ["testImages"] = test.Count,
        };

        // 1. Training: θ moves.
        var clock = Stopwatch.StartNew();
        List<EpochResult>? epochs = options.ScaleOut.Enabled
            ? DataParallelTrainer.Train(scale, network, train, test, options, Print)
            : Trainer.Train(network, train, test, options, options.Epochs, adversary: null, Print);
        if (epochs is null || !scale.IsReporter)
        {
            return epochs is null ? 1 : 0; // the other ranks' part ends with training; rank 0 evaluates, attacks and writes
        }

        double trainSeconds = clock.Elapsed.TotalSeconds;
        double accuracy = epochs.Count > 0 ? epochs[^1].TestAccuracy : network.Accuracy(test.Features, test.Labels);
        Console.WriteLine($"Test accuracy {accuracy:P2} after {trainSeconds:F1} s of training");
        summary["testAccuracy"] = accuracy;
        summary["trainSeconds"] = trainSeconds;
        summary["history"] = History(epochs);
        network.Parameters.Save(Path.Combine(options.OutputDirectory, network.Name + ".params"));
        Charts.LossAndAccuracy(Path.Combine(options.OutputDirectory, "loss.png"), epochs.Select(e => e.TrainLoss).ToList(), epochs.Select(e => e.TestAccuracy).ToList());

        // The lecture's first picture: 1-D gradient descent on a cross-entropy curve.
        const double Eta = 1.5;
        List<double> iterates = Descent.Run(-3.5, Eta, 12);
        Charts.Descent(Path.Combine(options.OutputDirectory, "descent.png"), Descent.Loss, -4, 4, iterates, Eta, "Gradient descent on a 1-D cross-entropy loss");

        // 2. Attacks: x moves.
        if (!options.SkipAttacks)
        {
            Attack(network, test, summary, options.OutputDirectory);
        }

        // 3. Optional: adversarial training, compared side by side.
        if (options.AdversarialTraining)
        {
            summary["adversarialTraining"] = AdversarialTraining(network, train, test, options);
        }

        string path = Path.Combine(options.OutputDirectory, "summary.json");
        File.WriteAllText(path, summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"Wrote {path}, loss.png, descent.png{(options.SkipAttacks ? string.Empty : ", attack.png")} and {network.Name}.params to {Path.GetFullPath(options.OutputDirectory)}");
        return 0;
    }

    private static void Attack(Network network, Dataset test, JsonObject summary, string outputDirectory)
    {
        double clean = network.Accuracy(test.Features, test.Labels);
        summary["cleanAccuracy"] = clean;
        Console.WriteLine($"Clean accuracy {clean:P2}; attacking the test set (L∞, pixels in [0, 1]):");
        var clock = Stopwatch.StartNew();
        List<AttackResult> attacks = AttackReport.Untargeted(network, test, Epsilons, r => Console.WriteLine($"  {r.Attack,-6} ε = {r.Epsilon,-4}: accuracy {r.Accuracy:P2}"));
        summary["attacks"] = new JsonArray(attacks.Select(a => (JsonNode)new JsonObject
        {
            ["attack"] = a.Attack,
            ["norm"] = a.Norm,
            ["epsilon"] = a.Epsilon,
            ["accuracy"] = a.Accuracy,
        }).ToArray());

        TargetedResult targeted = AttackReport.Targeted(network, test, 0.1);
        Console.WriteLine($"  targeted PGD-{AttackReport.PgdSteps} ε = 0.1: {targeted.Source} → {targeted.Target} succeeds on {targeted.SuccessRate:P1} of {targeted.Examples} images");
        summary["targeted"] = new JsonObject
        {
            ["source"] = targeted.Source,
            ["target"] = targeted.Target,
            ["epsilon"] = targeted.Epsilon,
            ["examples"] = targeted.Examples,
            ["successRate"] = targeted.SuccessRate,
        };
        summary["attackSeconds"] = clock.Elapsed.TotalSeconds;

        var examples = AttackReport.Examples(network, test, 0.1f, 4)
            .Select(e => new AttackExample(e.Original, e.Adversarial, e.OriginalP, e.AdversarialP, e.Label)).ToList();
        if (examples.Count > 0)
        {
            Charts.Attack(Path.Combine(outputDirectory, "attack.png"), examples, AttackReport.ClassNames, $"PGD-{AttackReport.PgdSteps}, L∞, ε = 0.1");
        }
    }

    /// <summary>PGD-100, the published comparison's attack, runs on this many test images (it costs 100 gradients per image).</summary>
    private const int Pgd100Images = 1000;

    private static JsonObject AdversarialTraining(Network ordinary, Dataset train, Dataset test, Options options)
    {
        float epsilon = (float)options.AdversarialEpsilon;
        int warmup = options.AdversarialWarmup;
        Console.WriteLine($"Adversarial training (PGD-7, ε = {epsilon}{(warmup > 0 ? $", reached after {warmup} epochs" : string.Empty)}) for {options.AdversarialEpochs} epochs:");
        Network robust = Network.Create(options.Model, options.Seed);
        var clock = Stopwatch.StartNew();
        List<EpochResult> epochs = Trainer.Train(robust, train, test, options, options.AdversarialEpochs,
            epoch => AttackReport.CreatePgd(robust, epsilon * Math.Min(1f, warmup > 0 ? (float)epoch / warmup : 1f), 7), Print);
        double seconds = clock.Elapsed.TotalSeconds;
        var result = new JsonObject { ["epochs"] = options.AdversarialEpochs, ["trainSeconds"] = seconds, ["attack"] = $"PGD-7 Linf epsilon {epsilon}", ["epsilon"] = epsilon, ["warmupEpochs"] = warmup };
        Dataset subset = test.Take(Math.Min(Pgd100Images, test.Count));
        foreach ((string name, Network network) in new[] { ("ordinary", ordinary), ("adversariallyTrained", robust) })
        {
            double clean = network.Accuracy(test.Features, test.Labels);
            double pgd = RobustAccuracy.Evaluate(network.Classifier, AttackReport.CreatePgd(network, epsilon, AttackReport.PgdSteps), test.Features, test.Labels, 500).AdversarialAccuracy;
            double pgd100 = RobustAccuracy.Evaluate(network.Classifier, AttackReport.CreatePgd(network, epsilon, 100), subset.Features, subset.Labels, 500).AdversarialAccuracy;
            Console.WriteLine($"  {name,-22} clean {clean:P2}   PGD-{AttackReport.PgdSteps} ε = {epsilon}: {pgd:P2}   PGD-100 ({subset.Count} images): {pgd100:P2}");
            result[name] = new JsonObject { ["cleanAccuracy"] = clean, ["pgd20Accuracy"] = pgd, ["pgd100Accuracy"] = pgd100, ["pgd100Images"] = subset.Count };
        }

        return result;
    }

    private static (Dataset Train, Dataset Test) LoadData(Options options)
    {
        Dataset train = Idx.LoadDataset(Find(options.DataDirectory, "train-images-idx3-ubyte"), Find(options.DataDirectory, "train-labels-idx1-ubyte"), 10);
        Dataset test = Idx.LoadDataset(Find(options.DataDirectory, "t10k-images-idx3-ubyte"), Find(options.DataDirectory, "t10k-labels-idx1-ubyte"), 10);
        if (options.TrainLimit > 0 && options.TrainLimit < train.Count)
        {
            train = train.Take(options.TrainLimit);
        }

        if (options.TestLimit > 0 && options.TestLimit < test.Count)
        {
            test = test.Take(options.TestLimit);
        }

        return (train, test);
    }

    private static string Find(string directory, string name)
    {
        foreach (string candidate in new[] { name + ".gz", name })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"'{name}' (.gz or raw IDX) not found in '{Path.GetFullPath(directory)}'; pass --data DIR with the Fashion-MNIST IDX files.", Path.Combine(directory, name));
    }

    internal static JsonArray History(IEnumerable<EpochResult> epochs) => new(epochs.Select(e => (JsonNode)new JsonObject
    {
        ["epoch"] = e.Epoch,
        ["trainLoss"] = e.TrainLoss,
        ["testAccuracy"] = e.TestAccuracy,
        ["seconds"] = e.Seconds,
        ["samplesPerSecond"] = e.SamplesPerSecond,
        ["learningRate"] = e.LearningRate,
    }).ToArray());

    private static void Print(EpochResult e) =>
        Console.WriteLine($"  epoch {e.Epoch,2}: loss {e.TrainLoss:F4}  test accuracy {e.TestAccuracy:P2}  {e.SamplesPerSecond,8:F0} samples/s  ({e.Seconds:F1} s, η = {e.LearningRate:G3})");
}
