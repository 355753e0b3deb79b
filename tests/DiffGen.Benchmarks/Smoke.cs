using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks;

/// <summary>
/// <c>--smoke</c>: runs every [Benchmark] method of every benchmark class twice for every parameter value, outside
/// BenchmarkDotNet (seconds, not minutes), checks the MatMul variants agree with the baseline and runs each
/// <see cref="ISmokeCheck"/> (generated gradients against the hand-written ones). For CI: proves the
/// benchmarks still build and run, measures nothing. <c>--smoke NAME</c> runs only the classes whose name contains NAME.
/// </summary>
public static class Smoke
{
    public static int Run(string? only = null)
    {
        var watch = Stopwatch.StartNew();
        int failures = 0, runs = 0;
        foreach (Type type in typeof(Smoke).Assembly.GetTypes().Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
            && (only is null || t.Name.Contains(only, StringComparison.Ordinal))))
        {
            PropertyInfo? parameter = type.GetProperties().FirstOrDefault(p => p.GetCustomAttribute<ParamsAttribute>() is not null);
            object?[] values = parameter?.GetCustomAttribute<ParamsAttribute>()!.Values ?? [null];
            foreach (object? value in values)
            {
                object instance = Activator.CreateInstance(type)!;
                parameter?.SetValue(instance, value);
                foreach (MethodInfo setup in type.GetMethods().Where(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null))
                {
                    setup.Invoke(instance, null);
                }

                if (instance is ISmokeCheck check)
                {
                    runs++;
                    string label = $"{type.Name}.Check" + (value is null ? "" : $"({value})");
                    string? problem;
                    try
                    {
                        problem = check.Check();
                    }
                    catch (Exception ex)
                    {
                        problem = ex.ToString();
                    }

                    Console.WriteLine(problem is null ? $"ok   {label}" : $"FAIL {label}: {problem}");
                    failures += problem is null ? 0 : 1;
                }

                float[]? reference = null;
                foreach (MethodInfo method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
                {
                    string label = $"{type.Name}.{method.Name}" + (value is null ? "" : $"({value})");
                    try
                    {
                        method.Invoke(instance, null);
                        method.Invoke(instance, null);
                        runs++;
                        if (instance is MatMulBenchmarks matMul)
                        {
                            float[] result = matMul.Result.ToArray();
                            reference ??= result;
                            double worst = result.Zip(reference, (x, y) => Math.Abs(x - y) / Math.Max(1, Math.Abs(y))).Max();
                            if (worst > 1e-4)
                            {
                                Console.WriteLine($"FAIL {label}: differs from the baseline by {worst:E2} (relative)");
                                failures++;
                                continue;
                            }
                        }

                        Console.WriteLine($"ok   {label}");
                    }
                    catch (TargetInvocationException ex)
                    {
                        Console.WriteLine($"FAIL {label}: {ex.InnerException}");
                        failures++;
                    }
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"smoke: {runs} benchmarks ran, {failures} failed, {watch.Elapsed.TotalSeconds:F1} s"));
        return failures == 0 && runs > 0 ? 0 : 1;
    }
}
