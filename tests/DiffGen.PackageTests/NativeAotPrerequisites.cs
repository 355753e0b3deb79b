using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace DiffGen.PackageTests;

/// <summary>
/// What Native AOT needs on Linux besides the ILCompiler packages (which restore from the package source): a clang
/// driver (<c>clang</c> or a versioned <c>clang-N</c>, which the ILCompiler also finds), the linker it drives
/// (<c>ld</c>, binutils; .NET 10 links with bfd on Linux by default) and zlib's development library. When something
/// is missing and we run as root, install it with apt-get; otherwise say exactly what is missing.
/// </summary>
internal static class NativeAotPrerequisites
{
    private const string AptPackages = "clang lld zlib1g-dev";

    public static void Ensure()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return; // Windows needs the MSVC linker, macOS Xcode: outside this test's scope; the publish reports them.
        }

        List<string> missing = Missing();
        if (missing.Count == 0)
        {
            return;
        }

        string wanted = string.Join(", ", missing);
        if (!IsRoot())
        {
            throw new InvalidOperationException(
                $"Native AOT prerequisites missing: {wanted}. Install them (Debian/Ubuntu: sudo apt-get install -y {AptPackages}) or run the tests as root, which installs them.");
        }

        if (!File.Exists("/usr/bin/apt-get"))
        {
            throw new InvalidOperationException($"Native AOT prerequisites missing: {wanted}, and there is no apt-get to install them with ({AptPackages} on Debian).");
        }

        var environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        DotNetCli.Run("apt-get", "/", environment, "update", "-qq").EnsureSuccess();
        DotNetCli.Run("apt-get", "/", environment, ["install", "-y", "-qq", "--no-install-recommends", .. AptPackages.Split(' ')]).EnsureSuccess();
        missing = Missing();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Native AOT prerequisites still missing after apt-get install {AptPackages}: {string.Join(", ", missing)}.");
        }
    }

    private static List<string> Missing()
    {
        var missing = new List<string>();
        if (!OnPath(name => name == "clang" || (name.StartsWith("clang-", StringComparison.Ordinal) && name[6..].All(char.IsAsciiDigit) && name.Length > 6)))
        {
            missing.Add("clang (package clang)");
        }

        if (!OnPath(name => name == "ld"))
        {
            missing.Add("ld (package binutils)");
        }

        string[] libraryDirectories = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64"];
        if (!libraryDirectories.Any(d => File.Exists(Path.Combine(d, "libz.so")) || File.Exists(Path.Combine(d, "libz.a"))))
        {
            missing.Add("zlib development library libz.so (package zlib1g-dev)");
        }

        return missing;
    }

    private static bool OnPath(Func<string, bool> matches)
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string directory in directories.Where(Directory.Exists))
        {
            if (Directory.EnumerateFiles(directory).Any(f => matches(Path.GetFileName(f))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRoot() => DotNetCli.Run("id", "/", null, "-u") is { ExitCode: 0 } id && id.Output.Trim() == "0";
}
