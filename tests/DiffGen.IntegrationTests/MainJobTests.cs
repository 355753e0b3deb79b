using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace DiffGen.IntegrationTests;

/// <summary>The main job end to end on a slice: it trains, attacks, writes its outputs, and is reproducible by seed.</summary>
public class MainJobTests
{
    [Fact]
    public void RunsOnASliceWritesOutputsAndIsReproducible()
    {
        string data = Path.Combine(EndToEndTrainingTests.RepositoryRoot(), "samples", "data", "fashion-mnist");
        string first = Path.Combine(Path.GetTempPath(), "diffgen-mainjob-" + Guid.NewGuid().ToString("N"));
        string second = first + "-again";
        try
        {
            string[] args = { "--model", "mlp", "--data", data, "--train-limit", "3000", "--test-limit", "600", "--epochs", "2", "--seed", "5" };
            Assert.Equal(0, FashionMnist.Job.MainJob.Run(args.Concat(new[] { "--out", first }).ToArray()));
            Assert.Equal(0, FashionMnist.Job.MainJob.Run(args.Concat(new[] { "--out", second, "--skip-attacks" }).ToArray()));

            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(first, "summary.json")));
            JsonElement root = summary.RootElement;
            double accuracy = root.GetProperty("testAccuracy").GetDouble();
            Assert.True(accuracy > 0.6, $"accuracy {accuracy} on a 3000-image slice after 2 epochs");
            Assert.True(root.GetProperty("trainSeconds").GetDouble() > 0);
            Assert.Equal(2, root.GetProperty("epochs").GetInt32());
            Assert.Equal(5, root.GetProperty("seed").GetInt32());
            Assert.Equal("mlp", root.GetProperty("model").GetString());

            // Attacks: six untargeted results, each no better than clean accuracy; PGD at least as strong as FGSM.
            double clean = root.GetProperty("cleanAccuracy").GetDouble();
            JsonElement[] attacks = root.GetProperty("attacks").EnumerateArray().ToArray();
            Assert.Equal(6, attacks.Length);
            foreach (double epsilon in new[] { 0.05, 0.1, 0.2 })
            {
                double fgsm = attacks.Single(a => a.GetProperty("attack").GetString() == "FGSM" && a.GetProperty("epsilon").GetDouble() == epsilon).GetProperty("accuracy").GetDouble();
                double pgd = attacks.Single(a => a.GetProperty("attack").GetString() == "PGD-20" && a.GetProperty("epsilon").GetDouble() == epsilon).GetProperty("accuracy").GetDouble();
                Assert.True(fgsm < clean && pgd <= fgsm + 0.02, $"ε = {epsilon}: clean {clean}, FGSM {fgsm}, PGD {pgd}");
                Assert.Equal("Linf", attacks.First().GetProperty("norm").GetString());
            }

            JsonElement targeted = root.GetProperty("targeted");
            Assert.Equal("Sneaker", targeted.GetProperty("source").GetString());
            Assert.Equal("Bag", targeted.GetProperty("target").GetString());
            Assert.True(targeted.GetProperty("successRate").GetDouble() > 0.5);

            foreach (string file in new[] { "loss.png", "descent.png", "attack.png", "mlp.params" })
            {
                Assert.True(new FileInfo(Path.Combine(first, file)).Length > 1000, file);
            }

