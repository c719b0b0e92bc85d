namespace Cluster.Tests;

/// <summary>Where the built Silo, Api and GarnetHost live: beside this test's output, in the same configuration.</summary>
internal static class Built
{
    private static readonly DirectoryInfo Output = new(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));

    // tests/Cluster.Tests/bin/<Configuration>/<tfm>/
    private static readonly string Configuration = Output.Parent!.Name;
    private static readonly string TargetFramework = Output.Name;

    public static string Root { get; } = FindRoot();

    public static string SiloDirectory => Path.Combine(Root, "Silo", "bin", Configuration, TargetFramework);

    public static string ApiDirectory => Path.Combine(Root, "Api", "bin", Configuration, TargetFramework);

    public static string GarnetHostDirectory => Path.Combine(Root, "tests", "GarnetHost", "bin", Configuration, TargetFramework);

    private static string FindRoot()
    {
        for (var directory = Output; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Orleans.sln not found above {Output.FullName}.");
    }
}
