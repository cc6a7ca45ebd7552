using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GenSR.Core.Tests.Repository;

/// <summary>
/// The notebooks under samples/notebooks are committed executed (eng/update-notebooks.sh), so that a reader browsing
/// them sees the results; their outputs must not carry this or any machine's paths or execution timestamps.
/// </summary>
public sealed partial class CommittedNotebookTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(RepositoryRoot(), "samples", "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Fact]
    public void The_repository_has_notebooks() => Assert.NotEmpty(Notebooks());

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_notebook_is_committed_with_the_outputs_of_a_run(string name)
    {
        var codeCells = CodeCells(name);
        var withOutput = codeCells.Count(c => c["outputs"] is JsonArray { Count: > 0 });
        Assert.True(withOutput * 2 >= codeCells.Count,
            $"{name}: only {withOutput} of {codeCells.Count} code cells have outputs; run bash eng/update-notebooks.sh and commit the result.");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_notebooks_outputs_name_no_machine_path_and_no_execution_time(string name)
    {
        foreach (var cell in CodeCells(name))
        {
            var outputs = cell["outputs"]?.ToJsonString() ?? string.Empty;
            var match = MachinePath().Match(outputs);
            Assert.False(match.Success, $"{name}: an output names the machine path \"{match.Value}\"; eng/update-notebooks.sh replaces them.");
            Assert.DoesNotContain("dotnet_repl_cellExecution", cell["metadata"]?.ToJsonString() ?? string.Empty);
        }
    }

    [Fact]
    public void The_gradient_conflict_notebook_shows_its_plot_as_an_image()
    {
        var images = CodeCells("03-why-unify.ipynb")
            .SelectMany(c => c["outputs"]!.AsArray())
            .Count(o => o?["data"]?["image/png"] is not null);
        Assert.Equal(1, images);
    }

    private static List<JsonObject> CodeCells(string name)
    {
        var path = Path.Combine(RepositoryRoot(), "samples", "notebooks", name);
        var notebook = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        return notebook["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => (string?)c["cell_type"] == "code").ToList();
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GenSR.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("GenSR.sln not found above the test binaries.");
    }

    // A rooted path into a machine's own folders (home, temp, checkouts, installations); "<repository>", "<home>" and
    // "<temp>" stand for them in committed outputs.
    [GeneratedRegex(@"(?<![\w.<>-])/(home|root|work|tmp|usr|var|mnt|opt|Users)/[\w.-]+")]
    private static partial Regex MachinePath();
}
