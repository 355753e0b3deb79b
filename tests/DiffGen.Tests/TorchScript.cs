using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using Xunit;

namespace DiffGen.Tests;

/// <summary>
/// Runs a PyTorch reference script (copied next to the test assembly) with Debian's <c>/usr/bin/python3</c> and
/// <c>python3-torch</c>: writes the spec as INPUT.json, runs <c>python3 SCRIPT INPUT.json OUTPUT.json</c> on one thread,
/// and returns OUTPUT.json. The scripts exit with code 3 when torch cannot be imported; the test then fails saying how
/// to install it (test.sh installs it on fresh machines).
/// </summary>
internal static class TorchScript
{
    public const string Python = "/usr/bin/python3";

    public const string InstallHint = "Install PyTorch for Debian's interpreter: sudo apt-get update && sudo apt-get install -y python3-torch libopenblas0-pthread (test.sh does this on fresh machines).";

    /// <param name="script">The script's path relative to the test assembly's directory.</param>
    /// <param name="spec">Serialised to INPUT.json.</param>
    public static JsonDocument Run(string script, object spec)
    {
        string path = Path.Combine(AppContext.BaseDirectory, script);
        Assert.True(File.Exists(path), $"{path} is missing (the test project copies it to the output directory).");
        Assert.True(File.Exists(Python), $"{Python} (Debian's system interpreter) is missing. {InstallHint}");

        string directory = Path.Combine(Path.GetTempPath(), "diffgen-torch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string input = Path.Combine(directory, "input.json"), output = Path.Combine(directory, "output.json");
            File.WriteAllText(input, JsonSerializer.Serialize(spec));
            var start = new ProcessStartInfo(Python)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(path);
            start.ArgumentList.Add(input);
            start.ArgumentList.Add(output);
            start.Environment.Remove("PYTHONPATH");
            start.Environment.Remove("PYTHONHOME");
            start.Environment["OMP_NUM_THREADS"] = "1";
            using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{Python} {path} did not finish within 3 minutes.");
            }

            string errors = stderr.Result + stdout.Result;
            Assert.True(process.ExitCode != 3, $"PyTorch is not importable by {Python}: {errors.Trim()}\n{InstallHint}");
            Assert.True(process.ExitCode == 0, $"{script} failed with exit code {process.ExitCode}:\n{errors}");
            return JsonDocument.Parse(File.ReadAllText(output));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
