using System;
using System.IO;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Finds checked-in files from the test binaries. Not from <c>[CallerFilePath]</c>: a CI build
/// (<c>ContinuousIntegrationBuild</c>) maps source paths to <c>/_/</c>, which exists nowhere on disk.
/// </summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DiffGen.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No directory containing DiffGen.sln above {AppContext.BaseDirectory}.");
    }
}
