using System.Text.Json.Nodes;

namespace GenSR.Core.Tests.Text;

/// <summary>Locates the tokenizer fixtures in the source tree (they are not copied to the build output).</summary>
internal static class TextFixtures
{
    public static string SentencePieceModel => Find("t5-spiece.model");

    public static JsonObject SentencePieceExpected => (JsonObject)JsonNode.Parse(File.ReadAllText(Find("t5-spiece.expected.json")))!;

    private static string Find(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "GenSR.Core.Tests", "Text", "Fixtures", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Fixture {name} not found above {AppContext.BaseDirectory}.");
    }
}
