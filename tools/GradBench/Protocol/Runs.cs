using System.Collections.Generic;
using System.Diagnostics;
using System.Text.Json;

namespace DiffGen.GradBench.Protocol;

/// <summary>
/// gradbench's <c>Runs</c> fields: evaluate at least <c>min_runs</c> times and until the evaluations together took at
/// least <c>min_seconds</c>, whichever is longer; one timing per evaluation. Inputs without them (hello) run once.
/// </summary>
public static class Runs
{
    /// <summary>Reads <c>min_runs</c> (default 1, at least 1) and <c>min_seconds</c> (default 0) from an input object.</summary>
    public static (int MinRuns, double MinSeconds) Read(JsonElement input)
    {
        int minRuns = 1;
        double minSeconds = 0;
        if (input.ValueKind == JsonValueKind.Object)
        {
            if (input.TryGetProperty("min_runs", out JsonElement runs))
            {
                minRuns = runs.GetInt32();
            }

            if (input.TryGetProperty("min_seconds", out JsonElement seconds))
            {
                minSeconds = seconds.GetDouble();
            }
        }

        return (minRuns < 1 ? 1 : minRuns, minSeconds);
    }

    /// <summary>Runs <paramref name="evaluation"/> as the fields ask; returns each run's time in nanoseconds.</summary>
    public static List<long> Measure(Evaluation evaluation, int minRuns, double minSeconds)
    {
        var timings = new List<long>(minRuns);
        double nanosecondsPerTick = 1e9 / Stopwatch.Frequency;
        double elapsedSeconds = 0;
        while (timings.Count < minRuns || elapsedSeconds < minSeconds)
        {
            long start = Stopwatch.GetTimestamp();
            evaluation.Run();
            long ticks = Stopwatch.GetTimestamp() - start;
            long nanoseconds = (long)(ticks * nanosecondsPerTick);
            timings.Add(nanoseconds);
            elapsedSeconds += nanoseconds / 1e9;
        }

        return timings;
    }
}
