using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DiffGen.GradBench.Modules;
using DiffGen.GradBench.Protocol;

namespace DiffGen.Benchmarks.GradBench;

/// <summary>
/// Every derivative function of the gradbench tool (tools/GradBench), exactly as an <c>evaluate</c> message runs it
/// (input parsed and buffers allocated beforehand, one <see cref="Evaluation.Run"/> per call): the generated variant
/// against the hand-written one. Which parts of a "generated" function are still hand-written (ht's chain between its
/// two stages, kmeans' first derivative) is in docs/gradbench.md.
/// </summary>
[MemoryDiagnoser]
public class GradBenchBenchmarks : ISmokeCheck
{
    private Evaluation _generated = null!, _handWritten = null!;

    [Params(
        "hello/double", "llsq/gradient", "lse/gradient", "ode/gradient", "det/gradient", "gmm/jacobian", "lstm/jacobian",
        "ba/jacobian", "ht/jacobian", "kmeans/dir", "particle/rr", "saddle/rr")]
    public string Function { get; set; } = "hello/double";

    [GlobalSetup]
    public void Setup()
    {
        _generated = Prepare(Variant.Generated);
        _handWritten = Prepare(Variant.HandWritten);
    }

    [Benchmark]
    public void Generated() => _generated.Run();

    [Benchmark(Baseline = true)]
    public void HandWritten() => _handWritten.Run();

    /// <summary>Both variants' outputs agree (1e-9 relative to max(1, |·|), every number); neither allocates per call.</summary>
    public string? Check()
    {
        _generated.Run();
        _handWritten.Run();
        return Benchmarks.HandWritten.Agree<double>(Function, Numbers(_generated), Numbers(_handWritten), 1e-9)
            ?? Benchmarks.HandWritten.NoAllocation(Function + " generated", _generated.Run)
            ?? Benchmarks.HandWritten.NoAllocation(Function + " hand-written", _handWritten.Run);
    }

    private Evaluation Prepare(Variant variant)
    {
        string module = Function[..Function.IndexOf('/')];
        string function = Function[(module.Length + 1)..];
        IModule m = Module.All(variant).Single(x => x.Name == module);
        using JsonDocument input = JsonDocument.Parse(GradBenchInputs.For(module));
        return m.Prepare(function, input.RootElement.Clone());
    }

    /// <summary>Every number of an evaluation's output, in order.</summary>
    private static double[] Numbers(Evaluation evaluation)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            evaluation.WriteOutput(writer);
        }

        var numbers = new List<double>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Number)
            {
                numbers.Add(e.GetDouble());
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement c in e.EnumerateArray())
                {
                    Walk(c);
                }
            }
            else if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in e.EnumerateObject())
                {
                    Walk(p.Value);
                }
            }
        }

        using JsonDocument document = JsonDocument.Parse(buffer.ToArray());
        Walk(document.RootElement);
        return [.. numbers];
    }
}
