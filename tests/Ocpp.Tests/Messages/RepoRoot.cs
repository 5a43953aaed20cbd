namespace Csms.Ocpp.Tests.Messages;

/// <summary>The tests read schemas and committed generated files from the working tree, not from build output.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    public static string SchemaDirectory(string folder) => System.IO.Path.Combine(Path, "src", "Ocpp", "Schemas", folder);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Cluster.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Cluster.sln above {AppContext.BaseDirectory}.");
    }
}
