using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace DiffGen.PackageTests;

/// <summary>The output and exit code of one child process.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() => $"$ {CommandLine}  (exit {ExitCode}, {Elapsed.TotalSeconds:F1} s){Environment.NewLine}{Output}";
}

/// <summary>
/// Runs <c>dotnet</c> (and other programs) the way a user's shell would: a clean environment without the MSBuild
/// variables that <c>dotnet test</c> sets for its own build, no MSBuild node reuse and no compiler server (both keep
/// processes alive that hold our redirected output open), telemetry and banners off.
/// </summary>
internal static class DotNetCli
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The <c>dotnet</c> host that runs these tests (so children use the same SDK), else the one on PATH.</summary>
    public static string DotNetPath { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static ProcessResult DotNet(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
        => Run(DotNetPath, workingDirectory, environment, arguments);

    public static ProcessResult Run(string fileName, string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var inherited = new List<string>();
        foreach (string key in startInfo.Environment.Keys)
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                inherited.Add(key);
            }
        }

        foreach (string key in inherited)
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["UseSharedCompilation"] = "false";
        startInfo.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        if (environment is not null)
        {
            foreach (KeyValuePair<string, string?> pair in environment)
            {
                startInfo.Environment[pair.Key] = pair.Value;
            }
        }

        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string commandLine = $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}";
        if (!process.WaitForExit(DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{commandLine}' in {workingDirectory} did not finish within {DefaultTimeout}.{Environment.NewLine}{output}");
        }

        process.WaitForExit(); // drains the asynchronous output readers
        return new ProcessResult(commandLine, process.ExitCode, Snapshot(output), stopwatch.Elapsed);
    }

    /// <summary>Throws with the full log unless the command succeeded.</summary>
    public static ProcessResult EnsureSuccess(this ProcessResult result)
        => result.ExitCode == 0 ? result : throw new InvalidOperationException($"Command failed:{Environment.NewLine}{result}");

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
