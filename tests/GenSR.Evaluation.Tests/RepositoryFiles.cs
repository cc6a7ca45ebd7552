namespace GenSR.Evaluation.Tests;

/// <summary>Files committed to the repository (reports, published results) that tests read.</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root: the first folder above the test binaries that holds GenSR.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GenSR.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("GenSR.sln not found above the test binaries.");
    }
}
