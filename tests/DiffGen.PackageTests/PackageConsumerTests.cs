using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace DiffGen.PackageTests;

/// <summary>
/// The package as a new user meets it (one pack for the whole class, see <see cref="PackageFixture"/>): its layout, the
/// README example built and run from it, the generator's diagnostics in the user's build, and a Native AOT publish.
/// </summary>
public sealed partial class PackageConsumerTests(PackageFixture package, ITestOutputHelper log) : IClassFixture<PackageFixture>
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void PackageHasTheRuntimeInLibAndTheGeneratorInAnalyzers()
    {
        Assert.True(File.Exists(package.SymbolPackagePath), $"no symbols package {package.SymbolPackagePath}");
        using ZipArchive nupkg = ZipFile.OpenRead(package.PackagePath);
        string[] entries = nupkg.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray();
        log.WriteLine(string.Join(Environment.NewLine, entries));

        Assert.Contains("lib/net10.0/DiffGen.dll", entries);
        Assert.Contains("lib/net10.0/DiffGen.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/DiffGen.Generator.dll", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("CodeFixes", StringComparison.Ordinal));
        if (File.Exists(Path.Combine(package.RepositoryRoot, "generator", "DiffGen.CodeFixes", "DiffGen.CodeFixes.csproj")))
        {
            Assert.Contains("analyzers/dotnet/cs/DiffGen.CodeFixes.dll", entries);
        }

        XDocument nuspec = XDocument.Load(nupkg.Entries.Single(e => e.FullName == "DiffGen.nuspec").Open());
        XNamespace ns = nuspec.Root!.Name.Namespace;
        XElement metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("DiffGen", metadata.Element(ns + "id")!.Value);
        Assert.Equal(package.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        string[] dependencies = metadata.Descendants(ns + "dependency").Select(d => d.Attribute("id")!.Value).ToArray();
        Assert.Equal(["System.Numerics.Tensors"], dependencies); // the generator projects are not dependencies

        using ZipArchive snupkg = ZipFile.OpenRead(package.SymbolPackagePath);
        Assert.Contains(snupkg.Entries, e => e.FullName == "lib/net10.0/DiffGen.pdb");
    }

    [Fact]
    public void ReadmeExampleBuildsAndRunsFromThePackage()
    {
        ReadmeQuickstart readme = ReadmeQuickstart.Load(package.RepositoryRoot);
        string project = package.NewConsumer("Readme");
        readme.WriteTo(project);

        ProcessResult build = DotNetCli.DotNet(project, package.ConsumerEnvironment, "build", "-c", "Release", "-nodeReuse:false").EnsureSuccess();
        log.WriteLine(build.ToString());
        Assert.Matches(ZeroWarnings(), build.Output);

        ProcessResult run = DotNetCli.DotNet(project, package.ConsumerEnvironment, Path.Combine(project, "bin", "Release", "net10.0", "Consumer.dll")).EnsureSuccess();
        log.WriteLine(run.ToString());
        AssertGradient(readme, ReadmeQuickstart.ParsePrinted(run.Output));
    }

    [Fact]
    public void GeneratorDiagnosticsFireFromThePackage()
    {
        ReadmeQuickstart readme = ReadmeQuickstart.Load(package.RepositoryRoot);
        string project = package.NewConsumer("Diagnostics");
        readme.WriteTo(project);
        File.WriteAllText(Path.Combine(project, "NotPartial.cs"), """
            using DiffGen;

            public static class NotPartial
            {
                [Differentiable]
                public static double Square(double x) => x * x;
            }
            """);

        ProcessResult build = DotNetCli.DotNet(project, package.ConsumerEnvironment, "build", "-c", "Release", "-nodeReuse:false");
        log.WriteLine(build.ToString());
        Assert.NotEqual(0, build.ExitCode);
        Assert.Matches(NotPartialDiagnostic(), build.Output);
    }

    [Fact]
    public void NativeAotPublishRunsAndPrintsTheGradientWithoutDiffGenWarnings()
    {
        NativeAotPrerequisites.Ensure();
        ReadmeQuickstart readme = ReadmeQuickstart.Load(package.RepositoryRoot);
        string project = package.NewConsumer("NativeAot");
        readme.WriteTo(project);
        string output = Path.Combine(project, "publish");

        ProcessResult publish = DotNetCli.DotNet(
            project, package.ConsumerEnvironment,
            "publish", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-p:PublishAot=true", "-o", output, "-nodeReuse:false");
        log.WriteLine(publish.ToString());
        if (publish.ExitCode != 0)
        {
            string missing = publish.Output.Contains("NU1101", StringComparison.Ordinal) || publish.Output.Contains("NU1102", StringComparison.Ordinal)
                ? "The ILCompiler packages for this SDK (Microsoft.DotNet.ILCompiler, runtime.<rid>.Microsoft.DotNet.ILCompiler, Microsoft.NETCore.App.Runtime.NativeAOT.<rid>) did not restore from the configured sources. "
                : string.Empty;
            Assert.Fail($"{missing}Native AOT publish failed:{Environment.NewLine}{publish}");
        }

        string[] diffGenWarnings = publish.Output.Split('\n')
            .Where(line => TrimOrAotWarning().IsMatch(line) && line.Contains("DiffGen", StringComparison.Ordinal))
            .ToArray();
        Assert.True(diffGenWarnings.Length == 0, "Trimming/AOT warnings from DiffGen:" + Environment.NewLine + string.Join(Environment.NewLine, diffGenWarnings));

        string executable = Path.Combine(output, RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "Consumer.exe" : "Consumer");
        Assert.True(File.Exists(executable), $"no native executable {executable}");
        Assert.False(File.Exists(Path.Combine(output, "Consumer.dll")), "the publish produced IL, not a native executable");
        ProcessResult run = DotNetCli.Run(executable, project, null).EnsureSuccess();
        log.WriteLine(run.ToString());
        AssertGradient(readme, ReadmeQuickstart.ParsePrinted(run.Output));
    }

    private static void AssertGradient(ReadmeQuickstart readme, (double F, double Dx, double Dy) printed)
    {
        (double f, double dx, double dy) = readme.ClosedForm();
        AssertClose(f, printed.F, "f");
        AssertClose(dx, printed.Dx, "df/dx");
        AssertClose(dy, printed.Dy, "df/dy");

        // What README.md's comment claims is also what the closed form gives.
        AssertClose(f, readme.ClaimedF, "README's f");
        AssertClose(dx, readme.ClaimedDx, "README's dx");
        AssertClose(dy, readme.ClaimedDy, "README's dy");
    }

    private static void AssertClose(double expected, double actual, string what)
        => Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [GeneratedRegex(@"^\s*0 Warning\(s\)", RegexOptions.Multiline)]
    private static partial Regex ZeroWarnings();

    [GeneratedRegex(@"NotPartial\.cs\(\d+,\d+\): error DG0001")]
    private static partial Regex NotPartialDiagnostic();

    [GeneratedRegex(@"warning IL[23]\d{3}")]
    private static partial Regex TrimOrAotWarning();
}
