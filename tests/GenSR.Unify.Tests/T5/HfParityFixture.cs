using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.T5;

/// <summary>One HF parity fixture folder (config, weights, tokenizer and the reference outputs in expected.json).</summary>
internal sealed class HfParityFixture
{
    private readonly JsonObject expected;

    private HfParityFixture(string name)
    {
        Name = name;
        Folder = Path.Combine(AppContext.BaseDirectory, "T5", "Fixtures", name);
        expected = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")))!;
    }

    /// <summary>Fixture names, for [Theory] data.</summary>
    public static TheoryData<string> Names => new() { "t5-gated", "t5-relu" };

    public static HfParityFixture Open(string name) => new(name);

    public string Name { get; }

    public string Folder { get; }

    public string[] Texts => expected["texts"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();

    public long[][] InputIds => LongRows("input_ids");

    public long[][] AttentionMask => LongRows("attention_mask");

    public long[][] DecoderInputIds => LongRows("decoder_input_ids");

    public long[][] GreedySixTokens => LongRows("greedy_max_new_tokens_6");

    public string[][] Tokens => expected["tokens"]!.AsArray().Select(r => r!.AsArray().Select(t => t!.GetValue<string>()).ToArray()).ToArray();

    /// <summary>encoder_last_hidden_state as a float32 tensor [3, L, d_model].</summary>
    public Tensor EncoderLastHiddenState() => FloatTensor("encoder_last_hidden_state");

    /// <summary>logits as a float32 tensor [3, T, vocab].</summary>
    public Tensor Logits() => FloatTensor("logits");

    public static Tensor ToTensor(long[][] rows) =>
        tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length], ScalarType.Int64);

    public T5Checkpoint LoadCheckpoint() => T5Checkpoint.Load(Folder);

    private long[][] LongRows(string key) =>
        expected[key]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<long>()).ToArray()).ToArray();

    private Tensor FloatTensor(string key)
    {
        var shape = new List<long>();
        JsonNode node = expected[key]!;
        while (node is JsonArray a)
        {
            shape.Add(a.Count);
            node = a[0]!;
        }
        var values = new List<float>();
        Flatten(expected[key]!, values);
        return tensor(values.ToArray(), shape.ToArray(), ScalarType.Float32);
    }

    private static void Flatten(JsonNode node, List<float> into)
    {
        if (node is JsonArray a)
            foreach (var child in a) Flatten(child!, into);
        else
            into.Add((float)node.GetValue<double>());
    }
}