            // Same seed, same data: the same accuracy and the same parameters, bit for bit.
            using JsonDocument again = JsonDocument.Parse(File.ReadAllText(Path.Combine(second, "summary.json")));
            Assert.Equal(accuracy, again.RootElement.GetProperty("testAccuracy").GetDouble());
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, "mlp.params")), File.ReadAllBytes(Path.Combine(second, "mlp.params")));
        }
        finally
        {
            foreach (string dir in new[] { first, second })
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
    }

    /// <summary>The CNN (the default model) on a smaller slice: it learns, the attacks weaken it, and a rerun is bit-for-bit the same.</summary>
    [Fact]
    public void CnnRunsOnASliceWritesOutputsAndIsReproducible()
    {
        string data = Path.Combine(EndToEndTrainingTests.RepositoryRoot(), "samples", "data", "fashion-mnist");
        string first = Path.Combine(Path.GetTempPath(), "diffgen-mainjob-cnn-" + Guid.NewGuid().ToString("N"));
        string second = first + "-again";
        try
        {
            string[] args = { "--data", data, "--train-limit", "1280", "--test-limit", "300", "--epochs", "1", "--seed", "3" };
            Assert.Equal(0, FashionMnist.Job.MainJob.Run(args.Concat(new[] { "--out", first }).ToArray()));
            Assert.Equal(0, FashionMnist.Job.MainJob.Run(args.Concat(new[] { "--out", second, "--skip-attacks" }).ToArray()));

            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(first, "summary.json")));
            JsonElement root = summary.RootElement;
            Assert.Equal("cnn", root.GetProperty("model").GetString());
            double accuracy = root.GetProperty("testAccuracy").GetDouble();
            Assert.True(accuracy > 0.6, $"accuracy {accuracy} on a 1280-image slice after 1 epoch");

            double clean = root.GetProperty("cleanAccuracy").GetDouble();
            JsonElement[] attacks = root.GetProperty("attacks").EnumerateArray().ToArray();
            Assert.Equal(6, attacks.Length);
            double pgd = attacks.Single(a => a.GetProperty("attack").GetString() == "PGD-20" && a.GetProperty("epsilon").GetDouble() == 0.1).GetProperty("accuracy").GetDouble();
            Assert.True(pgd < clean / 2, $"PGD-20 at ε = 0.1 should at least halve the accuracy: clean {clean}, PGD {pgd}");

            foreach (string file in new[] { "loss.png", "attack.png", "cnn.params" })
            {
                Assert.True(new FileInfo(Path.Combine(first, file)).Length > 1000, file);
            }

            // Two threads share each convolution, yet the result is deterministic: the same parameters, bit for bit.
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, "cnn.params")), File.ReadAllBytes(Path.Combine(second, "cnn.params")));
        }
        finally
        {
            foreach (string dir in new[] { first, second })
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
    }

    /// <summary>--adversarial-training at a chosen ε: both networks get clean, PGD-20 and PGD-100 accuracy, and training on PGD examples helps against PGD.</summary>
    [Fact]
    public void AdversarialTrainingReportsCleanAndRobustAccuracyOfBothNetworks()
    {
        string data = Path.Combine(EndToEndTrainingTests.RepositoryRoot(), "samples", "data", "fashion-mnist");
        string output = Path.Combine(Path.GetTempPath(), "diffgen-mainjob-at-" + Guid.NewGuid().ToString("N"));
        try
        {
            string[] args =
            {
                "--model", "mlp", "--data", data, "--out", output, "--train-limit", "2000", "--test-limit", "200", "--epochs", "2",
                "--skip-attacks", "--adversarial-training", "--adversarial-epochs", "2", "--adversarial-epsilon", "0.2",
            };
            Assert.Equal(0, FashionMnist.Job.MainJob.Run(args));

            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
            JsonElement result = summary.RootElement.GetProperty("adversarialTraining");
            Assert.Equal(0.2, result.GetProperty("epsilon").GetDouble(), 6);
            Assert.Equal(2, result.GetProperty("epochs").GetInt32());
            JsonElement ordinary = result.GetProperty("ordinary"), robust = result.GetProperty("adversariallyTrained");
            foreach (JsonElement network in new[] { ordinary, robust })
            {
                double clean = network.GetProperty("cleanAccuracy").GetDouble();
                double pgd20 = network.GetProperty("pgd20Accuracy").GetDouble(), pgd100 = network.GetProperty("pgd100Accuracy").GetDouble();
                Assert.Equal(200, network.GetProperty("pgd100Images").GetInt32());
                Assert.True(pgd20 <= clean && pgd100 <= pgd20 + 0.02, $"clean {clean}, PGD-20 {pgd20}, PGD-100 {pgd100}");
            }

            double before = ordinary.GetProperty("pgd20Accuracy").GetDouble(), after = robust.GetProperty("pgd20Accuracy").GetDouble();
            Assert.True(after > before + 0.1, $"PGD-20 accuracy at ε = 0.2: ordinary {before}, adversarially trained {after}");
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Fact]
    public void MissingDataIsAClearErrorNotACrash()
    {
        string empty = Directory.CreateTempSubdirectory("diffgen-nodata").FullName;
        try
        {
            var error = new StringWriter();
            TextWriter saved = Console.Error;
            Console.SetError(error);
            try
            {
                Assert.Equal(1, FashionMnist.Job.MainJob.Run(new[] { "--data", empty, "--out", Path.Combine(empty, "out") }));
            }
            finally
            {
                Console.SetError(saved);
            }

            Assert.Contains("train-images-idx3-ubyte", error.ToString());
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
