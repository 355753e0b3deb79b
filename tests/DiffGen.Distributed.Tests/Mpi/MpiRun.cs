using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace DiffGen.Distributed.Tests.Mpi;

/// <summary>
/// Starts <c>mpirun -np N dotnet PROGRAM ARGS</c> on this machine only (loopback: <c>--mca btl self,tcp</c>, TCP and the
/// runtime's out-of-band channel on <c>lo</c>), captures its output, and never lets it outlive its time limit: a run still
/// going then is killed with its whole process tree and reported as timed out.
/// </summary>
public sealed class MpiRun : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private MpiRun(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_err, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string Mpirun =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Select(d => Path.Combine(d, "mpirun")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("mpirun not found: install Open MPI (apt-get install openmpi-bin libopenmpi-dev; ./test.sh does).");

    /// <summary>This test assembly, which is also the rank program (Ranks/RankProgram.cs).</summary>
    public static string RankProgram => typeof(MpiRun).Assembly.Location;

    /// <summary>The main job's dll, built with this test project (same configuration).</summary>
    public static string MainJob
    {
        get
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // …/bin/<Configuration>/net10.0
            string configuration = bin.Parent!.Name;
            string dll = Path.Combine(RepositoryRoot, "samples", "FashionMnist", "bin", configuration, bin.Name, "FashionMnist.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("The main job is not built: build the solution first.", dll);
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "DiffGen.sln")))
                {
                    return d.FullName;
                }
            }

            throw new DirectoryNotFoundException("DiffGen.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public string Output
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_err)
            {
                return _err.ToString();
            }
        }
    }

    public string AllOutput => Output + Error;

    public TimeSpan Elapsed => _clock.Elapsed;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="ranks"/> copies of <c>dotnet <paramref name="dll"/> <paramref name="args"/></c>.</summary>
    public static MpiRun Start(int ranks, string dll, params string[] args)
    {
        var info = new ProcessStartInfo(Mpirun)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "--oversubscribe", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--mca", "btl", "self,tcp", "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo", "dotnet", dll })
        {
            info.ArgumentList.Add(a);
        }

        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        // CI runs as root, which Open MPI refuses unless told; TERM=dumb keeps terminal codes out of the captured output.
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        info.Environment["TERM"] = "dumb";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new MpiRun(Process.Start(info)!);
    }

    /// <summary>Runs to the end or kills the run after <paramref name="limit"/>; returns the exit code (−1 when it timed out).</summary>
    public int WaitForExit(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit))
        {
            Kill();
            return -1;
        }

        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, the run ends, or <paramref name="limit"/> passes.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && !_process.HasExited)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(20);
        }

        return condition();
    }

    /// <summary>The rank → pid table the main job prints on standard error ("rank R of N: pid P on HOST").</summary>
    public Dictionary<int, int> RankPids() =>
        Regex.Matches(Error, @"rank (\d+) of \d+: pid (\d+)").ToDictionary(m => int.Parse(m.Groups[1].Value), m => int.Parse(m.Groups[2].Value));

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public override string ToString() => $"exit after {Elapsed.TotalSeconds:F1} s\n--- stdout\n{Output}\n--- stderr\n{Error}";

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
