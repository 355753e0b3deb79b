using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace DiffGen.PackageTests;

/// <summary>
/// Packs <c>src/DiffGen</c> once per test class into a temporary local feed with a unique prerelease version (so no
/// cache can serve a stale copy), and prepares a consumer project exactly as a new user would create it:
/// <c>dotnet new console</c>, then <c>dotnet add package DiffGen --version X --source feed</c>. Tests copy that
/// project and change its sources.
/// </summary>
/// <remarks>
/// Isolation: the pack builds into its own <c>--artifacts-path</c> (never the repository's bin/obj, which a concurrent
/// build may be using); consumers restore into a temporary <c>NUGET_PACKAGES</c> folder, with the machine's global
/// packages folder as a read-only fallback so that packages already downloaded (the AOT compiler is large) are not
/// fetched again. The consumer's nuget.config lists the local feed and the machine's own package sources (copied from
/// <c>dotnet nuget list source</c>), because DiffGen depends on System.Numerics.Tensors. Set
/// <c>DIFFGEN_KEEP_PACKAGE_TESTS=1</c> to keep the temporary folder for inspection.
/// </remarks>
public sealed partial class PackageFixture : IDisposable
{
    public PackageFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        Version = string.Create(CultureInfo.InvariantCulture, $"1.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.g{Guid.NewGuid():N}")[..40];
        WorkDirectory = Directory.CreateTempSubdirectory("diffgen-package-tests-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(WorkDirectory, "feed")).FullName;
        string packages = Directory.CreateDirectory(Path.Combine(WorkDirectory, "packages")).FullName;
        ConsumerEnvironment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages };

        // 1. Pack, as docs/packaging.md says, plus a unique version and a private output tree.
        PackResult = DotNetCli.DotNet(
            RepositoryRoot, null,
            "pack", Path.Combine(RepositoryRoot, "src", "DiffGen", "DiffGen.csproj"),
            "-c", "Release", "-o", Feed, $"-p:Version={Version}",
            "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"), "-nodeReuse:false").EnsureSuccess();
        PackagePath = Path.Combine(Feed, $"DiffGen.{Version}.nupkg");
        SymbolPackagePath = Path.Combine(Feed, $"DiffGen.{Version}.snupkg");

        // 2. A nuget.config above every consumer: the local feed, the machine's sources, the global folder as fallback.
        IReadOnlyList<(string Name, string Url)> sources = MachinePackageSources(WorkDirectory);
        string globalPackages = GlobalPackagesFolder(WorkDirectory);
        WriteNuGetConfig(Path.Combine(WorkDirectory, "nuget.config"), Feed, sources, globalPackages);

        // 3. The consumer, exactly as a new user makes it.
        ConsumerTemplate = Path.Combine(WorkDirectory, "Consumer");
        DotNetCli.DotNet(WorkDirectory, ConsumerEnvironment, "new", "console", "-o", ConsumerTemplate, "-n", "Consumer").EnsureSuccess();
        DotNetCli.DotNet(ConsumerTemplate, ConsumerEnvironment, "add", "package", "DiffGen", "--version", Version, "--source", Feed).EnsureSuccess();
    }

    public string RepositoryRoot { get; }

    /// <summary>The unique prerelease version packed for this run.</summary>
    public string Version { get; }

    public string WorkDirectory { get; }

    public string Feed { get; }

    public string PackagePath { get; }

    public string SymbolPackagePath { get; }

    internal ProcessResult PackResult { get; }

    /// <summary>The consumer after <c>dotnet new console</c> and <c>dotnet add package</c>; copy it, do not edit it.</summary>
    public string ConsumerTemplate { get; }

    /// <summary>Environment for consumer commands: the private package folder.</summary>
    public IReadOnlyDictionary<string, string?> ConsumerEnvironment { get; }

    /// <summary>A fresh copy of the consumer project (its .csproj and sources, no bin/obj) in its own folder.</summary>
    public string NewConsumer(string name)
    {
        string target = Path.Combine(WorkDirectory, name);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(ConsumerTemplate))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("DIFFGEN_KEEP_PACKAGE_TESTS") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process we started may still hold a file for a moment; the folder is under the temp directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DiffGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No DiffGen.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The enabled sources of the user-level (and machine-wide) NuGet configuration.</summary>
    private static List<(string Name, string Url)> MachinePackageSources(string directory)
    {
        ProcessResult result = DotNetCli.DotNet(directory, null, "nuget", "list", "source", "--format", "Detailed").EnsureSuccess();
        var sources = new List<(string Name, string Url)>();
        string[] lines = result.Output.Split('\n', StringSplitOptions.TrimEntries);
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            Match match = SourceHeader().Match(lines[i]);
            if (match.Success && match.Groups["state"].Value == "Enabled" && lines[i + 1].Length > 0)
            {
                sources.Add((match.Groups["name"].Value, lines[i + 1]));
            }
        }

        if (sources.Count == 0)
        {
            throw new InvalidOperationException($"No enabled NuGet source in the machine's configuration:{Environment.NewLine}{result}");
        }

        return sources;
    }

    private static string GlobalPackagesFolder(string directory)
    {
        ProcessResult result = DotNetCli.DotNet(directory, null, "nuget", "locals", "global-packages", "--list").EnsureSuccess();
        Match match = GlobalPackagesLine().Match(result.Output);
        return match.Success ? match.Groups["path"].Value.Trim() : throw new InvalidOperationException($"Unexpected output:{Environment.NewLine}{result}");
    }

    private static void WriteNuGetConfig(string path, string feed, IReadOnlyList<(string Name, string Url)> sources, string globalPackages)
    {
        var xml = new StringBuilder();
        xml.AppendLine("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        xml.AppendLine("<configuration>");
        xml.AppendLine("  <packageSources>");
        xml.AppendLine("    <clear />");
        xml.AppendLine($"    <add key=\"diffgen-local\" value=\"{SecurityElement.Escape(feed)}\" />");
        foreach ((string name, string url) in sources.Where(s => s.Name != "diffgen-local"))
        {
            xml.AppendLine($"    <add key=\"{SecurityElement.Escape(name)}\" value=\"{SecurityElement.Escape(url)}\" />");
        }

        xml.AppendLine("  </packageSources>");
        xml.AppendLine("  <fallbackPackageFolders>");
        xml.AppendLine($"    <add key=\"machine-global-packages\" value=\"{SecurityElement.Escape(globalPackages)}\" />");
        xml.AppendLine("  </fallbackPackageFolders>");
        xml.AppendLine("</configuration>");
        File.WriteAllText(path, xml.ToString());
    }

    [GeneratedRegex(@"^\d+\.\s+(?<name>.+?)\s+\[(?<state>Enabled|Disabled)\]$")]
    private static partial Regex SourceHeader();

    [GeneratedRegex(@"global-packages:\s*(?<path>\S.*)$", RegexOptions.Multiline)]
    private static partial Regex GlobalPackagesLine();
}
