using System.Text.Json;

namespace GenSR.Representation.Tests.Semantic;

/// <summary>The HF parity fixture: a random-weight bert-tiny checkpoint and what HF transformers computed from it.</summary>
internal sealed class BertFixture
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Semantic", "Fixtures", "bert-tiny");

    private BertFixture(JsonElement root)
    {
        Texts = root.GetProperty("texts").EnumerateArray().Select(e => e.GetString()!).ToArray();
        InputIds = Matrix(root.GetProperty("input_ids"), e => e.GetInt64());
        AttentionMask = Matrix(root.GetProperty("attention_mask"), e => e.GetInt64());
        Tokens = root.GetProperty("tokens").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetString()!).ToArray()).ToArray();
        LastHiddenState = root.GetProperty("last_hidden_state").EnumerateArray()
            .Select(s => s.EnumerateArray().Select(t => t.EnumerateArray().Select(e => e.GetSingle()).ToArray()).ToArray()).ToArray();
        MeanPooled = Matrix(root.GetProperty("mean_pooled"), e => e.GetSingle());
    }

    public string[] Texts { get; }
    public long[][] InputIds { get; }
    public long[][] AttentionMask { get; }
    public string[][] Tokens { get; }
    public float[][][] LastHiddenState { get; }
    public float[][] MeanPooled { get; }

    public static BertFixture Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "expected.json")));
        return new BertFixture(document.RootElement.Clone());
    }

    /// <summary>Copies the checkpoint folder to a fresh temporary folder (for tests that alter it).</summary>
    public static string CopyToTemporary()
    {
        var target = Path.Combine(Path.GetTempPath(), "gensr-bert-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.GetFiles(Directory))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    private static T[][] Matrix<T>(JsonElement e, Func<JsonElement, T> read) =>
        e.EnumerateArray().Select(r => r.EnumerateArray().Select(read).ToArray()).ToArray();
}
