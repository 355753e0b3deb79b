using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Tests.Optimization;

/// <summary>
/// Runs real torch.optim (Debian's python3-torch, which ./test.sh installs) on the same initial values and gradient
/// sequence and compares every step's parameters. Tolerances: float64 1e-12·(1+|θ|) (torch's kernels may fuse
/// multiply-adds), float32 1e-5·(1+|θ|).
/// </summary>
public class TorchTrajectoryTests
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys
        import torch
        torch.set_num_threads(1)
        spec = json.load(sys.stdin)
        dtype = torch.float64 if spec["dtype"] == "float64" else torch.float32
        out = []
        for cfg in spec["configs"]:
            params = [torch.tensor(t, dtype=dtype, requires_grad=True) for t in spec["theta"]]
            cls = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW}[cfg["kind"]]
            kwargs = dict(cfg["kwargs"])
            if "betas" in kwargs:
                kwargs["betas"] = tuple(kwargs["betas"])
            opt = cls(params, **kwargs)
            trajectory = []
            for step_grads in spec["grads"]:
                opt.zero_grad()
                for p, g in zip(params, step_grads):
                    p.grad = torch.tensor(g, dtype=dtype)
                opt.step()
                trajectory.append([p.detach().tolist() for p in params])
            out.append(trajectory)
        json.dump({"torch": torch.__version__, "trajectories": out}, sys.stdout)
        """;

    private static readonly (string Kind, string Kwargs)[] Configs =
    [
        ("SGD", """{"lr": 0.05, "momentum": 0.9, "nesterov": true, "weight_decay": 0.01}"""),
        ("SGD", """{"lr": 0.1, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.02, "maximize": true}"""),
        ("Adam", """{"lr": 0.03, "betas": [0.8, 0.95], "eps": 1e-3, "weight_decay": 0.05, "amsgrad": true}"""),
        ("Adam", """{"lr": 0.01, "maximize": true}"""),
        ("AdamW", """{"lr": 0.03, "betas": [0.9, 0.9], "eps": 1e-6, "weight_decay": 0.1, "amsgrad": true}"""),
        ("AdamW", """{"lr": 0.02}"""),
    ];

    [Fact]
    public void Float64_TrajectoriesMatchTorch() => Compare<double>("float64", 1e-12);

    [Fact]
    public void Float32_TrajectoriesMatchTorch() => Compare<float>("float32", 1e-5);

    private static void Compare<T>(string dtype, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int steps = 6;
        (Parameters<T> initial, double[][] theta) = OptimizerHarness.Create<T>(seed: 77);
        var rng = new Random(78);
        var grads = new double[steps][][];
        for (int s = 0; s < steps; s++)
        {
            grads[s] = OptimizerHarness.SetRandomGradients(initial, rng, OptimizerHarness.GradientScales[s]);
        }

        var input = new JsonObject
        {
            ["dtype"] = dtype,
            ["theta"] = JsonSerializer.SerializeToNode(theta),
            ["grads"] = JsonSerializer.SerializeToNode(grads),
            ["configs"] = new JsonArray(Configs.Select(c => (JsonNode)new JsonObject { ["kind"] = c.Kind, ["kwargs"] = JsonNode.Parse(c.Kwargs) }).ToArray()),
        };
        JsonNode output = RunTorch(input.ToJsonString());

        for (int c = 0; c < Configs.Length; c++)
        {
            (Parameters<T> set, _) = OptimizerHarness.Create<T>(seed: 77);
            IOptimizer optimizer = Create(set, Configs[c].Kind, JsonNode.Parse(Configs[c].Kwargs)!.AsObject());
            for (int s = 0; s < steps; s++)
            {
                for (int k = 0; k < set.Count; k++)
                {
                    for (int i = 0; i < set[k].Length; i++)
                    {
                        set[k].Grad[i] = T.CreateTruncating(grads[s][k][i]);
                    }
                }

                optimizer.Step();
                double[][] expected = output["trajectories"]![c]![s]!.AsArray().Select(p => p!.AsArray().Select(x => x!.GetValue<double>()).ToArray()).ToArray();
                OptimizerHarness.AssertClose(set, expected, tolerance, $"{Configs[c].Kind} {Configs[c].Kwargs} ({dtype}, torch {output["torch"]}) step {s + 1}");
            }
        }
    }

    private static IOptimizer Create<T>(Parameters<T> set, string kind, JsonObject kw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double Get(string name, double fallback) => kw[name]?.GetValue<double>() ?? fallback;
        bool Flag(string name) => kw[name]?.GetValue<bool>() ?? false;
        double beta1 = kw["betas"]?[0]?.GetValue<double>() ?? 0.9;
        double beta2 = kw["betas"]?[1]?.GetValue<double>() ?? 0.999;
        return kind switch
        {
            "SGD" => new Sgd<T>(set, Get("lr", 0), Get("momentum", 0), Get("dampening", 0), Get("weight_decay", 0), Flag("nesterov"), Flag("maximize")),
            "Adam" => new Adam<T>(set, Get("lr", 1e-3), beta1, beta2, Get("eps", 1e-8), Get("weight_decay", 0), Flag("amsgrad"), Flag("maximize")),
            "AdamW" => new AdamW<T>(set, Get("lr", 1e-3), beta1, beta2, Get("eps", 1e-8), Get("weight_decay", 1e-2), Flag("amsgrad"), Flag("maximize")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static JsonNode RunTorch(string input)
    {
        const string install = "PyTorch is required for this reference check: run ./test.sh (it installs Debian's python3-torch) or `apt-get install python3-torch`.";
        Assert.True(File.Exists(Python), $"{Python} not found. {install}");
        string scriptPath = Path.Combine(Path.GetTempPath(), $"diffgen-torch-optim-{Guid.NewGuid():N}.py");
        File.WriteAllText(scriptPath, Script);
        try
        {
            var info = new ProcessStartInfo(Python, [scriptPath])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using Process process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(input);
            process.StandardInput.Close();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(180_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("The torch reference script did not finish within 180 s.");
            }

            string errors = stderr.Result;
            Assert.True(
                process.ExitCode == 0,
                errors.Contains("No module named 'torch'", StringComparison.Ordinal)
                    ? $"{Python} cannot import torch. {install}"
                    : $"The torch reference script failed (exit {process.ExitCode}):\n{errors}");
            return JsonNode.Parse(stdout) ?? throw new InvalidOperationException("The torch script printed nothing.");
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }
}
