using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks;

/// <summary>
/// <c>--paired [class-name substring…]</c>: time ratios robust to a shared, loaded machine. For every benchmark class
/// with a <c>Baseline = true</c> method (a [Params] class once per value), each other [Benchmark] method M is timed against the baseline B in interleaved
/// batches (M, B, B, M, …, each batch ≈ 5 ms); every round gives one ratio time(M)/time(B), and the median and quartiles
/// over the rounds are printed; a method marked <see cref="PairedWithAttribute"/> is also paired with the method it names; Generated* methods and the baseline are also paired with <c>Primal</c> (gradient/primal). Load that changes during the run affects both sides of a round alike, which BenchmarkDotNet's
/// one-benchmark-after-another runs cannot offer. Also prints each method's median time per call (µs), for reference only.
/// </summary>
public static class Paired
{
    private const int Rounds = 61;
    private const double BatchSeconds = 0.004;

    // Long enough for tiered compilation (tier 0 → instrumented → tier 1 after 30 calls and a 100 ms back-off, compiled in
    // the background) to finish before anything is timed: without it the class's first pair was timed on partly
    // unoptimised code (FgsmBenchmarks' first pair at ≈ 1600 µs per call on both sides vs ≈ 720 µs afterwards).
    private const double WarmupSeconds = 0.5;

    public static int Run(string[] selected)
    {
        Console.WriteLine("| class | method | median time/call (us) | ratio to baseline: median | quartiles |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (Type type in typeof(Paired).Assembly.GetTypes().OrderBy(t => t.Name))
        {
            MethodInfo[] methods = [.. type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)];
            MethodInfo? baseline = methods.FirstOrDefault(m => m.GetCustomAttribute<BenchmarkAttribute>()!.Baseline);
            if (baseline is null || (selected.Length > 0 && !selected.Any(s => type.Name.Contains(s, StringComparison.OrdinalIgnoreCase))))
            {
                continue;
            }

            // A [Params] class runs once per value, labelled with it.
            PropertyInfo? parameter = type.GetProperties().FirstOrDefault(p => p.GetCustomAttribute<ParamsAttribute>() is not null);
            foreach (object? value in parameter?.GetCustomAttribute<ParamsAttribute>()!.Values ?? [null])
            {
                Run(type, methods, baseline, parameter, value);
            }
        }

        return 0;
    }

    private static void Run(Type type, MethodInfo[] methods, MethodInfo baseline, PropertyInfo? parameter, object? value)
    {
        string label = value is null ? type.Name : $"{type.Name}({value})";
        object instance = Activator.CreateInstance(type)!;
        parameter?.SetValue(instance, value);
        foreach (MethodInfo setup in type.GetMethods().Where(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null))
        {
            setup.Invoke(instance, null);
        }

        // Every method against the baseline; the generated one (and the baseline) also against the primal.
        MethodInfo? primal = methods.FirstOrDefault(m => m.Name == "Primal");
        var pairs = methods.Where(m => m != baseline).Select(m => (Method: m, Baseline: baseline)).ToList();
        foreach (MethodInfo method in methods)
        {
            foreach (PairedWithAttribute with in method.GetCustomAttributes<PairedWithAttribute>())
            {
                pairs.Add((method, methods.Single(m => m.Name == with.Method)));
            }
        }

        if (primal is not null)
        {
            pairs.AddRange(methods.Where(m => m.Name.StartsWith("Generated", StringComparison.Ordinal) || m == baseline).Select(m => (m, primal)));
        }

        foreach (MethodInfo method in methods)
        {
            WarmUp(ToAction(method, instance));
        }

        foreach ((MethodInfo method, MethodInfo against) in pairs)
        {
            Action b = ToAction(against, instance);
            int calls = Calibrate(b);
            Action m = ToAction(method, instance);
            var ratios = new List<double>();
            var times = new List<double>();
            var baseTimes = new List<double>();
            Time(m, calls);
            for (int round = 0; round < Rounds; round++)
            {
                double tm, tb;
                if (round % 2 == 0)
                {
                    tm = Time(m, calls);
                    tb = Time(b, calls);
                }
                else
                {
                    tb = Time(b, calls);
                    tm = Time(m, calls);
                }

                ratios.Add(tm / tb);
                times.Add(tm / calls * 1e6);
                baseTimes.Add(tb / calls * 1e6);
            }

            ratios.Sort();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {label} | {method.Name} / {against.Name} | {Median(times):G4} / {Median(baseTimes):G4} | {ratios[Rounds / 2]:F2} | {ratios[Rounds / 4]:F2}–{ratios[3 * Rounds / 4]:F2} |"));
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static void WarmUp(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        for (int calls = 0; calls < 100 || Stopwatch.GetElapsedTime(start).TotalSeconds < WarmupSeconds; calls++)
        {
            action();
        }
    }

    private static int Calibrate(Action action)
    {
        for (int i = 0; i < 3; i++)
        {
            action();
        }

        int calls = 1;
        while (Time(action, calls) < BatchSeconds && calls < (1 << 26))
        {
            calls *= 2;
        }

        return calls;
    }

    private static double Time(Action action, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            action();
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static Action ToAction(MethodInfo method, object instance)
    {
        if (method.ReturnType == typeof(void))
        {
            return method.CreateDelegate<Action>(instance);
        }

        if (method.ReturnType == typeof(float))
        {
            Func<float> f = method.CreateDelegate<Func<float>>(instance);
            return () => f();
        }

        if (method.ReturnType == typeof(double))
        {
            Func<double> f = method.CreateDelegate<Func<double>>(instance);
            return () => f();
        }

        throw new NotSupportedException($"{method.Name} returns {method.ReturnType}.");
    }
}
