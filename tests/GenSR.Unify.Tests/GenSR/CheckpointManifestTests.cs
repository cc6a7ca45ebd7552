using System.Text.Json.Nodes;
using System.Text.Json;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>The manifest's file shape and the checks made before anything large is read, without a trained model.</summary>
public sealed class CheckpointManifestTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gensr-manifest-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void The_manifest_keeps_its_names_order_and_the_users_extra_object_as_it_is()
    {
        var extra = new JsonObject { ["run"] = new JsonObject { ["lr"] = 0.001, ["tags"] = new JsonArray("a", 1, null) }, ["note"] = null };
        var manifest = new CheckpointManifestDto
        {
            Format = "gensr-checkpoint",
            FormatVersion = GenSRCheckpoint.FormatVersion,
            LibraryVersion = "0.1.0",
            Model = new JsonObject { ["item_count"] = 2 },
            PromptHistoryItems = 20,
            Vocabulary = new CheckpointVocabularyDto { Kind = "sentencepiece", IdentifierTokenCount = 8, BaseVocabularySize = 100 },
            Identifiers = new JsonObject(),
            ItemKeys = ["a", "b"],
            ItemTitles = ["A", "B"],
            Extra = extra,
            WeightsSha256 = "00",
        };

        var text = JsonSerializer.Serialize(manifest, CheckpointJsonContext.Default.CheckpointManifestDto);
        var node = JsonNode.Parse(text)!.AsObject();

        Assert.Equal(["format", "format_version", "library_version", "model", "prompt_history_items", "vocabulary", "identifiers",
                      "item_keys", "item_titles", "extra", "weights_sha256"], node.Select(p => p.Key));
        Assert.Equal(["kind", "identifier_token_count", "base_vocabulary_size"], node["vocabulary"]!.AsObject().Select(p => p.Key));
        Assert.DoesNotContain('\n', text);
        Assert.True(JsonNode.DeepEquals(extra, node["extra"]));
        var read = JsonSerializer.Deserialize(text, CheckpointJsonContext.Default.CheckpointManifestDto)!;
        Assert.True(JsonNode.DeepEquals(extra, read.Extra));
        Assert.Equal(text, JsonSerializer.Serialize(read, CheckpointJsonContext.Default.CheckpointManifestDto));
    }

    [Theory]
    [InlineData("""{"format": "other", "format_version": 1}""", "\"format\" must be \"gensr-checkpoint\".")]
    [InlineData("""{"format": "gensr-checkpoint", "format_version": 99, "model": 5}""", "format_version 99 is not supported")]
    [InlineData("""{"format": "gensr-checkpoint", "format_version": 1, "prompt_history_items": "many"}""", "prompt_history_items: expected an integer.")]
    [InlineData("""{"format": "gensr-checkpoint", "format_version": 1, "item_keys": {}}""", "item_keys: expected an array.")]
    [InlineData("""{"format": "gensr-checkpoint", """, "malformed JSON")]
    public void A_bad_manifest_is_refused_naming_the_file_and_the_field_before_the_weights_are_read(string manifest, string message)
    {
        Directory.CreateDirectory(_folder);
        var manifestPath = Path.Combine(_folder, GenSRCheckpoint.ManifestFileName);
        File.WriteAllText(manifestPath, manifest);
        File.WriteAllBytes(Path.Combine(_folder, GenSRCheckpoint.WeightsFileName), []);

        var e = Assert.Throws<InvalidDataException>(() => GenSRCheckpoint.Load(_folder));

        Assert.StartsWith(manifestPath, e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
